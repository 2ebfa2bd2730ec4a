package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/corpus"
	"github.com/krakow/wspolpraca/internal/export"
	"github.com/krakow/wspolpraca/internal/progress"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// load reads and checks the content folder under the import deadline and
// memory budget. Problems come back as content.Problems, one
// "file:line:col: message" a line.
func load(ctx context.Context, cfg Config) (*content.Site, error) {
	return loadWith(ctx, cfg, content.Options{})
}

func loadWith(ctx context.Context, cfg Config, opts content.Options) (*content.Site, error) {
	if fi, err := os.Stat(cfg.Content); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("content folder %q not found: run the command from the repository, or set -content", cfg.Content)
	}
	if err := limitMemory(cfg.ImportMemory); err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx, cfg.ImportTimeout)
	defer cancel()
	if opts.Assets == nil {
		opts.Assets = static.FS
		if cfg.Static != "" {
			opts.Assets = os.DirFS(cfg.Static)
		}
	}
	return content.LoadContext(ctx, content.Dir(cfg.Content), opts)
}

// problems wraps content problems for the terminal: every one of them,
// then what to do.
func problems(err error) error {
	var ps content.Problems
	if errors.As(err, &ps) {
		return fmt.Errorf("%w\n\n%d problem(s) in the content: fix them and run again; nothing was changed", ps, len(ps))
	}
	return err
}

// counts says how many records of each type site has: "10 pages, 6
// bodies, 1 meeting, 4 declarations".
func counts(site *content.Site) string {
	n := func(k int, one, many string) string {
		if k == 1 {
			return "1 " + one
		}
		return strconv.Itoa(k) + " " + many
	}
	return n(len(site.Pages), "page", "pages") + ", " + n(len(site.Bodies), "body", "bodies") + ", " +
		n(len(site.Meetings), "meeting", "meetings") + ", " + n(len(site.Declarations), "declaration", "declarations")
}

// loadAndImport checks the content folder and imports it into the
// database: every problem at once, or the database left as it was.
func loadAndImport(ctx context.Context, cfg Config) (*content.Site, error) {
	// On a terminal: a bar while the files are read, then a spinner while
	// the database is written (which reports no steps).
	// (The bar is made once: off a terminal it is nil, and asking again
	// at every file would cost a system call per file.)
	var bar *progress.Bar
	started := false
	site, err := loadWith(ctx, cfg, content.Options{Progress: func(done, total int) {
		if !started {
			bar, started = progress.New(cfg.Progress, total, "reading content"), true
		}
		bar.Set(done)
	}})
	bar.Done()
	if err != nil {
		return nil, problems(err)
	}
	ctx, cancel := withDeadline(ctx, cfg.ImportTimeout)
	defer cancel()
	spin := progress.New(cfg.Progress, -1, "writing the database")
	defer spin.Done()
	if err := store.Import(ctx, cfg.DB, site); err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, err
	}
	return site, nil
}

func check(ctx context.Context, cfg Config, stdout io.Writer) error {
	site, err := load(ctx, cfg)
	if err != nil {
		return problems(err)
	}
	for _, w := range site.Warnings {
		fmt.Fprintf(stdout, "%s (warning)\n", w)
	}
	// The figures of every easy-to-read text, each within its thresholds.
	for _, r := range site.Readability {
		fmt.Fprintln(stdout, r)
	}
	fmt.Fprintf(stdout, "content OK: %s (version %s)\n", counts(site), site.Version)
	return nil
}

