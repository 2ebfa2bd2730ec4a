package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"
)

// Config is every setting of the program, from flags with environment
// fallbacks.
type Config struct {
	Addr    string // listen address
	DB      string // database file
	Content string // content folder
	BaseURL string // public address for canonical links and feeds
	Dev     bool   // preview: drafts shown, pages reload on change
	Watch   bool   // reload when the content folder changes (always on with Dev)
	Static  string // the static folder, read from disk by the preview
	// ClientIPHeader names the header with the client's address, set by
	// the proxy in front (for the search limit).
	ClientIPHeader string
	// Publish: serve writes the cached pages of each content version to
	// this folder, for nginx (docs/nginx-production.conf).
	Publish string
	// ServeMemory is the soft limit of the server's Go heap, in MB (0:
	// none; see budget.go). GOMEMLIMIT in the environment, if set, wins.
	ServeMemory int

	// ImportTimeout and ImportMemory bound every load of the content
	// (check, import, and the server's reloads, which run `site import` in
	// a child process): a deadline, and a memory budget in MB (0: none).
	ImportTimeout time.Duration
	ImportMemory  int
	// JSON: import prints content problems as JSON on stdout.
	JSON bool
	// Resident: import is the server's resident importer (resident.go),
	// loading whenever asked on stdin.
	Resident bool
	// CPUProfile: import writes a CPU profile (pprof) of itself here.
	CPUProfile string

	// corpus and export: the folder to write.
	Out string
	// translated: the translations to mark, relative to the content
	// folder or to the repository (content/pages/about.en.md).
	Files []string
	// corpus: how big.
	Declarations, Meetings int
	Languages              string // corpus: comma-separated tags, "" for all

	// Progress is where long work (import, export, corpus) shows its
	// progress: standard error; nothing is shown unless it is a terminal.
	Progress io.Writer
}

func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var c Config
	fs := flag.NewFlagSet("site "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Content, "content", env("CONTENT", "content"), "content folder (env CONTENT)")
	if cmd == "serve" || cmd == "import" || cmd == "export" {
		fs.StringVar(&c.DB, "db", env("DB", "data/site.db"), "database file (env DB)")
	}
	if cmd == "serve" || cmd == "import" || cmd == "export" || cmd == "check" || cmd == "urls" || cmd == "translated" {
		fs.DurationVar(&c.ImportTimeout, "import-timeout", defaultImportTimeout, "stop loading the content after this long (0: never)")
		fs.IntVar(&c.ImportMemory, "import-memory", defaultImportMemory, "memory budget of a content load, in MB (0: none)")
	}
	if cmd == "import" {
		fs.BoolVar(&c.JSON, "json", false, "print content problems as JSON on standard output")
		fs.BoolVar(&c.Resident, "resident", false, "the server's resident importer: load and import whenever a line on standard input asks, answering in JSON (the server runs it)")
		fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the import to this file (go tool pprof)")
		fs.StringVar(&c.Static, "static", "", "check images against this static folder on disk instead of the one built in")
	}
	if cmd == "export" {
		fs.StringVar(&c.Out, "out", "", "folder to write the site to (must not exist or be empty)")
		fs.StringVar(&c.BaseURL, "base-url", getenv("BASE_URL"), "public address of the site, for canonical links (env BASE_URL; required)")
	}
	if cmd == "serve" {
		fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address (env ADDR)")
		fs.StringVar(&c.BaseURL, "base-url", getenv("BASE_URL"), "public address of the site, for canonical links (env BASE_URL; default http://ADDR)")
		fs.BoolVar(&c.Dev, "dev", false, "preview: show drafts, reload on changes to content/ and static/, refresh open tabs")
		fs.BoolVar(&c.Watch, "watch", false, "reload when the content folder changes (SIGHUP always reloads)")
		fs.StringVar(&c.Static, "static", "static", "static folder, read from disk with -dev")
		fs.IntVar(&c.ServeMemory, "memory", defaultServeMemory, "soft limit of the server's memory, in MB: past it the garbage collector works harder (0: none; GOMEMLIMIT, if set, wins)")
		fs.StringVar(&c.Publish, "publish", getenv("PUBLISH"), "write the cached pages of each content version to this folder for nginx to serve (docs/nginx-production.conf; env PUBLISH)")
		fs.StringVar(&c.ClientIPHeader, "client-ip-header", getenv("CLIENT_IP_HEADER"), "header in which the proxy in front puts the client's address, for the search limit: X-Real-IP, X-Forwarded-For… (env CLIENT_IP_HEADER; only behind a proxy that sets it)")
	}
	if cmd == "corpus" {
		fs.StringVar(&c.Out, "out", "", "folder to write the synthetic content to (must not exist)")
		fs.IntVar(&c.Declarations, "declarations", 10000, "synthetic declarations")
		fs.IntVar(&c.Meetings, "meetings", 10000, "synthetic meetings")
		fs.StringVar(&c.Languages, "languages", "", "comma-separated BCP 47 tags of the languages to write the records in (default: every language of content/languages.yaml; the authoritative one always)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if cmd == "translated" {
		c.Files = fs.Args()
		if len(c.Files) == 0 {
			return c, errors.New("site translated: name the translation files brought up to date, like content/pages/about.en.md")
		}
	} else if fs.NArg() > 0 {
		return c, fmt.Errorf("site %s: unexpected argument %q", cmd, fs.Arg(0))
	}
	return c, c.validate(cmd)
}

func (c *Config) validate(cmd string) error {
	if c.Content == "" {
		return errors.New("-content must not be empty")
	}
	if (cmd == "serve" || cmd == "import" || cmd == "export") && c.DB == "" {
		return errors.New("-db must not be empty")
	}
	if c.ImportMemory != 0 && c.ImportMemory < minImportMemory {
		return fmt.Errorf("-import-memory %d: give at least %d (MB), or 0 for no budget", c.ImportMemory, minImportMemory)
	}
	if c.ImportTimeout < 0 {
		return fmt.Errorf("-import-timeout %s: give a duration such as 10m, or 0 for none", c.ImportTimeout)
	}
	if cmd == "corpus" && (c.Out == "" || c.Declarations < 0 || c.Meetings < 0) {
		return errors.New("site corpus: -out is required, and the counts must be 0 or more")
	}
	if cmd == "export" && (c.Out == "" || c.BaseURL == "") {
		return errors.New("site export: -out and -base-url (the site's public address) are required")
	}
	if cmd != "serve" && cmd != "export" {
		return nil
	}
	if cmd == "serve" {
		host, _, err := net.SplitHostPort(c.Addr)
		if err != nil {
			return fmt.Errorf("-addr %q: %v", c.Addr, err)
		}
		// The preview shows drafts and files from disk, and its problems
		// to anyone who asks: it is for the editor's own machine.
		if ip := net.ParseIP(host); c.Dev && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("-dev serves drafts and content problems: it listens only on this machine (-addr 127.0.0.1:PORT or localhost:PORT), not on %q", c.Addr)
		}
		if c.ServeMemory < 0 {
			return fmt.Errorf("-memory %d: give a size in MB, or 0 for no limit", c.ServeMemory)
		}
		if c.Dev && c.Publish != "" {
			return errors.New("-publish writes the public site for nginx: it does not go with -dev, which shows drafts")
		}
		if c.BaseURL == "" {
			c.BaseURL = "http://" + c.Addr
		}
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("-base-url %q: want an address like https://example.org", c.BaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	return nil
}
