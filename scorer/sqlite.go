package scorer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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

const timeFormat = time.RFC3339Nano

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
	t := Terminal{ID: id}
	var added string
	err := s.db.QueryRowContext(ctx, `SELECT public_key, added_at FROM terminals WHERE id = ?`, id).Scan(&t.PublicKey, &added)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("terminal %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	t.Added, _ = time.Parse(timeFormat, added)
	return &t, nil
}

// Terminals implements Store.
func (s *SQLiteStore) Terminals(ctx context.Context) ([]Terminal, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, public_key, added_at FROM terminals ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Terminal
	for rows.Next() {
		var t Terminal
		var added string
		if err := rows.Scan(&t.ID, &t.PublicKey, &added); err != nil {
			return nil, err
		}
		t.Added, _ = time.Parse(timeFormat, added)
		out = append(out, t)
	}
	return out, rows.Err()
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
		_, err = tx.ExecContext(ctx, `INSERT INTO answer_keys (bank_id, file) VALUES (?, ?)`, bankID, file)
		return err
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

const sheetColumns = `sheet_id, terminal_id, session_id, bank_id, sealed_sha256, plain, received_at, receipt, receipt_code`

func scanSheet(row interface{ Scan(...any) error }) (*SheetRecord, error) {
	var r SheetRecord
	var received string
	if err := row.Scan(&r.SheetID, &r.Terminal, &r.Session, &r.BankID, &r.SealedSHA256, &r.Plain, &received, &r.Receipt, &r.ReceiptCode); err != nil {
		return nil, err
	}
	r.ReceivedAt, _ = time.Parse(timeFormat, received)
	return &r, nil
}

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
				results[i] = PutResult{Record: r, Created: true}
				continue
			}
			// Received before (or earlier in this batch): the same bytes get the same receipt.
			stored, err := scanSheet(tx.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheets WHERE sheet_id = ?`, r.SheetID))
			if err != nil {
				return err
			}
			if stored.SealedSHA256 == r.SealedSHA256 {
				results[i] = PutResult{Record: stored}
			} else {
				results[i] = PutResult{Err: fmt.Errorf("sheet %s was received before with other content: %w", r.SheetID, ErrConflict)}
			}
		}
		return nil
	})
	if err != nil {
		for i := range results {
			results[i] = PutResult{Err: fmt.Errorf("storing the sheet: %w", err)}
		}
	}
	return results
}

// Sheet implements Store.
func (s *SQLiteStore) Sheet(ctx context.Context, id string) (*SheetRecord, error) {
	r, err := scanSheet(s.db.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheets WHERE sheet_id = ?`, id))
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
	rows, err := s.db.QueryContext(ctx, `SELECT `+sheetColumns+` FROM sheets `+where+` ORDER BY received_at, sheet_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*SheetRecord
	for rows.Next() {
		r, err := scanSheet(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutGrade implements Store.
func (s *SQLiteStore) PutGrade(ctx context.Context, g Grade) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO grades (sheet_id, item_id, grader, points, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (sheet_id, item_id, grader) DO UPDATE SET points = excluded.points, at = excluded.at`,
		g.SheetID, g.ItemID, g.Grader, g.Points, g.At.UTC().Format(timeFormat))
	return err
}

// Grades implements Store.
func (s *SQLiteStore) Grades(ctx context.Context) ([]Grade, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sheet_id, item_id, grader, points, at FROM grades ORDER BY sheet_id, item_id, grader`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grade
	for rows.Next() {
		var g Grade
		var at string
		if err := rows.Scan(&g.SheetID, &g.ItemID, &g.Grader, &g.Points, &at); err != nil {
			return nil, err
		}
		g.At, _ = time.Parse(timeFormat, at)
		out = append(out, g)
	}
	return out, rows.Err()
}

// PutInterview implements Store.
func (s *SQLiteStore) PutInterview(ctx context.Context, iv Interview) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO interviews (candidate, position, points, entered, by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (candidate, position) DO UPDATE SET points = excluded.points, entered = excluded.entered, by = excluded.by`,
		iv.Candidate, iv.Position, iv.Points, iv.Entered.UTC().Format(timeFormat), iv.By)
	return err
}

// Interviews implements Store.
func (s *SQLiteStore) Interviews(ctx context.Context) ([]Interview, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT candidate, position, points, entered, by FROM interviews ORDER BY position, candidate`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Interview
	for rows.Next() {
		var iv Interview
		var entered string
		if err := rows.Scan(&iv.Candidate, &iv.Position, &iv.Points, &entered, &iv.By); err != nil {
			return nil, err
		}
		iv.Entered, _ = time.Parse(timeFormat, entered)
		out = append(out, iv)
	}
	return out, rows.Err()
}
