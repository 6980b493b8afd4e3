package scorer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgAttemptPlaceholders are the placeholders of attemptBlobColumns.
var pgAttemptPlaceholders = func() string {
	p := make([]string, 20)
	for i := range p {
		p[i] = fmt.Sprintf("$%d", i+1)
	}
	return strings.Join(p, ", ")
}()

// PutCheckpoints implements Store. Replicas may receive checkpoints of one attempt at the same
// time: each row is locked before the rule is applied, in the order of the attempts' ids so
// that two batches cannot wait for each other.
func (s *PostgresStore) PutCheckpoints(ctx context.Context, records []*AttemptRecord) []CheckpointResult {
	results := make([]CheckpointResult, len(records))
	order := make([]int, len(records))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(records[a].AttemptID, records[b].AttemptID) })
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if slices.ContainsFunc(records, func(r *AttemptRecord) bool { return r.ProvenFrom != "" }) {
			if err := pgLock(ctx, tx, pgLockAudit); err != nil { // a take-over appends to the log
				return err
			}
		}
		for _, i := range order {
			r := records[i]
			tag, err := tx.Exec(ctx, `INSERT INTO attempts (`+attemptBlobColumns+`) VALUES (`+pgAttemptPlaceholders+`)
				ON CONFLICT (attempt_id) DO NOTHING`, attemptValues(r)...)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				results[i] = CheckpointResult{Outcome: CheckpointStored, Kept: r}
				continue
			}
			stored, err := scanAttemptRow(tx.QueryRow(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE attempt_id = $1 FOR UPDATE`, r.AttemptID))
			if err != nil {
				return err
			}
			outcome := checkpointOutcome(stored, r)
			results[i] = CheckpointResult{Outcome: outcome, Kept: stored}
			if !outcome.keeps() {
				continue
			}
			carryOver(stored, r, outcome)
			if _, err := tx.Exec(ctx, `UPDATE attempts SET (`+attemptBlobColumns+`) = (`+pgAttemptPlaceholders+`) WHERE attempt_id = $1`, attemptValues(r)...); err != nil {
				return err
			}
			if outcome == CheckpointTakenOver {
				if err := pgAppendAudit(ctx, tx, takeOverAudit(r)); err != nil {
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
func (s *PostgresStore) Attempt(ctx context.Context, id string) (*AttemptRecord, error) {
	r, err := scanAttemptBlobs(s.pool.QueryRow(ctx, `SELECT `+attemptBlobColumns+` FROM attempts WHERE attempt_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("attempt %s: %w", id, ErrNotFound)
	}
	return r, err
}

// AttemptState implements Store.
func (s *PostgresStore) AttemptState(ctx context.Context, id string) (*AttemptRecord, error) {
	r, err := scanAttemptRow(s.pool.QueryRow(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE attempt_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("attempt %s: %w", id, ErrNotFound)
	}
	return r, err
}

// AttemptsOf implements Store.
func (s *PostgresStore) AttemptsOf(ctx context.Context, candidate string) ([]*AttemptRecord, error) {
	return newestFirst(pgQueryAll(ctx, s.pool, `SELECT `+attemptBlobColumns+` FROM attempts WHERE candidate = $1`, []any{candidate}, scanAttemptBlobs))
}

// Attempts implements Store.
func (s *PostgresStore) Attempts(ctx context.Context) ([]*AttemptRecord, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+attemptColumns+` FROM attempts ORDER BY session_id, terminal_id COLLATE "C", candidate COLLATE "C"`, nil, scanAttemptRow)
}

// MoveAttempt implements Store.
func (s *PostgresStore) MoveAttempt(ctx context.Context, m Move, audit AuditEntry) (*AttemptRecord, error) {
	var moved *AttemptRecord
	err := s.change(ctx, audit, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO handover_requests (nonce, terminal_id, attempt_id, at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (nonce) DO NOTHING`, m.Nonce, m.To, m.AttemptID, formatTime(m.At))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return ErrReplayed
		}
		// Handed again to the terminal it was moved to, it keeps where and when it came from.
		tag, err = tx.Exec(ctx, `UPDATE attempts SET terminal_id = $1,
			moved_from = CASE WHEN terminal_id = $1 THEN moved_from ELSE $2 END, moved_at = CASE WHEN terminal_id = $1 THEN moved_at ELSE $3 END,
			confirmed_by = '', confirmed_at = '' WHERE attempt_id = $4 AND terminal_id = $2 AND seq = $5`, m.To, m.From, formatTime(m.At), m.AttemptID, m.Seq)
		if err != nil {
			return err
		}
		moved, err = scanAttemptBlobs(tx.QueryRow(ctx, `SELECT `+attemptBlobColumns+` FROM attempts WHERE attempt_id = $1`, m.AttemptID))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("attempt %s: %w", m.AttemptID, ErrNotFound)
		}
		if err == nil && tag.RowsAffected() != 1 {
			return fmt.Errorf("attempt %s is on terminal %s at checkpoint %d, not on %s at %d: %w", m.AttemptID, moved.Terminal, moved.Seq, m.From, m.Seq, ErrConflict)
		}
		return err
	})
	return moved, err
}

// ConfirmMove implements Store.
func (s *PostgresStore) ConfirmMove(ctx context.Context, id, by string, at time.Time, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE attempts SET confirmed_by = $1, confirmed_at = $2 WHERE attempt_id = $3`, by, formatTime(at), id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("attempt %s: %w", id, ErrNotFound)
		}
		return nil
	})
}
