package web

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
)

// Loader builds a store from the content as it is now: check it, bring a
// database file other than the one being served up to date with it (a new
// file, store.Import; or the spare that store.Updater keeps), and open
// that. A failed Loader must leave the store being served untouched.
type Loader func(ctx context.Context) (*store.Store, error)

// reloadState is what /healthz reports about the last reload.
type reloadState struct {
	mu       sync.Mutex
	at       time.Time
	ok       bool
	err      string
	problems []string
	running  sync.Mutex // one reload at a time
	closed   bool       // the server is closed: no more reloads (under running)
	changed  chan struct{}
}

// ReloadStatus is the outcome of the last reload. Its details (the
// problems, naming files and quoting values, perhaps of records not yet
// public) are for the log and the editors' preview; /healthz publishes
// only the outcome and the number of problems (see publicReload).
type ReloadStatus struct {
	At       time.Time
	OK       bool
	Error    string   // what failed, for the log
	Problems []string // file:line:col: message
}

// publicReload is what /healthz says of a reload.
type publicReload struct {
	At       time.Time `json:"at"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"` // "the content has problems" or "the import failed"
	Problems int       `json:"problems,omitempty"`
}

func (st ReloadStatus) public() publicReload {
	p := publicReload{At: st.At, OK: st.OK, Problems: len(st.Problems)}
	switch {
	case st.OK:
	case len(st.Problems) > 0:
		p.Error = "the content has problems"
	default:
		p.Error = "the import failed"
	}
	return p
}

// Reload builds a new store with load and switches every new request to
// it at once; requests already running finish on the old one. If load
// fails — invalid content, a failed import — the server goes on serving the
// last good content, logs every problem, and reports the failure in
// /healthz until a reload succeeds.
func (s *Server) Reload(ctx context.Context, load Loader) error {
	s.reload.running.Lock()
	defer s.reload.running.Unlock()
	if s.reload.closed {
		return errClosed
	}
	st, err := load(ctx)
	s.reload.mu.Lock()
	s.reload.at, s.reload.ok, s.reload.err, s.reload.problems = s.cfg.Now(), err == nil, "", nil
	if err != nil {
		var ps content.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				s.reload.problems = append(s.reload.problems, p.String())
				s.log.Error("reload: content problem", slog.String("problem", p.String()))
			}
			s.reload.err = "the content has problems"
		} else {
			s.reload.err = err.Error()
		}
		s.log.Error("reload failed: still serving the last good content", slog.String("version", s.Version()), slog.Any("err", err))
	}
	s.reload.mu.Unlock()
	if err == nil {
		if st.Version() == s.Version() {
			st.Close()
		} else {
			s.Swap(st)
			s.log.Info("reloaded", slog.String("version", st.Version()))
		}
	}
	s.notify()
	return err
}

// LastReload returns the outcome of the last reload, if there was one.
func (s *Server) LastReload() (ReloadStatus, bool) {
	s.reload.mu.Lock()
	defer s.reload.mu.Unlock()
	if s.reload.at.IsZero() {
		return ReloadStatus{}, false
	}
	return ReloadStatus{At: s.reload.at, OK: s.reload.ok, Error: s.reload.err, Problems: s.reload.problems}, true
}

// notify wakes whoever waits for a change (the preview's reload events).
func (s *Server) notify() {
	s.reload.mu.Lock()
	defer s.reload.mu.Unlock()
	if s.reload.changed != nil {
		close(s.reload.changed)
	}
	s.reload.changed = make(chan struct{})
}

// changes returns a channel closed at the next reload.
func (s *Server) changes() <-chan struct{} {
	s.reload.mu.Lock()
	defer s.reload.mu.Unlock()
	if s.reload.changed == nil {
		s.reload.changed = make(chan struct{})
	}
	return s.reload.changed
}
