package exam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// CheckpointFormat is the version of the plain progress checkpoint.
const CheckpointFormat = "ispit-checkpoint/1"

// MaxCheckpointSize bounds a plain checkpoint: the longest written answers fit many times over.
const MaxCheckpointSize = 8 << 20

// Checkpoint is a running attempt's progress as the terminal sends it to the scorer every few
// seconds, so that the candidate can continue on a spare terminal if this one dies, and the
// exam day can be watched from the console. It is the attempt's state, not its timeline: what
// is answered, flagged and written, in the order shown, and the time used.
type Checkpoint struct {
	Format    string `json:"format"`
	AttemptID string `json:"attempt_id"`
	// Seq grows with every checkpoint of the attempt, also across a move to another terminal:
	// the scorer keeps the one with the highest.
	Seq            int64       `json:"seq"`
	Terminal       string      `json:"terminal"`
	Session        string      `json:"session"`
	ProgramVersion string      `json:"program_version"`
	Candidate      SheetPerson `json:"candidate"`
	BankID         string      `json:"bank_id"`
	ManifestSHA256 string      `json:"manifest_sha256"`
	Part           string      `json:"part"`
	Language       string      `json:"language"`
	State          State       `json:"state"`
	AllowanceMS    int64       `json:"allowance_ms"`
	UsedMS         int64       `json:"used_ms"`
	Current        int         `json:"current"` // the item on screen
	MadeAt         time.Time   `json:"made_at"`
	Items          []SheetItem `json:"items"`
	// ContinuedFrom is the terminal the attempt was continued from on this one, absent when
	// it began here.
	ContinuedFrom string `json:"continued_from,omitempty"`
	// ContinuedExport is the old terminal's signed export when the attempt came on removable
	// media: with it, the scorer takes the checkpoint as the move of an attempt it was not
	// asked to hand over (exported while it could not be reached), once.
	ContinuedExport *ExportProof `json:"continued_export,omitempty"`
}

// ErrBadCheckpoint wraps every reason ReadCheckpoint refuses a checkpoint for.
var ErrBadCheckpoint = errors.New("exam: not a valid checkpoint")

// Marshal encodes the checkpoint as JSON.
func (c *Checkpoint) Marshal() []byte {
	data, err := json.Marshal(c)
	if err != nil {
		panic("exam: encoding a checkpoint: " + err.Error()) // every field is plain data
	}
	return data
}

// Answered is the number of items with a chosen option or a written text.
func (c *Checkpoint) Answered() int {
	n := 0
	for _, it := range c.Items {
		if it.Answer != "" || it.Text != "" {
			n++
		}
	}
	return n
}

// TimeLeft is the running time the attempt had left when the checkpoint was made.
func (c *Checkpoint) TimeLeft() time.Duration {
	return time.Duration(max(c.AllowanceMS-c.UsedMS, 0)) * time.Millisecond
}

// ReadCheckpoint decodes a plain checkpoint strictly (no unknown fields, no trailing data) and
// checks that it is whole: its format, ids, times, states and items.
func ReadCheckpoint(data []byte) (*Checkpoint, error) {
	if len(data) > MaxCheckpointSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrBadCheckpoint, len(data), MaxCheckpointSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Checkpoint
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCheckpoint, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrBadCheckpoint)
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCheckpoint, err)
	}
	return &c, nil
}

// check is what ReadCheckpoint requires beyond the JSON.
func (c *Checkpoint) check() error {
	switch {
	case c.Format != CheckpointFormat:
		return fmt.Errorf("format %q, not %q", clipText(c.Format), CheckpointFormat)
	case c.AttemptID == "" || c.Terminal == "" || c.Session == "" || c.BankID == "" || c.Part == "" || c.Candidate.Code == "":
		return errors.New("attempt_id, terminal, session, bank_id, part and candidate.code are required")
	case c.Seq < 1:
		return fmt.Errorf("seq %d is not positive", c.Seq)
	case c.AllowanceMS <= 0 || c.UsedMS < 0:
		return fmt.Errorf("allowance_ms %d and used_ms %d: the allowance must be positive and the time used not negative", c.AllowanceMS, c.UsedMS)
	case c.MadeAt.IsZero():
		return errors.New("made_at is missing")
	case len(c.Items) == 0:
		return errors.New("no items")
	case c.Current < 0 || c.Current >= len(c.Items):
		return fmt.Errorf("current item %d is not one of the %d items", c.Current, len(c.Items))
	case c.ContinuedExport != nil && c.ContinuedFrom == "":
		return errors.New("continued_export without continued_from")
	}
	switch c.State {
	case StateAdmitted, StateRunning, StatePaused, StateSubmitted:
	default:
		return fmt.Errorf("state %q is not an attempt's state", clipText(string(c.State)))
	}
	seen := make(map[string]bool, len(c.Items))
	for i, it := range c.Items {
		if it.ID == "" || seen[it.ID] {
			return fmt.Errorf("item %d: its id %q is empty or repeated", i+1, clipText(it.ID))
		}
		seen[it.ID] = true
		if it.Answer != "" && !slices.Contains(it.Options, it.Answer) {
			return fmt.Errorf("item %s: the answer %q is not one of its options", it.ID, clipText(it.Answer))
		}
	}
	return nil
}

// clipText shortens s for an error message.
func clipText(s string) string {
	if len(s) <= 80 {
		return s
	}
	return s[:80] + "…"
}

// checkpointLocked is the attempt's checkpoint as it stands, numbered seq: what is durable,
// so typing is flushed first (flushTextLocked).
func (a *Attempt) checkpointLocked(seq int64) *Checkpoint {
	c := a.data.Candidate
	cp := &Checkpoint{
		Format:          CheckpointFormat,
		AttemptID:       a.id,
		Seq:             seq,
		Terminal:        a.engine().opt.TerminalID,
		Session:         a.s.Info.ID,
		ProgramVersion:  a.engine().opt.ProgramVersion,
		Candidate:       SheetPerson{Code: c.Code, Name: c.Name, Position: c.Position},
		BankID:          a.data.BankID,
		ManifestSHA256:  a.data.ManifestSHA256,
		Part:            a.data.Part,
		Language:        a.language,
		State:           a.state,
		AllowanceMS:     a.allowance.Milliseconds(),
		UsedMS:          min(a.usedLocked().Milliseconds(), a.allowance.Milliseconds()),
		Current:         a.current,
		MadeAt:          a.engine().clock.Now().UTC(),
		ContinuedFrom:   a.continuedFrom,
		ContinuedExport: a.continuedExport,
		Items:           a.itemsLocked(),
	}
	return cp
}

// Checkpoint returns the attempt's checkpoint as it stands, numbered seq, with its typing made
// durable first.
func (a *Attempt) Checkpoint(seq int64) (*Checkpoint, error) {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	if err := a.flushTextLocked(); err != nil {
		return nil, err
	}
	return a.checkpointLocked(seq), nil
}
