package main

import "syscall"

// dieWithParent makes a child process end (SIGKILL) when the process that
// started it ends, however it ends.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
