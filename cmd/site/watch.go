package main

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watch calls onChange after files under any of dirs change, once the
// changes have settled (an editor's save is often several events). It
// watches new subfolders as they appear, and returns when ctx is done.
func watch(ctx context.Context, log *slog.Logger, onChange func(dir string), dirs ...string) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	add := func(root string) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if err := w.Add(p); err != nil {
					log.Warn("cannot watch", "dir", p, "err", err)
				}
			}
			return nil
		})
	}
	for _, d := range dirs {
		add(d)
	}
	go func() {
		defer w.Close()
		const settle = 150 * time.Millisecond
		pending := map[string]bool{}
		timer := time.NewTimer(time.Hour)
		timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
						add(ev.Name)
					}
				}
				for _, d := range dirs {
					if rel, err := filepath.Rel(d, ev.Name); err == nil && !filepath.IsAbs(rel) && rel != ".." && (len(rel) < 3 || rel[:3] != "../") {
						pending[d] = true
					}
				}
				timer.Reset(settle)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				log.Warn("watching files", "err", err)
			case <-timer.C:
				for d := range pending {
					onChange(d)
				}
				clear(pending)
			}
		}
	}()
	return nil
}
