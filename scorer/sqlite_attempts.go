package scorer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PutCheckpoints implements Store.
func (s *SQLiteStore) PutCheckpoints(ctx context.Context, records []*AttemptRecord) []CheckpointResult {
	results := make([]CheckpointResult, len(records))
	err := inTx(s.db, func(tx *sql.Tx) error {
		for i, r := range records {
			stored, err := scanAttemptRow(tx.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE attempt_id = ?`, r.AttemptID))
			if errors.Is(err, sql.ErrNoRows) {
				stored, err = nil, nil
			}
			if err != nil {
				return err
			}
			outcome := checkpointOutcome(stored, r)
			results[i] = CheckpointResult{Outcome: outcome, Kept: stored}
			if !outcome.keeps() {
				continue
			}
			carryOver(stored, r, outcome)
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO attempts (`+attemptBlobColumns+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, attemptValues(r)...); err != nil {
				return err
			}
			if outcome == CheckpointTakenOver {
				if err := appendAudit(ctx, tx, takeOverAudit(r)); err != nil {
					return err
				}
			}
			results[i].Kept = r
		}
		return nil
	})
	if err != nil {
		for i := range results {
			results[i] = CheckpointResult{Err: err}
		}
	}
	return results
}

// Attempt implements Store.
func (s *SQLiteStore) Attempt(ctx context.Context, id string) (*AttemptRecord, error) {
	r, err := scanAttemptBlobs(s.db.QueryRowContext(ctx, `SELECT `+attemptBlobColumns+` FROM attempts WHERE attempt_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attempt %s: %w", id, ErrNotFound)
	}
	return r, err
}

// AttemptState implements Store.
func (s *SQLiteStore) AttemptState(ctx context.Context, id string) (*AttemptRecord, error) {
	r, err := scanAttemptRow(s.db.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE attempt_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attempt %s: %w", id, ErrNotFound)
	}
	return r, err
}

// AttemptsOf implements Store.
func (s *SQLiteStore) AttemptsOf(ctx context.Context, candidate string) ([]*AttemptRecord, error) {
	return newestFirst(queryAll(ctx, s.db, `SELECT `+attemptBlobColumns+` FROM attempts WHERE candidate = ?`, []any{candidate}, scanAttemptBlobs))
}

// Attempts implements Store.
func (s *SQLiteStore) Attempts(ctx context.Context) ([]*AttemptRecord, error) {
	return queryAll(ctx, s.db, `SELECT `+attemptColumns+` FROM attempts ORDER BY session_id, terminal_id, candidate`, nil, scanAttemptRow)
}

// MoveAttempt implements Store.
func (s *SQLiteStore) MoveAttempt(ctx context.Context, m Move, audit AuditEntry) (*AttemptRecord, error) {
	var moved *AttemptRecord
	err := s.change(ctx, audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO handover_requests (nonce, terminal_id, attempt_id, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (nonce) DO NOTHING`, m.Nonce, m.To, m.AttemptID, formatTime(m.At))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrReplayed
		}
		// Handed again to the terminal it was moved to, it keeps where and when it came from.
		res, err = tx.ExecContext(ctx, `UPDATE attempts SET terminal_id = ?1,
			moved_from = CASE WHEN terminal_id = ?1 THEN moved_from ELSE ?2 END, moved_at = CASE WHEN terminal_id = ?1 THEN moved_at ELSE ?3 END,
			confirmed_by = '', confirmed_at = '' WHERE attempt_id = ?4 AND terminal_id = ?2 AND seq = ?5`, m.To, m.From, formatTime(m.At), m.AttemptID, m.Seq)
		if err != nil {
			return err
		}
		moved, err = scanAttemptBlobs(tx.QueryRowContext(ctx, `SELECT `+attemptBlobColumns+` FROM attempts WHERE attempt_id = ?`, m.AttemptID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("attempt %s: %w", m.AttemptID, ErrNotFound)
		}
		if n, _ := res.RowsAffected(); err == nil && n != 1 {
			return fmt.Errorf("attempt %s is on terminal %s at checkpoint %d, not on %s at %d: %w", m.AttemptID, moved.Terminal, moved.Seq, m.From, m.Seq, ErrConflict)
		}
		return err
	})
	return moved, err
}

// ConfirmMove implements Store.
func (s *SQLiteStore) ConfirmMove(ctx context.Context, id, by string, at time.Time, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE attempts SET confirmed_by = ?, confirmed_at = ? WHERE attempt_id = ?`, by, formatTime(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("attempt %s: %w", id, ErrNotFound)
		}
		return nil
	})
}
