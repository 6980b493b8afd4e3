package scorer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ispit/scorer"
)

// Backups: what a backup of a store must hold, and the SQLite backup (BackupSQLite). The
// PostgreSQL one, with pg_dump and pg_restore, is in postgres_backup_test.go.

// fillStore stores sheets and one record of each kind the commission keeps, each change with
// its audit entry, and returns the number of audit entries.
func fillStore(t *testing.T, s scorer.Store, sheets int) int {
	t.Helper()
	ctx := context.Background()
	var records []*scorer.SheetRecord
	for i := range sheets {
		id := fmt.Sprintf("sheet-%03d", i)
		records = append(records, sheetRecord(id, "digest-"+id, fmt.Sprintf("CODE%d", i), storeNow.Add(time.Duration(i)*time.Second)))
	}
	for _, res := range s.PutSheets(ctx, records) {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	changes := []struct {
		name   string
		change func() error
	}{
		{"terminal", func() error {
			return s.AddTerminal(ctx, scorer.Terminal{ID: "T-1", PublicKey: "key of T-1", Added: storeNow})
		}},
		{"answer key", func() error { return s.PutAnswerKey(ctx, "b", []byte("key file")) }},
		{"account", func() error {
			return s.AddUser(ctx, scorer.User{Name: "ana", Roles: []scorer.Role{scorer.RoleGrader}, Password: "h", Created: storeNow}, auditOf(scorer.AuditUserAdded))
		}},
		{"grade", func() error {
			return s.PutGrade(ctx, scorer.Grade{SheetID: "sheet-000", ItemID: "w-1", Grader: "ana", Points: 20, At: storeNow}, auditOf(scorer.AuditGrade))
		}},
		{"interview", func() error {
			return s.PutInterview(ctx, scorer.Interview{Candidate: "C-1", Position: "P-1", Points: 20, Entered: storeNow, By: "dino"}, auditOf(scorer.AuditInterview))
		}},
		{"appeal", func() error {
			_, err := s.AddAppeal(ctx, scorer.AppealRecord{ReceiptCode: "CODE0", SheetID: "sheet-000", Lodged: storeNow, LodgedBy: "tajnica", Grounds: "g"}, auditOf(scorer.AuditAppealLodged))
			return err
		}},
		{"rules", func() error { return s.PutRules(ctx, scorer.Rules{MinGraders: 3}, auditOf(scorer.AuditRules)) }},
		{"sign-in", func() error { return s.AppendAudit(ctx, auditOf(scorer.AuditSignIn)) }},
		{"secret", func() error { _, err := s.Secret(ctx, "console", 32); return err }},
	}
	for _, c := range changes {
		if err := c.change(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	return 6 // the changes above with an audit entry
}

// storeContents is what a backup must keep of a store, each list as JSON: the sheets with
// their numbers and receipts, the commission's records and the audit log.
func storeContents(t *testing.T, s scorer.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	lists := map[string]func() (any, error){
		"terminals":           func() (any, error) { return s.Terminals(ctx) },
		"answer key":          func() (any, error) { return s.AnswerKeyFile(ctx, "b") },
		"sheets":              func() (any, error) { return s.SheetsAfter(ctx, 0) },
		"grades":              func() (any, error) { return s.Grades(ctx) },
		"interviews":          func() (any, error) { return s.Interviews(ctx) },
		"appeals":             func() (any, error) { return s.Appeals(ctx) },
		"rules":               func() (any, error) { return s.Rules(ctx) },
		"accounts":            func() (any, error) { return s.Users(ctx) },
		"audit log":           func() (any, error) { return s.Audit(ctx, 0, -1) },
		"the secret":          func() (any, error) { return s.Secret(ctx, "console", 32) },
		"commission revision": func() (any, error) { r, err := s.Revision(ctx); return r.Commission, err },
	}
	out := map[string]string{}
	for name, list := range lists {
		v, err := list()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(b)
	}
	return out
}

// sameContents reports every list in which a restored store differs from the original.
func sameContents(t *testing.T, original, restored map[string]string) {
	t.Helper()
	for name, want := range original {
		if got := restored[name]; got != want {
			t.Errorf("%s differ after the restore:\n got %.300s\nwant %.300s", name, got, want)
		}
	}
}

// TestSQLiteBackup backs a database up while another store over it goes on storing sheets: the
// copy is 0600, holds every sheet committed before the backup began, numbered as in the
// original from the first on without a gap, with the commission's records and an audit chain
// that verifies, and opens as a store.
func TestSQLiteBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, scorer.SQLiteFile)
	s, err := scorer.OpenSQLite(src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	audits := fillStore(t, s, 20)

	// A writer stores one sheet after another, before, during and after the backup.
	var stored atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("live-%05d", i)
			if res := s.PutSheets(ctx, []*scorer.SheetRecord{sheetRecord(id, "d", "LIVE", time.Now())}); res[0].Err != nil {
				t.Error(res[0].Err)
				return
			}
			stored.Add(1)
		}
	})
	for stored.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	before := 20 + stored.Load()
	dst := filepath.Join(dir, "backup", "scorer-backup.db")
	os.Mkdir(filepath.Dir(dst), 0o700)
	summary, err := scorer.BackupSQLite(ctx, src, dst)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}

	info, err := os.Stat(dst)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the backup: %v, mode %v", err, info.Mode())
	}
	if entries, _ := os.ReadDir(filepath.Dir(dst)); len(entries) != 1 {
		t.Errorf("the backup's folder holds %d files, want the backup alone", len(entries))
	}
	copyStore, err := scorer.OpenSQLite(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	copied, err := copyStore.SheetsAfter(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.SheetsAfter(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(copied)) < before || summary.Sheets != int64(len(copied)) || summary.Audit != int64(audits) || summary.Bytes != info.Size() {
		t.Errorf("the backup holds %d sheets (%d committed before it began), summary %+v, %d audit entries, %d bytes",
			len(copied), before, summary, audits, info.Size())
	}
	for i, r := range copied {
		if r.Seq != int64(i+1) || r.SheetID != all[i].SheetID || string(r.Receipt) != string(all[i].Receipt) {
			t.Fatalf("sheet %d of the backup is %s, number %d; the original's is %s", i+1, r.SheetID, r.Seq, all[i].SheetID)
		}
	}
	checkChain(t, copyStore, audits)
	original, restored := storeContents(t, s), storeContents(t, copyStore)
	delete(original, "sheets") // the writer stored more after the copy's moment
	sameContents(t, original, restored)
	t.Logf("backed up %d sheets while %d more were stored", len(copied), 20+stored.Load()-int64(len(copied)))
}

// TestSQLiteBackupRefuses checks the backups that are refused, with a clear error, leaving no
// file behind and an existing one untouched.
func TestSQLiteBackupRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, scorer.SQLiteFile)
	s, err := scorer.OpenSQLite(src)
	if err != nil {
		t.Fatal(err)
	}
	fillStore(t, s, 1)
	s.Close()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("an earlier backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		src, dst string
		err      string // part of the error
		left     string // what dst holds afterwards ("": no file)
	}{
		{"the backup file exists", src, existing, "exists; a backup never overwrites a file", "an earlier backup"},
		{"an empty file of that name exists", src, empty, "exists; a backup never overwrites a file", ""},
		{"no database", filepath.Join(dir, "none", scorer.SQLiteFile), filepath.Join(dir, "b1.db"), "no scorer database to back up", "-"},
		{"not a database", existing, filepath.Join(dir, "b2.db"), "copying " + existing, "-"},
		{"no such folder for the backup", src, filepath.Join(dir, "missing", "b3.db"), "no such file or directory", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scorer.BackupSQLite(ctx, tt.src, tt.dst)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want one saying %q", err, tt.err)
			}
			data, statErr := os.ReadFile(tt.dst)
			switch {
			case tt.left == "-" && !os.IsNotExist(statErr):
				t.Errorf("a failed backup left %s behind: %v", tt.dst, statErr)
			case tt.left != "-" && (statErr != nil || string(data) != tt.left):
				t.Errorf("the existing file holds %q (%v), want %q", data, statErr, tt.left)
			}
		})
	}
}