// markTranslated records, in each translation named, the version of the
// authoritative text it now translates (its translation_of field).
func markTranslated(ctx context.Context, cfg Config, stdout io.Writer) error {
	site, err := loadWith(ctx, cfg, content.Options{RecordURLs: true})
	if err != nil {
		return problems(err)
	}
	for _, f := range cfg.Files {
		rel := filepath.ToSlash(f)
		if r, err := filepath.Rel(cfg.Content, f); err == nil && !strings.HasPrefix(r, "..") {
			rel = filepath.ToSlash(r)
		}
		name := filepath.Join(cfg.Content, filepath.FromSlash(rel))
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		out, hash, err := content.MarkTranslated(site, rel, src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: translation_of: %s\n", name, hash)
	}
	return nil
}

// recordURLs adds the site's new public URLs to the URL registry,
// content/urls.txt. It never removes one.
func recordURLs(ctx context.Context, cfg Config, stdout io.Writer) error {
	site, err := loadWith(ctx, cfg, content.Options{RecordURLs: true})
	if err != nil {
		return problems(err)
	}
	reg := content.Registry(content.Dir(cfg.Content), site.NewURLs)
	if err := os.WriteFile(filepath.Join(cfg.Content, "urls.txt"), reg, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "recorded %d new address(es) in %s\n", len(site.NewURLs), filepath.Join(cfg.Content, "urls.txt"))
	for _, u := range site.NewURLs {
		fmt.Fprintf(stdout, "  %s\n", u)
	}
	return nil
}

// writeReference writes the editors' reference, generated from the schema.
func writeReference(stdout io.Writer) error {
	if err := os.MkdirAll(filepath.Dir(content.ReferencePath), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(content.ReferencePath, content.Reference(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", content.ReferencePath)
	return nil
}

// writeCorpus writes a synthetic content folder: the real content plus
// many declarations and meetings, for measuring scale.
func writeCorpus(cfg Config, stdout io.Writer) error {
	if _, err := os.Stat(cfg.Out); err == nil {
		return fmt.Errorf("%s exists: choose a new folder", cfg.Out)
	}
	base, err := load(context.Background(), cfg)
	if err != nil {
		return problems(err)
	}
	start := time.Now()
	bar := progress.New(cfg.Progress, cfg.Declarations+cfg.Meetings, "writing records")
	opts := corpus.Options{Declarations: cfg.Declarations, Meetings: cfg.Meetings, Seed: 1,
		Progress: func(done, _ int) { bar.Set(done) }}
	langs := base.Languages.Tags()
	if cfg.Languages != "" {
		opts.Languages = strings.Split(cfg.Languages, ",")
		langs = slices.DeleteFunc(langs, func(t string) bool {
			return t != base.Languages.Authoritative().Tag && !slices.Contains(opts.Languages, t)
		})
	}
	err = corpus.Write(cfg.Content, cfg.Out, base, opts)
	bar.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d declarations and %d meetings, in %s, to %s in %s\n",
		cfg.Declarations, cfg.Meetings, strings.Join(langs, ", "), cfg.Out, time.Since(start).Round(time.Millisecond))
	return nil
}

// cpuProfile starts a CPU profile (pprof) written to the file at path, if
// path is set, and returns what stops it.
func cpuProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func importContent(ctx context.Context, cfg Config, stdout io.Writer) error {
	// A short-lived batch job whose garbage is the content parsed on the
	// way: collecting it a quarter as often makes a 10,000-declaration
	// import a tenth faster, for a peak RSS of 580 MB instead of 480 (the
	// memory budget's soft limit makes it collect sooner near the budget).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	stopProfile, err := cpuProfile(cfg.CPUProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	start := time.Now()
	site, err := loadAndImport(ctx, cfg)
	var ps content.Problems
	if cfg.JSON && errors.As(err, &ps) {
		if err := writeProblemsJSON(stdout, ps); err != nil {
			return err
		}
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s into %s in %s\n", counts(site), cfg.DB, time.Since(start).Round(time.Millisecond))
	return nil
}

// serve imports the content when the database is missing or was built from
// other content, then serves until ctx is cancelled (SIGINT, SIGTERM), and
// shuts down gracefully. SIGHUP (and, with -watch or -dev, any change to the
// content folder) re-imports in the background and switches over at once;
// invalid content leaves the last good version online.
func serve(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	// SIGHUP is caught from the start: one sent while the content is
	// first imported (a deploy's `git pull && kill -HUP`) must not end the
	// program, Go's default; it reloads once the server is up.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	lw := newLogWriter(stderr, 200*time.Millisecond)
	defer lw.Close()
	log := slog.New(flushing{slog.NewTextHandler(lw, nil), lw})
	// The static files: built into the binary, or, in the preview, read
	// from static/, where an editor adds an image before using it.
	var assets fs.FS = static.FS
	if cfg.Dev {
		assets = os.DirFS(cfg.Static)
	}
	// Every load of the content is the resident importer's, a child
	// process (resident.go).
	res := newResident(cfg, log)
	defer res.Close()
	upToDate, err := contentUpToDate(cfg)
	if err != nil {
		return err
	}
	loader := res.loader(false)
	if upToDate {
		loader = func(context.Context) (*store.Store, error) { return store.Open(cfg.DB) }
	}
	db, loadErr, err := openFirst(ctx, cfg, loader)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{BaseURL: cfg.BaseURL, Assets: assets, Logger: log, AccessLog: lw, Dev: cfg.Dev,
		ClientIPHeader: cfg.ClientIPHeader}, db)
	if err != nil {
		db.Close()
		return err
	}
	defer srv.Close()
	if loadErr != nil {
		srv.Reload(ctx, func(context.Context) (*store.Store, error) { return nil, loadErr })
	}
	// With -publish, the cached pages are written for nginx now and after
	// every load that succeeds (publish.go).
	pub, stopPublishing, err := startPublisher(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopPublishing()
	reload := publishing(res.loader(false), pub)
	if upToDate {
		// The database was opened as it was: the importer loads the
		// content now, in the background, to have it at the first
		// reload.
		go warmUp(ctx, res, srv, reload, log)
	}
	go reloadOnHangup(ctx, hup, srv, reload, log)
	if cfg.Dev || cfg.Watch {
		if err := watchFolders(ctx, cfg, srv, reload, publishing(res.loader(true), pub), log); err != nil {
			return err
		}
	}
	return listenAndServe(ctx, cfg.Addr, srv, log, stdout)
}

// contentUpToDate reports whether the database was imported from the
// content as it is by this very program: then the server opens it as it
// is (hashing the files is far cheaper than loading them). A database
// another build made holds that build's output (its HTML, addresses,
// folded search text): a new binary deployed by a restart builds its own.
func contentUpToDate(cfg Config) (bool, error) {
	if fi, err := os.Stat(cfg.Content); err != nil || !fi.IsDir() {
		return false, fmt.Errorf("content folder %q not found: run the command from the repository, or set -content", cfg.Content)
	}
	v, err := content.Version(content.Dir(cfg.Content))
	return err == nil && store.UpToDate(cfg.DB, v), nil
}

// warmUp has the importer load the content after the server started on a
// database that was up to date; if the content changed meanwhile, it
// reloads.
func warmUp(ctx context.Context, res *resident, srv *web.Server, reload web.Loader, log *slog.Logger) {
	rep, err := res.load(ctx, false)
	switch {
	case err != nil:
		log.Warn("the importer could not load the content (the next reload tries again)", slog.Any("err", err))
	case rep.Version != srv.Version():
		srv.Reload(ctx, reload)
	default:
		log.Info("the importer has loaded the content", slog.Int("files", rep.Stats.Files), slog.Int64("ms", rep.Millis))
	}
}

// openFirst opens the database to serve at start: the content's, or, when
// the content cannot be imported, the last good one, with the content's
// problems as loadErr. err is set when there is nothing to serve.
func openFirst(ctx context.Context, cfg Config, loader func(context.Context) (*store.Store, error)) (db *store.Store, loadErr, err error) {
	db, loadErr = loader(ctx)
	if err := ctx.Err(); err != nil {
		if db != nil {
			db.Close()
		}
		return nil, nil, err
	}
	if loadErr == nil {
		return db, nil, nil
	}
	// Content that cannot be imported never went live: a restart (a
	// reboot, a new binary) starts on the last good database and reports
	// the problems as a failed reload does, in the log and in /healthz;
	// the preview shows them in place of the pages. Without a database
	// there is nothing to serve.
	if db, err = store.Open(cfg.DB); err != nil {
		return nil, nil, problems(loadErr)
	}
	return db, loadErr, nil
}

// reloadOnHangup reloads the content at every SIGHUP, until ctx is done.
func reloadOnHangup(ctx context.Context, hup <-chan os.Signal, srv *web.Server, loader func(context.Context) (*store.Store, error), log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			log.Info("SIGHUP: reloading the content")
			srv.Reload(ctx, loader)
		}
	}
}

// watchFolders reloads the content when the content folder changes, and,
// in the preview, the static files when theirs does.
func watchFolders(ctx context.Context, cfg Config, srv *web.Server, loader, reloadAll web.Loader, log *slog.Logger) error {
	dirs := []string{cfg.Content}
	if cfg.Dev {
		dirs = append(dirs, cfg.Static)
	}
	return watch(ctx, log, func(dir string) {
		if dir == cfg.Content {
			srv.Reload(ctx, loader)
			return
		}
		if err := srv.ReloadAssets(); err != nil {
			log.Error("reloading static files", "err", err)
		}
		// Content refused for an image that was missing may pass now:
		// every file is read again.
		srv.Reload(ctx, reloadAll)
	}, dirs...)
}

// listenAndServe serves srv on addr until ctx is done, then finishes the
// requests in flight (at most shutdownTimeout).
func listenAndServe(ctx context.Context, addr string, srv *web.Server, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := httpServer(srv, log)
	fmt.Fprintf(stdout, "serving http://%s/ (content %s)\n", ln.Addr(), srv.Version())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	return hs.Shutdown(shutdown)
}

// shutdownTimeout bounds how long a shutdown waits for requests in flight.
const shutdownTimeout = 15 * time.Second

// maxHeaderBytes is the most a request line and its headers may take:
// 16 KB, 431 beyond. net/http reads MaxHeaderBytes plus 4096 bytes of
// slack (its initialReadLimitSize), so the server is given 4 KB less.
const maxHeaderBytes = 16 << 10

// httpServer is the server's HTTP side, with limits for clients that are
// slow or send too much: a client has 5 s to send its headers (slowloris),
// 10 s for the whole request, a response 30 s to be written, an idle
// keep-alive connection 2 min; headers are limited to maxHeaderBytes
// (bodies are limited by the handler, 413).
func httpServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes - 4096,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// exportSite imports the content and writes every page and file of the
// site, as the server answers them, to cfg.Out.
func exportSite(ctx context.Context, cfg Config, stdout io.Writer) error {
	start := time.Now()
	if _, err := loadAndImport(ctx, cfg); err != nil {
		return err
	}
	st, err := store.Open(cfg.DB)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{BaseURL: cfg.BaseURL, Assets: static.FS, Logger: slog.New(slog.DiscardHandler)}, st)
	if err != nil {
		st.Close()
		return err
	}
	defer srv.Close()
	redirects, err := st.Aliases(ctx)
	if err != nil {
		return err
	}
	scheme := urls.New(st.Languages())
	for _, t := range []content.Type{content.TypeDeclaration, content.TypeMeeting} {
		ids, err := st.RecordIDs(ctx, t)
		if err != nil {
			return err
		}
		for _, id := range ids {
			for _, tag := range st.Languages().Tags() {
				redirects = append(redirects, scheme.Permalink(t.Permalink(), id, tag))
			}
		}
	}
	// A 404 page in every language: the file for the root, and one in each
	// language's folder (nginx and static hosts serve the one nearest).
	notFound := map[string]string{}
	for _, lg := range st.Languages().All() {
		notFound[strings.TrimPrefix(lg.Prefix+"/404.html", "/")] = lg.Prefix + "/404"
	}
	bar := progress.New(cfg.Progress, 1, "exporting pages")
	rep, err := export.Write(ctx, export.Options{
		Handler: srv, BaseURL: cfg.BaseURL, Out: cfg.Out,
		Seeds:     []string{urls.Robots, urls.Favicon},
		Redirects: redirects, NotFound: notFound,
		Progress: func(done, known int) {
			bar.Total(known)
			bar.Set(done)
		},
	})
	bar.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d files (%.1f MB, with .gz and .br copies) and %d redirects to %s in %s\n",
		rep.Files, float64(rep.Bytes)/1e6, rep.Redirects, cfg.Out, time.Since(start).Round(time.Millisecond))
	return nil
}
