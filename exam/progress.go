package exam

import (
	"database/sql"
	"fmt"
	"time"
)

// ProgressSealer seals a progress checkpoint for the scorer: signed by the terminal, encrypted
// to the scorer (sheet.Sealer is one).
type ProgressSealer interface {
	SealCheckpoint(cp *Checkpoint) ([]byte, error)
}

// DefaultProgressInterval is how often a running attempt's progress goes to the scorer.
const DefaultProgressInterval = 5 * time.Second

// ProgressEntry is the newest sealed checkpoint of an attempt, waiting to be sent or sent.
type ProgressEntry struct {
	AttemptID string
	Seq       int64
	Sealed    []byte
	MadeAt    time.Time
	SentSeq   int64 // the newest the scorer took (0: none yet)
	LastError string
}

// progressLocked makes and queues the checkpoints that are due: every ProgressInterval while
// an attempt runs, and at once after it began, was paused, resumed, extended or continued
// here. Only the newest of an attempt waits in the outbox: a checkpoint replaces the one
// before it, so that nothing piles up while the scorer is out of reach. Sealing costs well
// under a millisecond; it runs on the engine's clock, not on the screen's thread.
func (e *Engine) progressLocked() {
	if e.opt.Progress == nil {
		return
	}
	interval := e.opt.ProgressInterval
	if interval <= 0 {
		interval = DefaultProgressInterval
	}
	now := e.clock.Elapsed()
	queued := false
	for _, s := range e.sessions {
		for _, a := range s.attempts {
			due := a.progressNow || (a.state == StateRunning && now-a.lastProgress >= interval)
			if !due || (a.state != StateRunning && a.state != StatePaused) {
				continue
			}
			err := a.queueProgressLocked()
			a.progressNow, a.lastProgress = false, now // on failure (not enrolled yet) tried again in an interval
			queued = queued || err == nil
		}
	}
	if queued {
		e.notify(Notification{Kind: NotifyProgress})
	}
}

// queueProgressLocked seals the attempt's next checkpoint and puts it in the outbox in place
// of the one before.
func (a *Attempt) queueProgressLocked() error {
	e := a.engine()
	if err := a.flushTextLocked(); err != nil {
		return err
	}
	cp := a.checkpointLocked(a.progressSeq + 1)
	sealed, err := e.opt.Progress.SealCheckpoint(cp)
	if err != nil {
		return fmt.Errorf("sealing the checkpoint: %w", err)
	}
	err = withTx(e.db, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE attempts SET progress_seq = ? WHERE id = ?`, cp.Seq, a.id); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO progress_outbox (attempt_id, seq, sealed, made_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (attempt_id) DO UPDATE SET seq = excluded.seq, sealed = excluded.sealed, made_at = excluded.made_at`,
			a.id, cp.Seq, sealed, cp.MadeAt.Format(time.RFC3339Nano))
		return err
	})
	if err != nil {
		return err
	}
	a.progressSeq = cp.Seq
	return nil
}

// PendingProgress lists the checkpoints the scorer has not taken yet, oldest first.
func (e *Engine) PendingProgress() ([]ProgressEntry, error) {
	rows, err := e.db.Query(`SELECT attempt_id, seq, sealed, made_at, sent_seq, last_error FROM progress_outbox WHERE sent_seq < seq ORDER BY made_at`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer rows.Close()
	var out []ProgressEntry
	for rows.Next() {
		var p ProgressEntry
		var made string
		if err := rows.Scan(&p.AttemptID, &p.Seq, &p.Sealed, &made, &p.SentSeq, &p.LastError); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		p.MadeAt, _ = time.Parse(time.RFC3339Nano, made)
		out = append(out, p)
	}
	return out, rows.Err()
}

// RecordProgressSent records that the scorer took checkpoint seq of the attempt (or keeps a
// newer one).
func (e *Engine) RecordProgressSent(attemptID string, seq int64) error {
	_, err := e.db.Exec(`UPDATE progress_outbox SET sent_seq = max(sent_seq, ?), last_error = '' WHERE attempt_id = ?`, seq, attemptID)
	return err
}

// RecordProgressFailure keeps why a checkpoint could not be sent.
func (e *Engine) RecordProgressFailure(attemptID, reason string) error {
	_, err := e.db.Exec(`UPDATE progress_outbox SET last_error = ? WHERE attempt_id = ?`, reason, attemptID)
	return err
}
