package scorer_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ispit/internal/pgtest"
	"ispit/scorer"
)

// TestPostgresDumpAndRestore backs a scorer's PostgreSQL database up as docs/deployment.md says,
// with pg_dump -Fc, and restores it with pg_restore into a new database: the store opens it
// without a migration, every sheet is there with its number and receipt, the commission's
// records are as they were, the audit chain verifies and stays append-only, and the sheets'
// numbering carries on after the last one.
func TestPostgresDumpAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s, err := scorer.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const sheets = 30
	audits := fillStore(t, s, sheets)
	original := storeContents(t, s)

	dump := filepath.Join(t.TempDir(), "scorer.dump")
	pgRun(t, "pg_dump", "--format=custom", "--file="+dump, "--dbname="+url)
	restoredURL := pgtest.NewDatabase(t)
	pgRun(t, "pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--dbname="+restoredURL, dump)

	restored, err := scorer.OpenPostgres(ctx, restoredURL)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	sameContents(t, original, storeContents(t, restored))
	checkChain(t, restored, audits)

	res := restored.PutSheets(ctx, []*scorer.SheetRecord{sheetRecord("after-restore", "d", "AFTER", time.Now())})
	if res[0].Err != nil {
		t.Errorf("storing a sheet after the restore: %v", res[0].Err)
	} else if res[0].Record.Seq != sheets+1 {
		t.Errorf("a sheet stored after the restore is number %d, want %d", res[0].Record.Seq, sheets+1)
	}
	if _, err := connect(t, restoredURL).Exec(ctx, `DELETE FROM audit`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("deleting the restored audit log: %v", err)
	}
}

// pgRun runs a PostgreSQL program of the tests' server's version, failing the test with its
// output when it fails.
func pgRun(t *testing.T, name string, args ...string) {
	t.Helper()
	path, err := pgtest.Program(name)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(path, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
