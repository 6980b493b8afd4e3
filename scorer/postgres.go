package scorer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ispit/internal/sqlitedb"
)

// PostgresStore is the Store of one or more scorers over one PostgreSQL database
// (docs/scorer-storage.md). Every change is one transaction, committed before the call
// returns; the server must run with fsync on.
type PostgresStore struct {
	pool *pgxpool.Pool
}

var _ Store = (*PostgresStore)(nil)

// The transaction-level advisory locks of the store: taken inside a transaction, held until it
// ends, shared by every scorer over the database. The numbers spell "ispit" and a letter.
const (
	pgLockMigrate int64 = 0x69_73_70_69_74_6d // the schema, while it is migrated
	pgLockAudit   int64 = 0x69_73_70_69_74_61 // the audit log and the numbers of the commission's records
	pgLockSheets  int64 = 0x69_73_70_69_74_73 // the sheets' sequence
)

// pgLock takes the advisory lock key until tx ends. A transaction that appends to the audit
// log takes pgLockAudit before it locks any row, so that two cannot wait for each other.
func pgLock(ctx context.Context, tx pgx.Tx, key int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, key)
	return err
}

// pgConnectTimeout bounds a connection attempt when the URL sets no connect_timeout, so that
// uploads are refused quickly while the database is down.
const pgConnectTimeout = 5 * time.Second

// OpenPostgres connects to the PostgreSQL database at url (postgres://user@host:port/name;
// libpq's PG* environment variables and password file apply) and brings its schema up to date.
// It refuses a server that runs with fsync off, and commits synchronously even when the
// server's default says otherwise.
func OpenPostgres(ctx context.Context, url string) (*PostgresStore, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("the scorer database: %w", err)
	}
	name := fmt.Sprintf("the scorer database %s on %s:%d", cfg.ConnConfig.Database, cfg.ConnConfig.Host, cfg.ConnConfig.Port)
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = pgConnectTimeout
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "ispit-scorer"
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'`)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &PostgresStore{pool: pool}
	if err := s.check(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// check makes sure the server keeps what it commits and migrates the schema.
func (s *PostgresStore) check(ctx context.Context) error {
	var fsync string
	if err := s.pool.QueryRow(ctx, `SELECT current_setting('fsync')`).Scan(&fsync); err != nil {
		return err
	}
	if fsync != "on" {
		return errors.New("the server runs with fsync off, so a sheet it committed could be lost in a crash; turn fsync on")
	}
	return s.migrate(ctx)
}

// migrate brings the schema up to date, one migration per transaction. Each transaction
// takes the migration lock before it reads the schema version, so that scorers starting at
// the same time apply each migration once, one after another.
func (s *PostgresStore) migrate(ctx context.Context) error {
	for {
		var done bool
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := pgLock(ctx, tx, pgLockMigrate); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			var version int
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
				return err
			}
			switch {
			case version > len(postgresMigrations):
				return fmt.Errorf("%w (schema version %d; this program knows %d)", sqlitedb.ErrTooNew, version, len(postgresMigrations))
			case version == len(postgresMigrations):
				done = true
				return nil
			}
			if _, err := tx.Exec(ctx, postgresMigrations[version]); err != nil {
				return fmt.Errorf("migrating the database to version %d: %w", version+1, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version+1)
			return err
		})
		if err != nil || done {
			return err
		}
	}
}

// Close closes the store's connections.
func (s *PostgresStore) Close() error {
	s.pool.Close()
	return nil
}

