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
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema version %d; this program knows %d)", ErrTooNew, version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		err := WithTx(db, func(tx *sql.Tx) error {
			if _, err := tx.Exec(migrations[v]); err != nil {
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
