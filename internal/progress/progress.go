// Package progress shows the progress of the command line's long work
// (import, export, corpus) on a terminal, with
// github.com/schollz/progressbar. It owns nothing but that display: it
// never writes when its writer is not a terminal (a pipe, a file, the
// server's resident importer), so logs and JSON output stay clean, and the
// figures a command prints at its end are the command's, not this
// package's.
//
// It must not import any other package of the site.
package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar is a progress bar, or nothing: every method of a nil *Bar does
// nothing, so callers need not check.
type Bar struct{ b *progressbar.ProgressBar }

// New returns a bar of total steps (-1: unknown, shown as a spinner)
// written to w, described by desc, or nil when w is not a terminal.
func New(w io.Writer, total int, desc string) *Bar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &Bar{progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Set sets the steps done (safe for concurrent use).
func (b *Bar) Set(n int) {
	if b != nil {
		b.b.Set(n)
	}
}

// Add adds n steps done (safe for concurrent use).
func (b *Bar) Add(n int) {
	if b != nil {
		b.b.Add(n)
	}
}

// Total changes the number of steps (for work that finds more to do
// as it goes).
func (b *Bar) Total(n int) {
	if b != nil {
		b.b.ChangeMax(n)
	}
}

// Describe changes the bar's description: the step under way.
func (b *Bar) Describe(desc string) {
	if b != nil {
		b.b.Describe(desc)
	}
}

// Done clears the bar from the terminal.
func (b *Bar) Done() {
	if b != nil {
		b.b.Finish()
	}
}
