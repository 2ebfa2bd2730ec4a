// Command site builds and serves the City of Kraków's site on its part in
// inter-city platforms on human rights and migration.
//
// Usage:
//
//	site serve  [-addr 127.0.0.1:8080] [-db data/site.db] [-content content] [-base-url URL] [-dev]
//	site import [-db data/site.db] [-content content] [-json] [-static DIR]
//	site check  [-content content]
//	site urls   [-content content]
//	site translated [-content content] FILE...
//	site reference
//	site corpus -out DIR [-declarations N] [-meetings N] [-content content]
//	site export -out DIR -base-url URL [-db data/site.db] [-content content]
//
// serve imports the content first when the database is missing or was built
// from other content. export imports it and writes the whole site to a
// folder for a static host or CDN (see README, "Deploying"). Every flag
// falls back to an environment variable: ADDR, DB, CONTENT, BASE_URL.
//
// Every command that loads the content (serve, import, check, urls, export)
// does it under -import-timeout (default 10m) and -import-memory (a budget
// in MB, default 2048); serve loads it in a child process under them, its
// resident importer (resident.go), so that nothing in the content can stop
// the server.
//
// This package owns the command line, flags, signals, the resident
// importer and the server's process; what a command does lives in internal/
// packages, and it must not hold the site's rules.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
}

// run runs the subcommand named by args[0].
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: site serve|import|check|urls|translated|reference|corpus|export [flags]; site <command> -h for the flags")
	}
	cfg, err := parseConfig(args[0], args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	cfg.Progress = stderr
	switch args[0] {
	case "serve":
		limitServeMemory(cfg.ServeMemory, getenv)
		return serve(ctx, cfg, stdout, stderr)
	case "import":
		if cfg.Resident {
			return residentImport(ctx, cfg, os.Stdin, stdout)
		}
		return importContent(ctx, cfg, stdout)
	case "check":
		return check(ctx, cfg, stdout)
	case "urls":
		return recordURLs(ctx, cfg, stdout)
	case "translated":
		return markTranslated(ctx, cfg, stdout)
	case "reference":
		return writeReference(stdout)
	case "corpus":
		return writeCorpus(cfg, stdout)
	case "export":
		return exportSite(ctx, cfg, stdout)
	}
	return fmt.Errorf("unknown command %q: use serve, import, check, urls, translated, reference, corpus or export", args[0])
}
