package scorer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"ispit/internal/pgtest"
	"ispit/internal/sqlitedb"
	"ispit/scorer"
)

// TestMain stops the PostgreSQL server the tests started.
func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// postgresStores is the PostgreSQL opener of the store suite: a new database on the test
// binary's server.
func postgresStores(t *testing.T) (scorer.Store, func() scorer.Store) {
	url := pgtest.NewDatabase(t)
	open := func() scorer.Store {
		s, err := scorer.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open
}

func TestPostgresStore(t *testing.T) { testStore(t, postgresStores) }

// TestPostgresMigrations starts scorers at once on an empty database: the schema is made
// once, each migration in its turn, and a schema newer than the program is refused.
func TestPostgresMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	const scorers = 4
	errs := make([]error, scorers)
	var wg sync.WaitGroup
	for i := range scorers {
		wg.Go(func() {
			s, err := scorer.OpenPostgres(ctx, url)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, url)
	rows, _ := conn.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil || !slices.Equal(versions, []int{1, 2, 3}) {
		t.Fatalf("schema versions %v %v", versions, err)
	}

	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES (4)`); err != nil {
		t.Fatal(err)
	}
	if _, err := scorer.OpenPostgres(ctx, url); !errors.Is(err, sqlitedb.ErrTooNew) || !strings.Contains(err.Error(), "schema version 4") {
		t.Errorf("a newer schema: %v", err)
	}
}

// TestPostgresAuditIsAppendOnly checks that the database itself refuses to change or remove
// an audit entry, as SQLite's triggers do.
func TestPostgresAuditIsAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s, err := scorer.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AppendAudit(ctx, auditOf(scorer.AuditSignIn)); err != nil {
		t.Fatal(err)
	}
	admin := connect(t, url)
	for _, sql := range []string{`UPDATE audit SET actor = 'someone else'`, `DELETE FROM audit`, `TRUNCATE audit`} {
		if _, err := admin.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", sql, err)
		}
	}
	checkChain(t, s, 1)
}

// TestOpenStore checks which store a scorer opens for its --db.
func TestOpenStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	tests := []struct {
		name   string
		db     string
		dir    bool
		sqlite bool   // a SQLite store, in the data folder
		err    string // part of the refusal
	}{
		{"no --db: SQLite in the data folder", "", true, true, ""},
		{"a postgres:// URL", url, true, false, ""},
		{"a postgresql:// URL", "postgresql://" + strings.TrimPrefix(url, "postgres://"), false, false, ""},
		{"another scheme", "mysql://ana:secret@db/scorer", true, false, "postgres:// or postgresql:// URL"},
		{"a path", "/var/lib/scorer.db", true, false, "postgres:// or postgresql:// URL"},
		{"no data folder", "", false, false, "no data folder"},
		{"nothing listens", "postgres://ana:secret@127.0.0.1:1/scorer?connect_timeout=2", true, false, "the scorer database scorer on 127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := ""
			if tt.dir {
				dir = filepath.Join(t.TempDir(), "data")
			}
			s, err := scorer.OpenStore(ctx, tt.db, dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "secret") {
					t.Fatalf("error %v, want one saying %q and no password", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, isSQLite := s.(*scorer.SQLiteStore)
			_, statErr := os.Stat(filepath.Join(dir, scorer.SQLiteFile))
			if isSQLite != tt.sqlite || (statErr == nil) != tt.sqlite {
				t.Errorf("SQLite %v, %s in the data folder: %v", isSQLite, scorer.SQLiteFile, statErr)
			}
		})
	}
}

// connect opens a plain connection to a test database.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
