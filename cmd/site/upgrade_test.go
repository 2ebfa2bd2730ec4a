package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestNewBuildRebuildsTheDatabase: the database holds what the program
// made of the content, so a binary that did not build it builds its own
// on start, even when the content is the same; the same binary reuses it.
// /healthz says which build answers and which built the database.
func TestNewBuildRebuildsTheDatabase(t *testing.T) {
	bin := buildSite(t)
	dir, db := importedCopy(t, bin)
	type health struct {
		Version   string `json:"version"`
		DBVersion string `json:"db_version"`
		Built     string `json:"built"`
	}
	serve := func() health {
		t.Helper()
		addr := freePort(t)
		cmd := exec.Command(bin, "serve", "-addr", addr, "-content", dir, "-db", db)
		var log lockedBuffer
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}()
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			res, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				continue
			}
			var h health
			err = json.NewDecoder(res.Body).Decode(&h)
			res.Body.Close()
			if err == nil && res.StatusCode == 200 {
				return h
			}
		}
		t.Fatalf("site did not start:\n%s", log.String())
		return health{}
	}
	first := serve()
	if first.Version == "" || first.Version != first.DBVersion {
		t.Fatalf("/healthz = %+v, want the running build to have built the database", first)
	}
	if again := serve(); again.Built != first.Built {
		t.Errorf("the same build rebuilt an up-to-date database: %+v, then %+v", first, again)
	}

	// The database as an older build left it.
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("UPDATE meta SET value = 'older-build0' WHERE key = 'build'"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	time.Sleep(1100 * time.Millisecond) // "built" has whole seconds
	after := serve()
	if after.DBVersion != after.Version || after.Built == first.Built {
		t.Errorf("after an upgrade /healthz = %+v, want the database rebuilt by the running build", after)
	}
}
