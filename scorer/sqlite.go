package scorer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ispit/internal/sqlitedb"
)

// sqliteMigrations are the scorer's schema versions in order; a released one is never edited.
var sqliteMigrations = []string{
	`CREATE TABLE terminals (
		id         TEXT PRIMARY KEY,
		public_key TEXT NOT NULL,
		added_at   TEXT NOT NULL
	);
	CREATE TABLE answer_keys (
		bank_id TEXT PRIMARY KEY,
		file    BLOB NOT NULL
	);
	CREATE TABLE sheets (
		sheet_id      TEXT PRIMARY KEY,
		terminal_id   TEXT NOT NULL,
		session_id    TEXT NOT NULL,
		bank_id       TEXT NOT NULL,
		sealed_sha256 TEXT NOT NULL,
		sealed        BLOB NOT NULL,
		plain         BLOB NOT NULL,
		received_at   TEXT NOT NULL,
		receipt       BLOB NOT NULL,
		receipt_code  TEXT NOT NULL
	);
	CREATE INDEX sheets_receipt_code ON sheets (receipt_code);
	CREATE TABLE grades (
		sheet_id TEXT NOT NULL REFERENCES sheets(sheet_id),
		item_id  TEXT NOT NULL,
		grader   TEXT NOT NULL,
		points   INTEGER NOT NULL,
		at       TEXT NOT NULL,
		PRIMARY KEY (sheet_id, item_id, grader)
	);
	CREATE TABLE interviews (
		candidate TEXT NOT NULL,
		position  TEXT NOT NULL,
		points    INTEGER NOT NULL,
		entered   TEXT NOT NULL,
		by        TEXT NOT NULL,
		PRIMARY KEY (candidate, position)
	);`,
	// 2: the commission's console.
	`ALTER TABLE grades ADD COLUMN comment TEXT NOT NULL DEFAULT '';
	CREATE TABLE interview_scores (
		candidate   TEXT NOT NULL,
		position    TEXT NOT NULL,
		interviewer TEXT NOT NULL,
		points      INTEGER NOT NULL,
		competences TEXT NOT NULL,
		at          TEXT NOT NULL,
		PRIMARY KEY (candidate, position, interviewer)
	);
	INSERT INTO interview_scores (candidate, position, interviewer, points, competences, at)
		SELECT candidate, position, by, points, '{}', entered FROM interviews;
	DROP TABLE interviews;
	CREATE TABLE resolutions (
		seq      INTEGER PRIMARY KEY,
		sheet_id TEXT NOT NULL REFERENCES sheets(sheet_id),
		item_id  TEXT NOT NULL,
		kind     TEXT NOT NULL,
		points   INTEGER NOT NULL,
		graders  INTEGER NOT NULL,
		note     TEXT NOT NULL,
		by       TEXT NOT NULL,
		at       TEXT NOT NULL
	);
	CREATE TABLE amendments (
		bank_id   TEXT NOT NULL,
		sequence  INTEGER NOT NULL,
		file      BLOB NOT NULL,
		sha256    TEXT NOT NULL UNIQUE,
		loaded_at TEXT NOT NULL,
		loaded_by TEXT NOT NULL,
		effect    TEXT NOT NULL,
		PRIMARY KEY (bank_id, sequence)
	);
	CREATE TABLE bank_contents (
		bank_id         TEXT PRIMARY KEY,
		manifest_sha256 TEXT NOT NULL,
		title           TEXT NOT NULL,
		languages       TEXT NOT NULL,
		items           BLOB NOT NULL,
		loaded_at       TEXT NOT NULL
	);
	CREATE TABLE bank_images (
		bank_id TEXT NOT NULL REFERENCES bank_contents(bank_id),
		name    TEXT NOT NULL,
		data    BLOB NOT NULL,
		PRIMARY KEY (bank_id, name)
	);
	CREATE TABLE rosters (
		sha256     TEXT PRIMARY KEY,
		candidates TEXT NOT NULL,
		loaded_at  TEXT NOT NULL
	);
	CREATE TABLE appeals (
		id           INTEGER PRIMARY KEY,
		receipt_code TEXT NOT NULL,
		sheet_id     TEXT NOT NULL REFERENCES sheets(sheet_id),
		lodged_at    TEXT NOT NULL,
		lodged_by    TEXT NOT NULL,
		grounds      TEXT NOT NULL,
		status       TEXT NOT NULL,
		reasons      TEXT NOT NULL DEFAULT '',
		decided_by   TEXT NOT NULL DEFAULT '',
		decided_at   TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE publications (
		position     TEXT PRIMARY KEY,
		published_at TEXT NOT NULL,
		by           TEXT NOT NULL
	);
	CREATE TABLE settings (
		name  TEXT PRIMARY KEY,
		value BLOB NOT NULL
	);
	CREATE TABLE revision (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		n  INTEGER NOT NULL
	);
	INSERT INTO revision (id, n) VALUES (1, 0);
	CREATE TABLE users (
		name        TEXT PRIMARY KEY,
		full_name   TEXT NOT NULL,
		roles       TEXT NOT NULL,
		password    TEXT NOT NULL,
		must_change INTEGER NOT NULL,
		disabled    INTEGER NOT NULL,
		created_at  TEXT NOT NULL
	);
	CREATE TABLE signin_throttle (
		name         TEXT PRIMARY KEY,
		failures     INTEGER NOT NULL,
		locked_until TEXT NOT NULL
	);
	CREATE TABLE console_sessions (
		token_hash TEXT PRIMARY KEY,
		user_name  TEXT NOT NULL REFERENCES users(name),
		csrf       TEXT NOT NULL,
		created_at TEXT NOT NULL,
		seen_at    TEXT NOT NULL,
		expires_at TEXT NOT NULL
	);
	CREATE INDEX console_sessions_user ON console_sessions (user_name);
	CREATE TABLE audit (
		seq     INTEGER PRIMARY KEY,
		at      TEXT NOT NULL,
		actor   TEXT NOT NULL,
		action  TEXT NOT NULL,
		subject TEXT NOT NULL,
		detail  TEXT NOT NULL,
		hash    TEXT NOT NULL
	);
	CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
	CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`,
	// 3: attempts in progress: their latest checkpoints, and hand-overs to spare terminals.
	`CREATE TABLE attempts (
		attempt_id   TEXT PRIMARY KEY,
		terminal_id  TEXT NOT NULL,
		candidate    TEXT NOT NULL,
		part         TEXT NOT NULL,
		session_id   TEXT NOT NULL,
		bank_id      TEXT NOT NULL,
		seq          INTEGER NOT NULL,
		state        TEXT NOT NULL,
		answered     INTEGER NOT NULL,
		items        INTEGER NOT NULL,
		used_ms      INTEGER NOT NULL,
		allowance_ms INTEGER NOT NULL,
		made_at      TEXT NOT NULL,
		received_at  TEXT NOT NULL,
		moved_from   TEXT NOT NULL,
		moved_at     TEXT NOT NULL,
		confirmed_by TEXT NOT NULL,
		confirmed_at TEXT NOT NULL,
		checkpoint   BLOB NOT NULL,
		signature    BLOB NOT NULL
	);
	CREATE INDEX attempts_candidate ON attempts (candidate);
	CREATE TABLE handover_requests (
		nonce       TEXT PRIMARY KEY,
		terminal_id TEXT NOT NULL,
		attempt_id  TEXT NOT NULL,
		at          TEXT NOT NULL
	);`,
}

