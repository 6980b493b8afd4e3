// Package sqlitedb opens the SQLite databases of the kiosk and the scorer the same way: WAL,
// synchronous FULL, a busy timeout, foreign keys, immediate transactions, one connection, and
// versioned migrations in PRAGMA user_version.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"modernc.org/sqlite" // the database/sql driver "sqlite"
)

// ErrTooNew reports a database written by a newer program, with more migrations than known.
var ErrTooNew = errors.New("the database was written by a newer program")

// Open opens (creating if need be) the database at path. A commit returns once the data is on
// disk. Every write goes through the one connection in turn.
func Open(path string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// OpenReadOnly opens the existing database at path to read it only, for looking at a database
// that may be damaged without changing it: the connection never writes the database file or its
// -wal, and closing it does not fold the -wal into the database. Without a -wal the database is
// opened as immutable, so that no -wal or -shm is made; with one, SQLite may make or rebuild the
// -shm, the -wal's index, which it keeps nothing else in.
func OpenReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	if _, err := os.Lstat(path + "-wal"); errors.Is(err, os.ErrNotExist) {
		q.Set("immutable", "1")
	}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// SQLite's primary result codes that mean the file is damaged.
const (
	codeCorrupt = 11 // SQLITE_CORRUPT: "database disk image is malformed"
	codeNotADB  = 26 // SQLITE_NOTADB: "file is not a database"
)

// IsCorrupt reports whether err is SQLite saying that the database file is damaged, as opposed
// to an error of access (a busy, locked, read-only or missing file) or of the SQL.
func IsCorrupt(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff // the primary code of an extended one
	return code == codeCorrupt || code == codeNotADB
}

// Migrate brings the schema up to date: migrations[i] takes it from version i to i+1, each in
// one transaction. A released migration is never edited; a change is a new one.
func Migrate(db *sql.DB, migrations []string) error {
	steps := make([]Step, len(migrations))
	for i, m := range migrations {
		steps[i] = SQL(m)
	}
	return MigrateSteps(db, steps)
}

// Step is one migration, run inside the transaction that also sets the new schema version.
type Step func(tx *sql.Tx) error

// SQL is a migration of SQL statements alone.
func SQL(statements string) Step {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec(statements)
		return err
	}
}

// MigrateSteps is Migrate for migrations that also carry data over in Go: steps[i] takes the
// schema from version i to i+1, and the version is set in the same transaction, so that a
// failure leaves the database at version i with nothing of the step done.
func MigrateSteps(db *sql.DB, steps []Step) error {
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(steps) {
		return fmt.Errorf("%w (schema version %d; this program knows %d)", ErrTooNew, version, len(steps))
	}
	for v := version; v < len(steps); v++ {
		err := WithTx(db, func(tx *sql.Tx) error {
			if err := steps[v](tx); err != nil {
				return err
			}
			_, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrating the database to version %d: %w", v+1, err)
		}
	}
	return nil
}

// WithTx runs f in a transaction and commits it.
func WithTx(db *sql.DB, f func(*sql.Tx) error) error {
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
