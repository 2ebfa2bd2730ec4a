package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// The preview (serve -dev) refreshes open tabs when the content, the static
// files or the program change, and shows content problems in place of the
// page. Its script is the only JavaScript of the site, and is served in the
// preview alone.

const devScript = `(function () {
  var seen = null;
  var es = new EventSource("` + urls.DevEvents + `");
  es.onmessage = function (e) {
    if (seen === null) { seen = e.data; return; }
    if (e.data !== seen) { location.reload(); }
  };
})();
`

func (s *Server) handleDevScript(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	return writeBytes(w, r, "text/javascript; charset=utf-8", []byte(devScript))
}

// devState changes whenever a tab should reload: another program run,
// other content, other static files, other problems.
func (s *Server) devState() string {
	h := sha256.New()
	fmt.Fprint(h, s.bootID, s.Version(), s.assets.Load().cssPath)
	if last, ok := s.LastReload(); ok && !last.OK {
		fmt.Fprint(h, last.Error, last.Problems)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// handleDevEvents streams the preview's state as server-sent events: once
// on connecting, then at every change.
func (s *Server) handleDevEvents(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	for {
		changed := s.changes()
		if _, err := fmt.Fprintf(w, "data: %s\n\n", s.devState()); err != nil {
			return errAbort
		}
		if err := rc.Flush(); err != nil {
			return errAbort
		}
		select {
		case <-changed:
		case <-time.After(25 * time.Second): // keep the connection alive
		case <-r.Context().Done():
			return errAbort
		}
	}
}

// serveProblems shows, in place of any page, the problems that stop the
// content from loading, until the next save fixes them.
func (s *Server) serveProblems(w http.ResponseWriter, r *http.Request, last ReloadStatus) error {
	// For editors, in English, as the problems themselves are.
	auth := reg(r).Authoritative().Tag
	m := s.errorMeta(r, auth, labels(r, auth), "Content problems")
	m.Dev = true
	problems := last.Problems
	if len(problems) == 0 {
		problems = []string{last.Error}
	}
	v := templates.ProblemsView{Meta: m, Problems: problems}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderStatus(w, r, http.StatusInternalServerError, templates.ProblemsPage(v))
}

// devOverlay answers page requests with the problems page while the last
// reload in the preview failed.
func (s *Server) devOverlay(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The preview's own files, the static files and /healthz (which
		// reports the problems to tools) are served as they are.
		if last, ok := s.LastReload(); ok && !last.OK && !strings.HasPrefix(r.URL.Path, urls.Dev) && !strings.HasPrefix(r.URL.Path, urls.Static) && r.URL.Path != urls.Health {
			if err := s.serveProblems(w, r, last); err != nil {
				s.serveError(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}
