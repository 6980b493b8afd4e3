package exam

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ispit/internal/sqlitedb"
)

// migration is one schema version: its SQL and, for a few, a step in Go that runs after it in
// the same transaction, given the folder the database is in.
type migration struct {
	sql  string
	then func(tx *sql.Tx, dir string) error
}

// migrations are the schema versions in order; migrations[i] takes the schema from version i
// to i+1. A released migration is never edited: a change is a new one.
var migrations = []migration{
	{sql: `CREATE TABLE sessions (
		id              TEXT PRIMARY KEY,
		bank_id         TEXT NOT NULL,
		manifest_sha256 TEXT NOT NULL,
		roster_sha256   TEXT NOT NULL,
		proctor         TEXT NOT NULL,
		start_code      TEXT NOT NULL,
		started_at      TEXT NOT NULL,
		ended_at        TEXT
	);
	CREATE TABLE attempts (
		id             TEXT PRIMARY KEY,
		session_id     TEXT NOT NULL REFERENCES sessions(id),
		bank_id        TEXT NOT NULL,
		candidate_code TEXT NOT NULL,
		part_id        TEXT NOT NULL,
		terminal_id    TEXT NOT NULL,
		state          TEXT NOT NULL,
		last_seq       INTEGER NOT NULL,
		used_ms        INTEGER NOT NULL,
		checkpoint_mac BLOB NOT NULL,
		UNIQUE (bank_id, candidate_code, part_id)
	);
	CREATE TABLE events (
		attempt_id TEXT NOT NULL REFERENCES attempts(id),
		seq        INTEGER NOT NULL,
		at         TEXT NOT NULL,
		used_ms    INTEGER NOT NULL,
		kind       TEXT NOT NULL,
		data       BLOB NOT NULL,
		mac        BLOB NOT NULL,
		PRIMARY KEY (attempt_id, seq)
	) WITHOUT ROWID;
	CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
		BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
	CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
		BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
	CREATE TABLE sheets (
		attempt_id TEXT PRIMARY KEY REFERENCES attempts(id),
		sheet      BLOB NOT NULL
	);`},
	{sql: `CREATE TABLE outbox (
		sheet_id     TEXT PRIMARY KEY,
		attempt_id   TEXT NOT NULL UNIQUE REFERENCES attempts(id),
		sealed       BLOB NOT NULL,
		queued_at    TEXT NOT NULL,
		tries        INTEGER NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		receipt      BLOB,
		receipt_code TEXT NOT NULL DEFAULT '',
		delivered_at TEXT,
		exported_at  TEXT
	);`},
	{sql: `CREATE TABLE snapshots (
		attempt_id TEXT NOT NULL REFERENCES attempts(id),
		seq        INTEGER NOT NULL,
		state      BLOB NOT NULL,
		mac        BLOB NOT NULL,
		PRIMARY KEY (attempt_id, seq)
	) WITHOUT ROWID;`},
	{sql: `CREATE TABLE pins (
		role         TEXT PRIMARY KEY,
		salt         BLOB NOT NULL,
		hash         BLOB NOT NULL,
		failures     INTEGER NOT NULL,
		locked_until TEXT NOT NULL
	);`},
	// 5: the part candidates sit is part of the session's row, recorded as the session starts.
	{sql: `ALTER TABLE sessions ADD COLUMN part_id TEXT NOT NULL DEFAULT ''`, then: importSessionPart},
	// 6: the candidate's display settings, kept with the attempt; NULL until first kept.
	{sql: `ALTER TABLE attempts ADD COLUMN text_size INTEGER;
	ALTER TABLE attempts ADD COLUMN high_contrast INTEGER;`},
	// 7: progress checkpoints for the scorer, the newest of each attempt waiting to be sent.
	{sql: `ALTER TABLE attempts ADD COLUMN progress_seq INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE progress_outbox (
		attempt_id TEXT PRIMARY KEY REFERENCES attempts(id),
		seq        INTEGER NOT NULL,
		sealed     BLOB NOT NULL,
		made_at    TEXT NOT NULL,
		sent_seq   INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT ''
	);`},
}

// openDB opens (creating if need be) the SQLite database at path with the settings durability
// needs, checks it, and brings its schema up to date. A damaged database is refused with
// ErrCorrupt before anything is written to it or to its -wal.
func openDB(path string) (*sql.DB, error) {
	if info, err := os.Stat(path); err == nil && info.Size() > 0 {
		if err := checkHeader(path); err != nil {
			return nil, err
		}
		if err := checkIntegrity(path); err != nil {
			return nil, err
		}
	}
	db, err := sqlitedb.Open(path)
	if err != nil {
		return nil, err
	}
	if err := migrate(db, filepath.Dir(path)); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkHeader refuses a file that is not an SQLite database before the driver touches it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	header := make([]byte, 16)
	if _, err := f.Read(header); err != nil || string(header) != "SQLite format 3\x00" {
		return fmt.Errorf("%w: %s is not an SQLite database", ErrCorrupt, path)
	}
	return nil
}

// checkIntegrity runs SQLite's quick check on the database at path with its -wal, through a
// read-only connection: a read-write one would fold the -wal into the damaged file as it
// closes. Damage is ErrCorrupt; an error of access (a busy or unreadable file) is returned as
// it is, since the file may well be sound.
func checkIntegrity(path string) error {
	db, err := sqlitedb.OpenReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query("PRAGMA quick_check")
	if err != nil {
		return corruptOr(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return corruptOr(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return corruptOr(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}

// corruptOr wraps err in ErrCorrupt when SQLite says the file is damaged.
func corruptOr(err error) error {
	if sqlitedb.IsCorrupt(err) {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}

// migrate brings the schema of the database in the folder dir up to date.
func migrate(db *sql.DB, dir string) error {
	var before int
	if err := db.QueryRow("PRAGMA user_version").Scan(&before); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	steps := make([]sqlitedb.Step, len(migrations))
	for i, m := range migrations {
		steps[i] = func(tx *sql.Tx) error {
			if _, err := tx.Exec(m.sql); err != nil {
				return err
			}
			if m.then != nil {
				return m.then(tx, dir)
			}
			return nil
		}
	}
	err := sqlitedb.MigrateSteps(db, steps)
	if errors.Is(err, sqlitedb.ErrTooNew) {
		return fmt.Errorf("%w: %v", ErrSchemaTooNew, err)
	}
	if err != nil {
		return err
	}
	if before < sessionPartVersion {
		removeLegacyPartFile(dir)
	}
	return nil
}

// withTx runs f in a transaction and commits it; the commit returns once the data is on disk.
func withTx(db *sql.DB, f func(*sql.Tx) error) error { return sqlitedb.WithTx(db, f) }

// isConstraint reports a UNIQUE or other constraint failure of SQLite.
func isConstraint(err error) bool {
	return err != nil && strings.Contains(err.Error(), "constraint failed")
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
