package main

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ispit/scorer"
	"ispit/sheet"
)

// TestBackupCommand checks `scorer backup`'s answers to each kind of call.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	data, empty := filepath.Join(dir, "scorer"), filepath.Join(dir, "empty")
	mustRun(t, "keygen", "--data", data)
	mustRun(t, "rules", "--data", data, "--graders", "2") // makes the database, with an audit entry
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("an earlier backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		output string // part of standard output (status 0) or of the error
		absent string // what the error must not say
	}{
		{"a backup", []string{"--data", data, "--out", filepath.Join(dir, "b1.db")}, 0, "backed up 0 sheets and 1 audit entries (the chain verifies) to " + filepath.Join(dir, "b1.db"), ""},
		{"the file exists", []string{"--data", data, "--out", existing}, 1, "existing.db exists; a backup never overwrites a file", ""},
		{"no database in the data folder", []string{"--data", empty, "--out", filepath.Join(dir, "b2.db")}, 1, "no scorer database to back up", ""},
		{"PostgreSQL", []string{"--data", data, "--db", "postgres://scorer:secret@db.exam.lan:5432/scorer?sslmode=require", "--out", "/backups/scorer 1.dump"}, 2,
			"pg_dump --format=custom --file='/backups/scorer 1.dump' --dbname='postgres://scorer@db.exam.lan:5432/scorer?sslmode=require'", "secret"},
		{"PostgreSQL, no password", []string{"--data", data, "--db", "postgresql://scorer@db/scorer", "--out", "scorer.dump"}, 2,
			"pg_dump --format=custom --file=scorer.dump --dbname=postgresql://scorer@db/scorer (restore it with pg_restore", ""},
		{"another database", []string{"--data", data, "--db", "mysql://db/scorer", "--out", filepath.Join(dir, "b3.db")}, 2, "postgres:// or postgresql:// URL", ""},
		{"no --out", []string{"--data", data}, 2, "missing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := scorerCmd(t, append([]string{"backup"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.output) || (tt.absent != "" && strings.Contains(stdout+stderr, tt.absent)) {
				t.Errorf("exit %d (want %d): %s%s\nwant it to say %q", code, tt.code, stdout, stderr, tt.output)
			}
		})
	}
	if info, err := os.Stat(filepath.Join(dir, "b1.db")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the backup: %v %v, want mode 0600", info, err)
	}
	for _, name := range []string{"b2.db", "b3.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("a refused backup left %s: %v", name, err)
		}
	}
}

// TestBackupWhileServing backs up the database of a scorer that is receiving sheets, with
// `scorer backup` in a process of its own, then restores the backup as docs/deployment.md says
// (the file as scorer.db in a fresh data folder, with a copy of the keys) and serves from it:
// every sheet receipted before the backup began is there with the receipt its kiosk holds, and
// `scorer results` lists the sheets.
func TestBackupWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the scorer binary")
	}
	start := time.Now()
	dir := t.TempDir()
	data := filepath.Join(dir, "scorer")
	bin, keys := lgScorerWithKeys(t, data)
	receiptKey := keys.Receipt.PublicKey()
	terms := lgNewTerminals(t, 4, "backup")
	lgEnrolCLI(t, bin, data, terms)
	sheets := lgSealSheets(t, terms, keys.SheetRecipient, "backup", 2000, 3)
	t.Logf("%v: built the scorer, enrolled %d terminals and sealed %d sheets", time.Since(start).Round(time.Millisecond), len(terms), len(sheets))
	srv := &lgScorer{Bin: bin, Data: data, Addr: lgFreeAddr(t)}
	srv.Start(t)

	// Kiosks upload one sheet after another until told to stop.
	var (
		mu       sync.Mutex
		receipts = map[string][]byte{}
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	stop := make(chan struct{})
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				select {
				case <-stop:
					return
				default:
					if i >= len(sheets) {
						return
					}
				}
				res, err := lgPost(context.Background(), client, srv.URL(), sheets[i])
				if err != nil || res.Status != http.StatusCreated {
					t.Errorf("uploading %s: %d %v %s", sheets[i].ID, res.Status, err, res.Body)
					return
				}
				if _, err := sheet.VerifyReceipt(res.Body, receiptKey, sheets[i].Sealed); err != nil {
					t.Errorf("receipt of %s: %v", sheets[i].ID, err)
					return
				}
				mu.Lock()
				receipts[sheets[i].ID] = res.Body
				mu.Unlock()
			}
		})
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(receipts)
	}
	for count() < 300 && next.Load() < int64(len(sheets)) {
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := maps.Clone(receipts)
	mu.Unlock()
	backup := filepath.Join(dir, "backups", "scorer-1.db")
	if err := os.Mkdir(filepath.Dir(backup), 0o700); err != nil {
		t.Fatal(err)
	}
	out := lgRunCLI(t, bin, "backup", "--data", data, "--out", backup)
	during := count() - len(before)
	close(stop)
	wg.Wait()
	srv.Stop(t)
	if t.Failed() {
		t.FailNow()
	}
	if during == 0 || next.Load() >= int64(len(sheets)) {
		t.Errorf("the scorer received %d sheets while the backup ran and the kiosks ran out of sheets: %v; the backup did not run beside uploads",
			during, next.Load() >= int64(len(sheets)))
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the backup: %v %v, want mode 0600", info, err)
	}
	t.Logf("%v: %d sheets receipted before the backup began, %d while it ran, %d in all: %s",
		time.Since(start).Round(time.Millisecond), len(before), during, len(receipts), strings.TrimSpace(out))

	// The restore: the backup as the database of a fresh data folder, with the keys.
	restored := filepath.Join(dir, "restored")
	lgCopyKeys(t, data, restored)
	db, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, scorer.SQLiteFile), db, 0o600); err != nil {
		t.Fatal(err)
	}
	srv = &lgScorer{Bin: bin, Data: restored, Addr: lgFreeAddr(t)}
	srv.Start(t)
	byID := map[string]*lgSheet{}
	for _, s := range sheets {
		byID[s.ID] = s
	}
	for id, want := range before {
		res, err := lgPost(context.Background(), client, srv.URL(), byID[id])
		if err != nil || res.Status != http.StatusOK || string(res.Body) != string(want) {
			t.Fatalf("sheet %s, receipted before the backup, sent to the restored scorer: %d %v (want 200 with the same receipt: %v)",
				id, res.Status, err, string(res.Body) == string(want))
		}
	}
	srv.Stop(t)

	var report scorer.Report
	if err := json.Unmarshal([]byte(mustRun(t, "results", "--data", restored, "--format", "json")), &report); err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, h := range report.Held {
		held[h.SheetID] = true
		if _, ok := receipts[h.SheetID]; !ok {
			t.Errorf("the restored scorer holds sheet %s, which no kiosk has a receipt for", h.SheetID)
		}
	}
	for id := range before {
		if !held[id] {
			t.Errorf("scorer results on the restored data folder does not list sheet %s", id)
		}
	}
	t.Logf("%v: restored, every sheet receipted before the backup is there with its receipt; scorer results lists %d sheets",
		time.Since(start).Round(time.Millisecond), len(report.Held))
}
