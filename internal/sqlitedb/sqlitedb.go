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

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
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
