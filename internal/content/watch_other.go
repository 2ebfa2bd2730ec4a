//go:build !linux

package content

import "errors"

// watcher is inotify's (watch_linux.go); elsewhere a Loader walks.
type watcher struct{ root string }

func newWatcher(root string) (*watcher, error) {
	return nil, errors.New("watching a folder needs Linux")
}
func (w *watcher) add(rel string) error                { return nil }
func (w *watcher) changed() (paths []string, all bool) { return nil, true }
func (w *watcher) close() error                        { return nil }
func (w *watcher) sameRoot() bool                      { return false }