// SQLiteStore is the Store of a single scorer, in one SQLite file (WAL, synchronous FULL).
type SQLiteStore struct {
	db *sql.DB
}

var _ Store = (*SQLiteStore)(nil)

// OpenSQLite opens (creating if need be) the scorer's database.
func OpenSQLite(path string) (*SQLiteStore, error) {
	db, err := sqlitedb.Open(path)
	if err != nil {
		return nil, err
	}
	if err := sqlitedb.Migrate(db, sqliteMigrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("the scorer database %s: %w", path, err)
	}
	return &SQLiteStore{db: db}, nil
}

func inTx(db *sql.DB, f func(*sql.Tx) error) error { return sqlitedb.WithTx(db, f) }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, db *sql.DB, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Close closes the database.
func (s *SQLiteStore) Close() error { return s.db.Close() }

// AddTerminal implements Store.
func (s *SQLiteStore) AddTerminal(ctx context.Context, t Terminal) error {
	return inTx(s.db, func(tx *sql.Tx) error {
		var key string
		err := tx.QueryRowContext(ctx, `SELECT public_key FROM terminals WHERE id = ?`, t.ID).Scan(&key)
		switch {
		case err == nil && key == t.PublicKey:
			return nil
		case err == nil:
			return fmt.Errorf("terminal %s is registered with another key: %w", t.ID, ErrConflict)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO terminals (id, public_key, added_at) VALUES (?, ?, ?)`, t.ID, t.PublicKey, t.Added.UTC().Format(timeFormat))
		return err
	})
}

// Terminal implements Store.
func (s *SQLiteStore) Terminal(ctx context.Context, id string) (*Terminal, error) {
	t, err := scanTerminal(s.db.QueryRowContext(ctx, `SELECT `+terminalColumns+` FROM terminals WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("terminal %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Terminals implements Store.
func (s *SQLiteStore) Terminals(ctx context.Context) ([]Terminal, error) {
	return queryAll(ctx, s.db, `SELECT `+terminalColumns+` FROM terminals ORDER BY id`, nil, scanTerminal)
}

// PutAnswerKey implements Store.
func (s *SQLiteStore) PutAnswerKey(ctx context.Context, bankID string, file []byte) error {
	return inTx(s.db, func(tx *sql.Tx) error {
		var stored []byte
		err := tx.QueryRowContext(ctx, `SELECT file FROM answer_keys WHERE bank_id = ?`, bankID).Scan(&stored)
		switch {
		case err == nil && string(stored) == string(file):
			return nil
		case err == nil:
			return fmt.Errorf("bank %s already has another answer key: %w", bankID, ErrConflict)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO answer_keys (bank_id, file) VALUES (?, ?)`, bankID, file); err != nil {
			return err
		}
		return bumpRevision(ctx, tx)
	})
}

// AnswerKeyFile implements Store.
func (s *SQLiteStore) AnswerKeyFile(ctx context.Context, bankID string) ([]byte, error) {
	var file []byte
	err := s.db.QueryRowContext(ctx, `SELECT file FROM answer_keys WHERE bank_id = ?`, bankID).Scan(&file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("answer key of bank %s: %w", bankID, ErrNotFound)
	}
	return file, err
}

// sqliteSheetColumns are the columns scanSheet reads: the sequence number is the rowid.
const sqliteSheetColumns = `rowid, ` + sheetColumns

// PutSheets implements Store.
func (s *SQLiteStore) PutSheets(ctx context.Context, records []*SheetRecord) []PutResult {
	results := make([]PutResult, len(records))
	err := inTx(s.db, func(tx *sql.Tx) error {
		insert, err := tx.PrepareContext(ctx, `INSERT INTO sheets (sheet_id, terminal_id, session_id, bank_id, sealed_sha256, sealed, plain, received_at, receipt, receipt_code)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sheet_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer insert.Close()
		for i, r := range records {
			res, err := insert.ExecContext(ctx, r.SheetID, r.Terminal, r.Session, r.BankID, r.SealedSHA256, r.Sealed, r.Plain, r.ReceivedAt.UTC().Format(timeFormat), r.Receipt, r.ReceiptCode)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				r.Seq, _ = res.LastInsertId()
				results[i] = PutResult{Record: r, Created: true}
				continue
			}
			// Received before (or earlier in this batch): the same bytes get the same receipt.
			stored, err := scanSheet(tx.QueryRowContext(ctx, `SELECT `+sqliteSheetColumns+` FROM sheets WHERE sheet_id = ?`, r.SheetID))
			if err != nil {
				return err
			}
			results[i] = repeatResult(stored, r)
		}
		return nil
	})
	if err != nil {
		failBatch(results, err)
	}
	return results
}

// Sheet implements Store.
func (s *SQLiteStore) Sheet(ctx context.Context, id string) (*SheetRecord, error) {
	r, err := scanSheet(s.db.QueryRowContext(ctx, `SELECT `+sqliteSheetColumns+` FROM sheets WHERE sheet_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sheet %s: %w", id, ErrNotFound)
	}
	return r, err
}

// SheetsByReceipt implements Store.
func (s *SQLiteStore) SheetsByReceipt(ctx context.Context, code string) ([]*SheetRecord, error) {
	out, err := s.querySheets(ctx, `WHERE receipt_code = ?`, code)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("receipt %s: %w", code, ErrNotFound)
	}
	return out, nil
}

// Sheets implements Store.
func (s *SQLiteStore) Sheets(ctx context.Context) ([]*SheetRecord, error) {
	return s.querySheets(ctx, ``)
}

// querySheets lists the sheets a WHERE clause selects, oldest first.
func (s *SQLiteStore) querySheets(ctx context.Context, where string, args ...any) ([]*SheetRecord, error) {
	return queryAll(ctx, s.db, `SELECT `+sqliteSheetColumns+` FROM sheets `+where+` ORDER BY received_at, sheet_id`, args, scanSheet)
}

// SheetsAfter implements Store.
func (s *SQLiteStore) SheetsAfter(ctx context.Context, seq int64) ([]*SheetRecord, error) {
	return queryAll(ctx, s.db, `SELECT `+sqliteSheetColumns+` FROM sheets WHERE rowid > ? ORDER BY rowid`, []any{seq}, scanSheet)
}

// Revision implements Store.
func (s *SQLiteStore) Revision(ctx context.Context) (Revision, error) {
	var r Revision
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT max(rowid) FROM sheets), 0), (SELECT n FROM revision WHERE id = 1)`).Scan(&r.LastSheet, &r.Commission)
	return r, err
}
