package sqlitedb_test

import (
	"errors"
	"path/filepath"
	"testing"

	"ispit/internal/sqlitedb"
	"ispit/internal/sqlitetest"
)

// TestIsCorrupt tells SQLite's "the file is damaged" from the errors of access and of SQL, which
// say nothing about the file.
func TestIsCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlitedb.Migrate(db, []string{`CREATE TABLE a (v TEXT); CREATE TABLE b (v TEXT)`}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	query := func(path, sql string) error {
		db, err := sqlitedb.OpenReadOnly(path)
		if err != nil {
			return err
		}
		defer db.Close()
		var v any
		return db.QueryRow(sql).Scan(&v)
	}
	sqlErr := query(path, `SELECT nothing FROM nowhere`)
	missing := query(filepath.Join(dir, "missing.db"), `SELECT 1`)
	sqlitetest.DamagePage(t, path, "b")
	damaged := query(path, `SELECT count(*) FROM b`)
	if sqlErr == nil || missing == nil || damaged == nil {
		t.Fatalf("errors expected: %v, %v, %v", sqlErr, missing, damaged)
	}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"not SQLite's", errors.New("database disk image is malformed"), false},
		{"an unknown table", sqlErr, false},
		{"a missing file, opened read-only", missing, false},
		{"a damaged page", damaged, true},
	} {
		if got := sqlitedb.IsCorrupt(tt.err); got != tt.want {
			t.Errorf("%s: IsCorrupt(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
