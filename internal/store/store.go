// Package store keeps the site's records in SQLite: Import writes a new
// database file from a content.Site in one transaction and swaps it in
// atomically; Open reads one, read-only, for the web server.
//
// The database is a build artefact of the content folder: deleting it loses
// nothing. Its schema is the numbered SQL files in migrations/, applied in
// order and tracked with PRAGMA user_version.
//
// Every data method's error names the call and its arguments
// (`Declaration("2021-…", "pl"): …`, see wrap), and a stored value that
// does not read back is an error naming its record and column, never a
// zero value (errors.go).
//
// It owns the schema, the import and every query. It must not render
// pages or know HTTP: its HTML is what content rendered, and the words it
// keeps are the content's and its message catalogues'.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/lang"
)

// ErrNotFound is returned when a record, page or alias does not exist or is
// not visible.
var ErrNotFound = errors.New("not found")

// Store is an open, read-only database of the site's records. Its content
// never changes while it is open: Open reads a private hard link to the file,
// so a later import that replaces the file does not reach it.
type Store struct {
	db         *sql.DB
	stmts      sync.Map // query text → *sql.Stmt
	file       string   // the private name of the file, removed on Close
	version    string
	built      time.Time
	build      string // BuildID of the program that built the database
	reg        *lang.Registry
	catalogues map[string]*catalog.Catalogue
	// hidden: some document is a draft, scheduled or set to expire, so
	// searches must test each match's visibility (which costs: most
	// sites, most of the time, have none).
	hidden bool
}

