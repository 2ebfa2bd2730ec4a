//go:build !linux

package main

import "syscall"

// dieWithParent: elsewhere than on Linux a child is ended by the server's
// shutdown (resident.Close) only.
func dieWithParent() *syscall.SysProcAttr { return nil }