// pgQueryAll runs a query and scans every row with scan.
func pgQueryAll[T any](ctx context.Context, db *pgxpool.Pool, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.Query(ctx, query, args...)
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

// pgBumpRevision marks a commission change, so that boards over the store see it.
func pgBumpRevision(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE revision SET n = n + 1 WHERE id = 1`)
	return err
}

// AddTerminal implements Store.
func (s *PostgresStore) AddTerminal(ctx context.Context, t Terminal) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO terminals (id, public_key, added_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		t.ID, t.PublicKey, t.Added.UTC().Format(timeFormat))
	if err != nil || tag.RowsAffected() == 1 {
		return err
	}
	stored, err := s.Terminal(ctx, t.ID)
	switch {
	case err != nil:
		return err
	case stored.PublicKey != t.PublicKey:
		return fmt.Errorf("terminal %s is registered with another key: %w", t.ID, ErrConflict)
	}
	return nil
}

// Terminal implements Store.
func (s *PostgresStore) Terminal(ctx context.Context, id string) (*Terminal, error) {
	t, err := scanTerminal(s.pool.QueryRow(ctx, `SELECT `+terminalColumns+` FROM terminals WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("terminal %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Terminals implements Store.
func (s *PostgresStore) Terminals(ctx context.Context) ([]Terminal, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+terminalColumns+` FROM terminals ORDER BY id`, nil, scanTerminal)
}

// PutAnswerKey implements Store.
func (s *PostgresStore) PutAnswerKey(ctx context.Context, bankID string, file []byte) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO answer_keys (bank_id, file) VALUES ($1, $2) ON CONFLICT (bank_id) DO NOTHING`, bankID, file)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return pgBumpRevision(ctx, tx)
		}
		var stored []byte
		if err := tx.QueryRow(ctx, `SELECT file FROM answer_keys WHERE bank_id = $1`, bankID).Scan(&stored); err != nil {
			return err
		}
		if string(stored) != string(file) {
			return fmt.Errorf("bank %s already has another answer key: %w", bankID, ErrConflict)
		}
		return nil
	})
}

// AnswerKeyFile implements Store.
func (s *PostgresStore) AnswerKeyFile(ctx context.Context, bankID string) ([]byte, error) {
	var file []byte
	err := s.pool.QueryRow(ctx, `SELECT file FROM answer_keys WHERE bank_id = $1`, bankID).Scan(&file)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("answer key of bank %s: %w", bankID, ErrNotFound)
	}
	return file, err
}

// pgSheetColumns are the columns scanSheet reads.
const pgSheetColumns = `seq, ` + sheetColumns

// PutSheets implements Store. The transaction takes the sheets' lock before it numbers its
// sheets, so that they commit in the order of their numbers even with several scorers over the
// database: a reader that sees sheet n sees every sheet before it, and SheetsAfter misses none.
func (s *PostgresStore) PutSheets(ctx context.Context, records []*SheetRecord) []PutResult {
	results := make([]PutResult, len(records))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := pgLock(ctx, tx, pgLockSheets); err != nil {
			return err
		}
		seqs := make([]int64, 0, len(records))
		for chunk := range slices.Chunk(records, pgSheetsPerRoundTrip) {
			batch := &pgx.Batch{}
			for _, r := range chunk {
				// Inserted only when new, so that a sheet sent again takes no number: the
				// numbers are 1, 2, 3… as in SQLite, with a gap only where a transaction failed.
				batch.Queue(`INSERT INTO sheets (sheet_id, terminal_id, session_id, bank_id, sealed_sha256, sealed, plain, received_at, receipt, receipt_code)
					SELECT $1, $2, $3, $4, $5, $6::bytea, $7::bytea, $8, $9::bytea, $10 WHERE NOT EXISTS (SELECT FROM sheets WHERE sheet_id = $1)
					RETURNING seq`,
					r.SheetID, r.Terminal, r.Session, r.BankID, r.SealedSHA256, r.Sealed, r.Plain, r.ReceivedAt.UTC().Format(timeFormat), r.Receipt, r.ReceiptCode)
			}
			got, err := insertedSeqs(tx.SendBatch(ctx, batch), len(chunk))
			if err != nil {
				return err
			}
			seqs = append(seqs, got...)
		}
		for i, r := range records {
			if seqs[i] != 0 {
				r.Seq = seqs[i]
				results[i] = PutResult{Record: r, Created: true}
				continue
			}
			// Received before (or earlier in this batch): the same bytes get the same receipt.
			stored, err := scanSheet(tx.QueryRow(ctx, `SELECT `+pgSheetColumns+` FROM sheets WHERE sheet_id = $1`, r.SheetID))
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

// pgSheetsPerRoundTrip bounds the sheets PutSheets sends in one round trip. pgx encodes a
// round trip's messages into one buffer, grown from 1 KB by appending and dropped once sent:
// 512 sheets of some 32 KB each grew it to 16 MB through dozens of copies into fresh memory,
// which took a quarter of the scorer's CPU in a burst. Sixteen keep it near half a megabyte.
const pgSheetsPerRoundTrip = 16

// insertedSeqs reads the results of a round trip of PutSheets' inserts, one per record: the
// sequence number it stored, or 0 for a sheet id stored before.
func insertedSeqs(br pgx.BatchResults, n int) ([]int64, error) {
	seqs := make([]int64, n)
	for i := range seqs {
		if err := br.QueryRow().Scan(&seqs[i]); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			br.Close()
			return nil, err
		}
	}
	return seqs, br.Close()
}

// Sheet implements Store.
func (s *PostgresStore) Sheet(ctx context.Context, id string) (*SheetRecord, error) {
	r, err := scanSheet(s.pool.QueryRow(ctx, `SELECT `+pgSheetColumns+` FROM sheets WHERE sheet_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("sheet %s: %w", id, ErrNotFound)
	}
	return r, err
}

// SheetsByReceipt implements Store.
func (s *PostgresStore) SheetsByReceipt(ctx context.Context, code string) ([]*SheetRecord, error) {
	out, err := pgQueryAll(ctx, s.pool, `SELECT `+pgSheetColumns+` FROM sheets WHERE receipt_code = $1 ORDER BY received_at, sheet_id`, []any{code}, scanSheet)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("receipt %s: %w", code, ErrNotFound)
	}
	return out, nil
}

// Sheets implements Store.
func (s *PostgresStore) Sheets(ctx context.Context) ([]*SheetRecord, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+pgSheetColumns+` FROM sheets ORDER BY received_at, sheet_id`, nil, scanSheet)
}

// SheetsAfter implements Store.
func (s *PostgresStore) SheetsAfter(ctx context.Context, seq int64) ([]*SheetRecord, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+pgSheetColumns+` FROM sheets WHERE seq > $1 ORDER BY seq`, []any{seq}, scanSheet)
}

// Revision implements Store.
func (s *PostgresStore) Revision(ctx context.Context) (Revision, error) {
	var r Revision
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT max(seq) FROM sheets), 0), (SELECT n FROM revision WHERE id = 1)`).Scan(&r.LastSheet, &r.Commission)
	return r, err
}
