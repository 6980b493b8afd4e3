package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ispit/internal/pgtest"
	"ispit/scorer"
)

// TestMain stops the PostgreSQL server the tests started. Started with lgProxyEnv set, the
// test binary is the replica tests' proxy instead (proxy_test.go).
func TestMain(m *testing.M) {
	if backends := os.Getenv(lgProxyEnv); backends != "" {
		os.Exit(lgProxyMain(strings.Split(backends, ",")))
	}
	os.Exit(pgtest.Run(m))
}

// TestPostgresCommands runs the scorer on PostgreSQL: commands and `scorer serve` with --db
// keep everything in the database and nothing in the data folder but the keys.
func TestPostgresCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the scorer binary")
	}
	url := pgtest.NewDatabase(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "scorer")
	mustRun(t, "keygen", "--data", data)
	keys, err := scorer.LoadKeys(filepath.Join(data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	terms := lgNewTerminals(t, 2, "pg")
	for _, term := range terms {
		pub := filepath.Join(dir, term.ID+".pub")
		if err := os.WriteFile(pub, term.PubLine, 0o644); err != nil {
			t.Fatal(err)
		}
		mustRun(t, "terminal", "add", "--data", data, "--db", url, "--id", term.ID, "--key", pub)
	}
	mustRun(t, "user", "add", "--data", data, "--db", url, "--name", "tajnica", "--role", "secretary")
	mustRun(t, "rules", "--data", data, "--db", "postgresql://"+strings.TrimPrefix(url, "postgres://"), "--graders", "3")

	srv := &lgScorer{Bin: lgBuildScorer(t), Data: data, Addr: lgFreeAddr(t), Extra: []string{"--db", url}}
	srv.Start(t)
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	sheets := lgSealSheets(t, terms, keys.SheetRecipient, "pg", 6, 3)
	for _, s := range sheets {
		res, err := lgPost(context.Background(), client, srv.URL(), s)
		if err != nil || res.Status != http.StatusCreated {
			t.Fatalf("uploading %s: %d %v %s\n%s", s.ID, res.Status, err, res.Body, srv.LogTail())
		}
	}
	srv.Stop(t)

	if _, err := os.Stat(filepath.Join(data, scorer.SQLiteFile)); !os.IsNotExist(err) {
		t.Errorf("with --db the data folder has %s: %v", scorer.SQLiteFile, err)
	}
	store, err := scorer.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	stored, _ := store.Sheets(ctx)
	terminals, _ := store.Terminals(ctx)
	rules, _ := store.Rules(ctx)
	if _, err := store.User(ctx, "tajnica"); err != nil || len(stored) != len(sheets) || len(terminals) != 2 || rules.MinGraders != 3 {
		t.Errorf("the database holds %d sheets, %d terminals, rules %+v, the user: %v", len(stored), len(terminals), rules, err)
	}
	out := mustRun(t, "results", "--data", data, "--db", url, "--format", "json")
	if strings.Count(out, `"sheet_id"`) != len(sheets) {
		t.Errorf("results on PostgreSQL: %s", out)
	}

	for name, db := range map[string]string{"another scheme": "mysql://db/scorer", "a file": filepath.Join(dir, "other.db")} {
		if code, _, stderr := scorerCmd(t, "rules", "--data", data, "--db", db); code != 2 || !strings.Contains(stderr, "postgres:// or postgresql:// URL") {
			t.Errorf("--db %s: exit %d %s", name, code, stderr)
		}
	}
}
