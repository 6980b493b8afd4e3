package exam

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// snapshotEvery is how many events pass between snapshots of an attempt. A resume reads the
// latest snapshot and the events after it, not the whole timeline.
const snapshotEvery = 500

// snapshot is an attempt's folded state after event Seq, bound to the event chain by the MAC
// of that event.
type snapshot struct {
	Seq         int               `json:"seq"`
	ChainMAC    []byte            `json:"chain_mac"`
	Admitted    admittedData      `json:"admitted"`
	State       State             `json:"state"`
	Reason      SubmitReason      `json:"reason,omitempty"`
	Language    string            `json:"language"`
	Choice      map[string]string `json:"choice"`
	Flagged     map[string]bool   `json:"flagged"`
	Text        map[string]string `json:"text"`
	Current     int               `json:"current"`
	AllowanceMS int64             `json:"allowance_ms"`
	// ContinuedFrom and Departure: where the attempt came from and went (Attempt.Departure).
	ContinuedFrom   string       `json:"continued_from,omitempty"`
	ContinuedExport *ExportProof `json:"continued_export,omitempty"`
	Departure       *Departure   `json:"departure,omitempty"`
}

func snapshotMAC(secret []byte, attemptID string, state []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("snapshot\x00" + attemptID + "\x00"))
	m.Write(state)
	return m.Sum(nil)
}

// lastSeq is the sequence number of the attempt's last event.
func (a *Attempt) lastSeq() int { return a.baseSeq + len(a.events) }

// maybeSnapshotLocked writes a snapshot when enough events have passed since the last one. A
// failure costs only speed at the next resume, so it is not reported.
func (a *Attempt) maybeSnapshotLocked() {
	if a.lastSeq()-a.snapSeq < snapshotEvery || a.state == StateSubmitted {
		return
	}
	s := snapshot{
		Seq:         a.lastSeq(),
		ChainMAC:    a.lastMAC,
		Admitted:    a.data,
		State:       a.state,
		Reason:      a.reason,
		Language:    a.language,
		Choice:      a.choice,
		Flagged:     a.flagged,
		Text:        make(map[string]string, len(a.text)),
		Current:     a.current,
		AllowanceMS: a.allowance.Milliseconds(),

		ContinuedFrom:   a.continuedFrom,
		ContinuedExport: a.continuedExport,
		Departure:       a.departure,
	}
	for id, t := range a.text {
		s.Text[id] = string(t)
	}
	state, err := json.Marshal(s)
	if err != nil {
		return
	}
	e := a.engine()
	if _, err := e.db.Exec(`INSERT OR REPLACE INTO snapshots (attempt_id, seq, state, mac) VALUES (?, ?, ?, ?)`,
		a.id, s.Seq, state, snapshotMAC(e.opt.Secret, a.id, state)); err == nil {
		a.snapSeq = s.Seq
	}
}

// latestSnapshot reads and checks the attempt's latest snapshot; nil when there is none.
func latestSnapshot(db *sql.DB, secret []byte, attemptID string) (*snapshot, error) {
	var seq int
	var state, mac []byte
	err := db.QueryRow(`SELECT seq, state, mac FROM snapshots WHERE attempt_id = ? ORDER BY seq DESC LIMIT 1`, attemptID).Scan(&seq, &state, &mac)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if !hmac.Equal(mac, snapshotMAC(secret, attemptID, state)) {
		return nil, fmt.Errorf("%w: the snapshot of attempt %s at event %d does not match its seal", ErrTampered, attemptID, seq)
	}
	var s snapshot
	if err := json.Unmarshal(state, &s); err != nil || s.Seq != seq {
		return nil, fmt.Errorf("%w: the snapshot of attempt %s at event %d does not decode", ErrTampered, attemptID, seq)
	}
	return &s, nil
}

// restore puts the attempt in the state of a snapshot.
func (a *Attempt) restore(s *snapshot) {
	a.apply(Event{Kind: EventAdmitted}, s.Admitted)
	a.state, a.reason, a.language, a.current = s.State, s.Reason, s.Language, s.Current
	a.published.Store(string(s.State))
	a.allowance = time.Duration(s.AllowanceMS) * time.Millisecond
	a.continuedFrom, a.continuedExport, a.departure = s.ContinuedFrom, s.ContinuedExport, s.Departure
	a.choice, a.flagged = s.Choice, s.Flagged
	if a.choice == nil {
		a.choice = map[string]string{}
	}
	if a.flagged == nil {
		a.flagged = map[string]bool{}
	}
	for id, t := range s.Text {
		a.text[id] = []byte(t)
	}
	a.baseSeq, a.snapSeq, a.lastMAC, a.baseMAC = s.Seq, s.Seq, s.ChainMAC, s.ChainMAC
}

// loadAllEventsLocked reads the events that a resume from a snapshot left on disk, checks
// that their chain ends where the snapshot says, and keeps the whole timeline in memory, as
// the sheet needs it.
func (a *Attempt) loadAllEventsLocked() error {
	if a.baseSeq == 0 {
		return nil
	}
	e := a.engine()
	before, mac, err := loadEvents(e.db, e.opt.Secret, a.id, 0, nil, a.baseSeq)
	if err != nil {
		return err
	}
	if len(before) != a.baseSeq || !bytes.Equal(mac, a.baseMAC) {
		return fmt.Errorf("%w: the events of attempt %s do not lead to its snapshot", ErrTampered, a.id)
	}
	a.events = append(before, a.events...)
	a.baseSeq = 0
	return nil
}
