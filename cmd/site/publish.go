package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/krakow/wspolpraca/internal/export"
	"github.com/krakow/wspolpraca/internal/publish"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// exportIncludes are the files of an export that nginx includes
// (docs/nginx-production.conf); hostFiles are those for static hosts,
// which nginx in front of the server has no use for.
var (
	exportIncludes = []string{"nginx-maps.conf", "nginx-types.conf"}
	hostFiles      = []string{"_headers", "_redirects", "redirects.map"}
)

// startPublisher starts writing the cached pages to cfg.Publish for nginx
// (see internal/publish), until stop, which waits for it; nil when
// -publish is not set.
func startPublisher(ctx context.Context, cfg Config, log *slog.Logger) (pub *publish.Publisher, stop func(), err error) {
	if cfg.Publish == "" {
		return nil, func() {}, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	pub, err = publish.Start(ctx, publish.Options{Dir: cfg.Publish, Render: renderForNginx(cfg), Log: log})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return pub, func() { cancel(); pub.Wait() }, nil
}

// publishing wraps load: after each load that succeeds, nginx stops
// serving the folder of another version at once, and pub writes the new
// version (the database at cfg.DB is then the one loaded).
func publishing(load web.Loader, pub *publish.Publisher) web.Loader {
	if pub == nil {
		return load
	}
	return func(ctx context.Context) (*store.Store, error) {
		st, err := load(ctx)
		if err == nil {
			pub.Outdated(st.Version())
			pub.Changed()
		}
		return st, err
	}
}

// renderForNginx writes the site, as the server serves it at a given
// moment, with the export's machinery: a server of its own on the
// database's current version whose clock says that moment (so a later
// schedule period can be written ahead of time), every page of the sitemap
// and every file they link to, named as nginx looks for them
// (publish.File), with .gz and .br, and the includes nginx needs.
func renderForNginx(cfg Config) publish.Render {
	return func(ctx context.Context, at time.Time, out string) (publish.Result, error) {
		st, err := store.Open(cfg.DB)
		if err != nil {
			return publish.Result{}, err
		}
		srv, err := web.New(web.Config{BaseURL: cfg.BaseURL, Assets: static.FS, Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return at }}, st)
		if err != nil {
			st.Close()
			return publish.Result{}, err
		}
		defer srv.Close()
		until, err := st.NextChange(ctx, at)
		if err != nil {
			return publish.Result{}, err
		}
		handler, headers := publish.Record(srv)
		rep, err := export.Write(ctx, export.Options{Handler: handler, BaseURL: cfg.BaseURL, Out: out,
			Seeds: []string{urls.Robots, urls.Favicon}, FileFor: publish.File})
		if err != nil {
			return publish.Result{}, err
		}
		includes, err := headers.Includes()
		if err != nil {
			return publish.Result{}, err
		}
		for _, name := range exportIncludes {
			b, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				return publish.Result{}, fmt.Errorf("publish: the export wrote no %s: %w", name, err)
			}
			includes[name] = b
		}
		for _, name := range append(hostFiles, exportIncludes...) {
			if err := os.Remove(filepath.Join(out, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return publish.Result{}, err
			}
		}
		return publish.Result{Version: srv.Version(), Until: until, Includes: includes, Files: rep.Files, Bytes: rep.Bytes}, nil
	}
}
