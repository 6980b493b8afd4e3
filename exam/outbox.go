package exam

import (
	"database/sql"
	"fmt"
	"time"
)

// OutboxEntry is one sealed sheet waiting for, or confirmed by, the scorer.
type OutboxEntry struct {
	SheetID   string
	AttemptID string
	Candidate string
	Part      string
	Sealed    []byte
	QueuedAt  time.Time
	Tries     int
	LastError string
	// Receipt is the scorer's signed receipt once delivered, and ReceiptCode its short code.
	Receipt     []byte
	ReceiptCode string
	DeliveredAt time.Time // zero while waiting
	ExportedAt  time.Time // when a proctor last exported it to removable media
}

// Delivered reports whether the scorer has confirmed the sheet.
func (o *OutboxEntry) Delivered() bool { return !o.DeliveredAt.IsZero() }

// queueSealedLocked seals the sheet and queues it in the submission's transaction.
func (a *Attempt) queueSealedLocked(tx *sql.Tx, plain []byte, at time.Time) error {
	e := a.engine()
	if e.opt.Sealer == nil {
		return nil
	}
	sealed, err := e.opt.Sealer.Seal(plain, SealInfo{
		SheetID:  a.id,
		Terminal: a.data.Terminal,
		Session:  a.data.Session,
		BankID:   a.data.BankID,
		SealedAt: at,
	})
	if err != nil {
		return fmt.Errorf("sealing the sheet: %w", err)
	}
	_, err = tx.Exec(`INSERT INTO outbox (sheet_id, attempt_id, sealed, queued_at) VALUES (?, ?, ?, ?)`,
		a.id, a.id, sealed, at.UTC().Format(time.RFC3339Nano))
	return err
}

const outboxColumns = `o.sheet_id, o.attempt_id, a.candidate_code, a.part_id, o.sealed, o.queued_at, o.tries, o.last_error,
	o.receipt, o.receipt_code, o.delivered_at, o.exported_at`

// Outbox lists every queued sheet, oldest first.
func (e *Engine) Outbox() ([]OutboxEntry, error) {
	return e.queryOutbox(`SELECT ` + outboxColumns + ` FROM outbox o JOIN attempts a ON a.id = o.attempt_id ORDER BY o.queued_at, o.sheet_id`)
}

// Undelivered lists the sheets the scorer has not confirmed yet, oldest first; not the sheet
// of an attempt that was moved to another terminal, whose sheet comes from there.
func (e *Engine) Undelivered() ([]OutboxEntry, error) {
	return e.queryOutbox(`SELECT ` + outboxColumns + ` FROM outbox o JOIN attempts a ON a.id = o.attempt_id
		WHERE o.delivered_at IS NULL AND a.state != 'moved' ORDER BY o.queued_at, o.sheet_id`)
}

func (e *Engine) queryOutbox(query string, args ...any) ([]OutboxEntry, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	rows, err := e.db.Query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var o OutboxEntry
		var queued string
		var delivered, exported sql.NullString
		if err := rows.Scan(&o.SheetID, &o.AttemptID, &o.Candidate, &o.Part, &o.Sealed, &queued, &o.Tries, &o.LastError,
			&o.Receipt, &o.ReceiptCode, &delivered, &exported); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		o.QueuedAt, _ = time.Parse(time.RFC3339Nano, queued)
		if delivered.Valid {
			o.DeliveredAt, _ = time.Parse(time.RFC3339Nano, delivered.String)
		}
		if exported.Valid {
			o.ExportedAt, _ = time.Parse(time.RFC3339Nano, exported.String)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// RecordUploadFailure counts a failed upload of a sheet and keeps why.
func (e *Engine) RecordUploadFailure(sheetID, reason string) error {
	return e.execOutbox(`UPDATE outbox SET tries = tries + 1, last_error = ? WHERE sheet_id = ? AND delivered_at IS NULL`, reason, sheetID)
}

// RecordDelivery marks a sheet delivered with the scorer's receipt, which the caller has
// verified. Delivering twice keeps the first receipt.
func (e *Engine) RecordDelivery(sheetID string, receipt []byte, code string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	res, err := e.db.Exec(`UPDATE outbox SET tries = tries + 1, last_error = '', receipt = ?, receipt_code = ?, delivered_at = ? WHERE sheet_id = ? AND delivered_at IS NULL`,
		receipt, code, e.clock.Now().UTC().Format(time.RFC3339Nano), sheetID)
	if err != nil {
		return fmt.Errorf("recording the receipt: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		var attempt string
		e.db.QueryRow(`SELECT attempt_id FROM outbox WHERE sheet_id = ?`, sheetID).Scan(&attempt)
		e.notify(Notification{Kind: NotifyDelivered, Attempt: attempt, Receipt: code})
	}
	return nil
}

// RecordExport notes that a proctor exported the sheet to removable media.
func (e *Engine) RecordExport(sheetID string) error {
	return e.execOutbox(`UPDATE outbox SET exported_at = ? WHERE sheet_id = ?`, e.clock.Now().UTC().Format(time.RFC3339Nano), sheetID)
}

func (e *Engine) execOutbox(query string, args ...any) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if _, err := e.db.Exec(query, args...); err != nil {
		return fmt.Errorf("updating the outbox: %w", err)
	}
	return nil
}
