package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
)

// periodMemo keeps values read from one content version in one schedule
// period (middleware.Cache.Period): a value computed in an earlier period
// is not kept, and a later period starts empty. Each snapshot has its own.
type periodMemo[V any] struct {
	mu     sync.Mutex
	period uint64
	m      map[string]V
}

// maxMemo bounds the values a memo keeps; past it, it forgets them all.
const maxMemo = 100000

func (p *periodMemo[V]) get(period uint64, key string) (V, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.m[key]
	if p.period != period {
		var zero V
		return zero, false
	}
	return v, ok
}

func (p *periodMemo[V]) put(period uint64, key string, v V) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case period < p.period:
		return // read before a scheduled change that another request saw
	case period > p.period || p.m == nil || len(p.m) >= maxMemo:
		p.period, p.m = period, map[string]V{}
	}
	p.m[key] = v
}

// frame is what every page of a language shows around its content: the
// menu, the footer and the section pages (home, search, lists…), read
// once per content version and schedule period instead of on every
// render (seven queries).
type frame struct {
	menu, footer []store.Link
	sections     map[content.Layout]store.Link // by layout; a missing section is absent
}

// nextChange returns when the schedule of the content r reads next
// changes what is visible (a publish or expiry time), for the page cache.
func (s *Server) nextChange(r *http.Request) (time.Time, error) {
	t, err := st(r).NextChange(context.WithoutCancel(r.Context()), s.cfg.Now())
	if err != nil {
		s.log.Error("page cache: the schedule cannot be read; no page is kept until it can", slog.Any("err", err))
	}
	return t, err
}

// frameOf returns the frame of lang for the request's snapshot.
func (s *Server) frameOf(r *http.Request, lang string) (*frame, error) {
	sn := snap(r)
	period := s.pages.Period(r)
	if f, ok := sn.nav.get(period, lang); ok {
		return f, nil
	}
	ctx, vis, db := context.WithoutCancel(r.Context()), s.vis(), sn.store
	f := &frame{sections: map[content.Layout]store.Link{}}
	var err error
	if f.menu, err = db.Menu(ctx, lang, vis); err != nil {
		return nil, err
	}
	if f.footer, err = db.Footer(ctx, lang, vis); err != nil {
		return nil, err
	}
	for _, layout := range []content.Layout{content.LayoutHome, content.LayoutSearch, content.LayoutAccessibility,
		content.LayoutBodies, content.LayoutMeetings, content.LayoutDeclarations} {
		l, err := db.Section(ctx, layout, lang, vis)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		f.sections[layout] = l
	}
	sn.nav.put(period, lang, f)
	return f, nil
}

// section returns the section page of layout in the frame, or an error
// that answers 404 (the content check requires the sections pages link
// to, so a missing one is a page of a language without it).
func (f *frame) section(layout content.Layout, lang string) (store.Link, error) {
	l, ok := f.sections[layout]
	if !ok {
		return store.Link{}, fmt.Errorf("section %s in %s: %w", layout, lang, store.ErrNotFound)
	}
	return l, nil
}
