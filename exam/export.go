package exam

import (
	"database/sql"
	"fmt"
)

// Export hands the attempt out on removable media, for a spare terminal to continue it while
// the scorer cannot be reached. A running attempt is paused first (by, with reason, in its
// log); then its checkpoint, numbered after the last progress checkpoint, is given to write,
// which puts it on the stick. Only once write has succeeded is the attempt recorded moved
// (Departure.Exported), in one transaction with that number, so that the candidate cannot go
// on both here and on the spare. Nothing changes the attempt while write runs (the engine
// waits for it); if write fails, the attempt stays here, paused.
func (a *Attempt) Export(by, reason string, write func(*Checkpoint) error) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.proctorMayActLocked(by, reason); err != nil {
		return err
	}
	if a.state == StateAdmitted {
		return fmt.Errorf("%w: an attempt that has not begun has nothing to export; admit the candidate on the spare", ErrBadTransition)
	}
	if err := a.flushTextLocked(); err != nil {
		return err
	}
	if a.state == StateRunning {
		if err := a.recordLocked(EventPause, proctorData{By: by, Reason: reason}); err != nil {
			return err
		}
		e.notify(Notification{Kind: NotifyState, Attempt: a.id, State: a.state, TimeLeft: a.timeLeftLocked()})
	}
	cp := a.checkpointLocked(a.progressSeq + 1)
	if err := write(cp); err != nil {
		return err
	}
	data := movedData{Exported: true, By: by, Reason: reason}
	var ev Event
	var mac []byte
	err := withTx(e.db, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE attempts SET progress_seq = ? WHERE id = ?`, cp.Seq, a.id); err != nil {
			return err
		}
		var err error
		ev, mac, err = a.appendLocked(tx, EventMoved, data)
		return err
	})
	if err != nil {
		return fmt.Errorf("recording the export: %w", err)
	}
	a.commitLocked(ev, mac, data)
	a.progressSeq = cp.Seq
	e.notify(Notification{Kind: NotifyMoved, Attempt: a.id, State: a.state})
	return nil
}
