package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
)

// Every load of the content — check, import, a reload of the live server —
// runs under a deadline and a memory budget, so that no file an editor
// commits can hold the machine. The content's own limits (content.MaxFileBytes
// and the rest) keep each file cheap; the budget bounds what is left: the
// number and size of files together.
//
// The server never loads content itself: its resident importer, `site
// import -resident`, a child process with the same budget, loads it and
// writes the database, and answers with the problems as JSON; the server
// opens the database the child wrote (resident.go). Whatever the child
// meets — a deadline, the memory budget, a crash — ends the child, not the
// server, which goes on serving the last good version; and stopping the
// server kills the child at once instead of waiting for it.

// Defaults of -import-timeout and -import-memory. The synthetic corpus of
// 10,000 declarations and 10,000 meetings (40,042 files) imports in about
// 10 s with a peak of about 600 MB.
const (
	defaultImportTimeout = 10 * time.Minute
	defaultImportMemory  = 2048 // MB
	// minImportMemory is below what a Go program with SQLite needs to
	// start (about 150 MB of data segment on linux/amd64).
	minImportMemory = 256
)

// defaultServeMemory is the server's soft memory limit, in MB. The server
// holds at most 48 MB of rendered pages and 8 MB of SQLite cache per
// connection, but building a whole-dataset file reads every record first:
// with 10,000 declarations and 10,000 meetings in three languages, the
// first build of a calendar took RSS to 263–271 MB with Go's default
// collector, and to 180 MB with this limit, at the same speed (make scale,
// 2026-11-30). It is soft (runtime/debug.SetMemoryLimit): past it the
// collector runs more often, using at most half the CPU, and nothing
// fails. Imports run in a child process under -import-memory instead.
const defaultServeMemory = 150

// limitServeMemory sets the server's soft memory limit of mb megabytes
// (0: none), unless GOMEMLIMIT set one already.
func limitServeMemory(mb int, getenv func(string) string) {
	if mb > 0 && getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(mb) << 20)
	}
}

// limitMemory caps this process's memory at mb megabytes (0: no cap): a
// soft limit at four fifths of it makes the garbage collector work harder
// as the budget nears, and RLIMIT_DATA makes the kernel refuse memory past
// it, which ends the process with "out of memory" rather than letting it
// push the machine into swap.
func limitMemory(mb int) error {
	if mb <= 0 {
		return nil
	}
	b := uint64(mb) << 20
	debug.SetMemoryLimit(int64(b / 5 * 4))
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_DATA, &lim); err != nil {
		return fmt.Errorf("memory budget: %w", err)
	}
	lim.Cur = min(b, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_DATA, &lim); err != nil {
		return fmt.Errorf("memory budget: %w", err)
	}
	return nil
}

// withDeadline returns ctx with the import deadline d (none when d is 0).
func withDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, d, fmt.Errorf("the content did not load within %s (-import-timeout)", d))
}

// errReported is returned by a command that has already written its
// failure (the problems as JSON) and must only exit non-zero.
var errReported = errors.New("reported")

// writeProblemsJSON writes content problems as one JSON array, for the
// server reading a child's result.
func writeProblemsJSON(w io.Writer, ps content.Problems) error {
	return json.NewEncoder(w).Encode(ps)
}

// childOutputLimit bounds what the server reads of a child's output: the
// problems (at most content.MaxProblemsPerFile a file) and its log.
const childOutputLimit = 16 << 20

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