// Open opens the database at path for reading.
func Open(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	link, err := privateName(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := sql.Open(readDriver(), "file:"+link+"?mode=ro&immutable=1&_query_only=1")
	if err != nil {
		os.Remove(link)
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	n := runtime.GOMAXPROCS(0) * 2
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	s := &Store{db: db, file: link}
	if err := s.check(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

var registerRead sync.Once

// readDriver returns the driver of read-only handles: SQLite with an 8 MB
// page cache per connection, set on every connection as it opens.
//
// The file is not memory-mapped. Mapping saves a read system call per page
// but each pooled connection maps the file anew, and every page touched
// (with the kernel's read-around, 64 KB at a time) stays in the process's
// resident memory: serving 2,000 pages of the synthetic corpus left 284 MB
// of a 161 MB file mapped (4 KB pages then). Read through the page cache,
// memory is bounded by cache_size × connections, and BenchmarkSearch100k's
// p95 stayed at 3.5 ms.
func readDriver() string {
	registerRead.Do(func() {
		sql.Register("sqlite3-read", &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec("PRAGMA mmap_size = 0; PRAGMA cache_size = -8000", nil)
			return err
		}})
	})
	return "sqlite3-read"
}

// privateName gives the file at path a second, private name: a hard link,
// or a copy where links are not possible.
func privateName(path string) (string, error) {
	sweep(filepath.Dir(path))
	b := make([]byte, 6)
	rand.Read(b)
	link := filepath.Join(filepath.Dir(path), ".serve-"+processTag+"-"+hex.EncodeToString(b)+"-"+filepath.Base(path))
	if err := os.Link(path, link); err == nil {
		return link, nil
	}
	return link, copyFile(path, link)
}

// processTag names this process in the names of its files beside the
// database: a hash of the host name (a folder may be shared by
// containers, each with its own process ids) and the process id.
var processTag = func() string {
	host, _ := os.Hostname()
	sum := sha256.Sum256([]byte(host))
	return hex.EncodeToString(sum[:4]) + "p" + strconv.Itoa(os.Getpid())
}()

// ownFile matches the files processes of this host leave beside a
// database: .serve-HOST pPID-…, .import-HOST pPID-….
var ownFile = regexp.MustCompile(`^\.(?:serve|import)-([0-9a-f]{8})p([0-9]+)-`)

// sweep removes from dir the private links (.serve-…) and unfinished
// imports (.import-…) of processes of this host that are gone: a crash or
// a kill -9 leaves them, and each holds a whole database's disk space.
// Files of live processes, this one included, and of other hosts are
// left alone.
func sweep(dir string) {
	host := processTag[:8]
	for _, pattern := range []string{".serve-*", ".import-*"} {
		names, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, name := range names {
			m := ownFile.FindStringSubmatch(filepath.Base(name))
			if m == nil || m[1] != host {
				continue
			}
			pid, err := strconv.Atoi(m[2])
			if err != nil || pid <= 0 || pid == os.Getpid() || alive(pid) {
				continue
			}
			os.Remove(name)
		}
	}
}

// alive reports whether process pid exists (signal 0 checks without
// sending anything; EPERM means it exists under another user).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	return out.Close()
}

// check refuses a database of another schema version and reads its meta.
func (s *Store) check(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if want := len(migrations()); v != want {
		return fmt.Errorf("the database has schema version %d, this program needs %d: run import", v, want)
	}
	var built, langs string
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = 'version'), (SELECT value FROM meta WHERE key = 'built'),
		(SELECT value FROM meta WHERE key = 'build'), (SELECT value FROM meta WHERE key = 'languages')`).Scan(&s.version, &built, &s.build, &langs)
	if err != nil {
		return fmt.Errorf("reading meta: %w", err)
	}
	if s.built, err = time.Parse(time.RFC3339, built); err != nil {
		return badValue("built", "meta.value", err)
	}
	var ls []*lang.Language
	if err := json.Unmarshal([]byte(langs), &ls); err != nil {
		return badValue("languages", "meta.value", err)
	}
	if len(ls) == 0 {
		return badValue("languages", "meta.value", errors.New("no language"))
	}
	s.reg = lang.New(ls)
	s.catalogues = map[string]*catalog.Catalogue{}
	rows, err := s.db.QueryContext(ctx, "SELECT lang, body FROM catalogues")
	if err != nil {
		return fmt.Errorf("reading catalogues: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tag, body string
		if err := rows.Scan(&tag, &body); err != nil {
			return fmt.Errorf("reading catalogues: %w", err)
		}
		var c catalog.Catalogue
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return badValue(tag, "catalogues.body", err)
		}
		s.catalogues[tag] = &c
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading catalogues: %w", err)
	}
	for _, tag := range s.reg.Tags() {
		if s.catalogues[tag] == nil {
			return fmt.Errorf("no catalogue for %s", tag)
		}
	}
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM search_docs WHERE draft OR publish_at IS NOT NULL OR expires_at IS NOT NULL)").Scan(&s.hidden); err != nil {
		return fmt.Errorf("reading schedules: %w", err)
	}
	return nil
}

// Languages returns the language registry of the content the database was
// built from.
func (s *Store) Languages() *lang.Registry { return s.reg }

// Catalogue returns the message catalogue of language tag.
func (s *Store) Catalogue(tag string) *catalog.Catalogue { return s.catalogues[tag] }

// Build returns the BuildID of the program that built the database.
func (s *Store) Build() string { return s.build }

// BuildID identifies the program running: the first 12 hex digits of the
// SHA-256 of its executable file, read once. A database records the build
// that made it (it holds what the program made of the content: rendered
// HTML, addresses, folded search text), and a server whose build differs
// builds it again (UpToDate).
func BuildID() string {
	buildOnce.Do(func() {
		buildID = "unknown"
		exe, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err == nil {
			buildID = hex.EncodeToString(h.Sum(nil))[:12]
		}
	})
	return buildID
}

var (
	buildOnce sync.Once
	buildID   string
)

// stmt returns the prepared statement of query, preparing it once: most
// queries are a handful of constant texts, and preparing is a good part of
// a small query's time.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// query runs a query through its prepared statement.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a one-row query through its prepared statement.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := s.stmt(ctx, query)
	if err != nil {
		// Let Scan report the error: a Row cannot be made with one.
		return s.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Close closes the database and removes its private name.
func (s *Store) Close() error {
	s.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := s.db.Close()
	if s.file != "" {
		os.Remove(s.file)
	}
	return err
}

// Version returns the content version the database was built from.
func (s *Store) Version() string { return s.version }

// Built returns when the database was built.
func (s *Store) Built() time.Time { return s.built }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "Ping")
	var one int
	return s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// UpToDate reports whether the database at path was built from content of
// version by this very program (same schema and BuildID): then it can be
// served as it is.
func UpToDate(path, version string) bool {
	v, build, err := readMeta(path)
	return err == nil && v == version && build == BuildID()
}

// ContentVersion returns the content version recorded in the database at
// path without opening it for serving, or an error if there is none.
func ContentVersion(path string) (_ string, err error) {
	defer wrap(&err, "ContentVersion(%q)", path)
	v, _, err := readMeta(path)
	return v, err
}

// readMeta returns the content version and build recorded in the database
// at path.
func readMeta(path string) (version, build string, err error) {
	if _, err := os.Stat(path); err != nil {
		return "", "", err // an *os.PathError: it names the file
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return "", "", fmt.Errorf("opening %s: %w", path, err)
	}
	defer db.Close()
	var uv int
	if err := db.QueryRow("PRAGMA user_version").Scan(&uv); err != nil {
		return "", "", fmt.Errorf("schema version of %s: %w", path, err)
	}
	if uv != len(migrations()) {
		return "", "", fmt.Errorf("schema version %d, want %d", uv, len(migrations()))
	}
	if err := db.QueryRow("SELECT (SELECT value FROM meta WHERE key = 'version'), (SELECT value FROM meta WHERE key = 'build')").Scan(&version, &build); err != nil {
		return "", "", fmt.Errorf("meta of %s: %w", path, err)
	}
	return version, build, nil
}

// Visibility says which documents a query may return.
type Visibility struct {
	Now    time.Time // documents scheduled for later, or expired, are hidden
	Drafts bool      // true shows drafts (the editors' preview)
}

const timeLayout = "2006-01-02T15:04:05Z"

// where returns an SQL condition, and its arguments, true for the visible
// rows of the docs table named alias.
func (v Visibility) where(alias string) (string, []any) {
	drafts, now := v.args()
	cond := fmt.Sprintf("(%[1]s.draft <= ? AND (%[1]s.publish_at IS NULL OR %[1]s.publish_at <= ?) AND (%[1]s.expires_at IS NULL OR %[1]s.expires_at > ?))", alias)
	return cond, []any{drafts, now, now}
}

// args returns the highest draft flag visible (1 with drafts, else 0) and
// the time, as stored.
func (v Visibility) args() (int, string) {
	drafts := 0
	if v.Drafts {
		drafts = 1
	}
	return drafts, v.Now.UTC().Format(timeLayout)
}

// NextChange returns the first moment after now at which a document
// becomes visible or hidden by its schedule, or the zero time if none will.
// Pages rendered for now stay true until then.
func (s *Store) NextChange(ctx context.Context, now time.Time) (_ time.Time, err error) {
	defer wrap(&err, "NextChange(%s)", now.UTC().Format(timeLayout))
	t := now.UTC().Format(timeLayout)
	var next sql.NullString
	err = s.db.QueryRowContext(ctx, `
		SELECT min(x) FROM (
			SELECT publish_at AS x FROM docs WHERE publish_at > ?
			UNION ALL SELECT expires_at FROM docs WHERE expires_at > ?)`, t, t).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, err
	}
	// The earliest of every document's schedule: no one record to name.
	return storedTime("(any)", "docs.publish_at or docs.expires_at", next.String)
}
