package scorer

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"ispit/exam"
	"ispit/sheet"
)

// AttemptRecord is what the scorer knows of an attempt in progress: its latest checkpoint, the
// terminal it belongs to now, and whether it was moved there from another.
type AttemptRecord struct {
	AttemptID   string
	Terminal    string // the terminal the attempt belongs to now
	Candidate   string
	Part        string
	Session     string
	BankID      string
	Seq         int64
	State       exam.State
	Answered    int
	Items       int
	UsedMS      int64
	AllowanceMS int64
	MadeAt      time.Time // the checkpoint's own time, by the terminal's clock
	ReceivedAt  time.Time // when the scorer received it
	Checkpoint  []byte    // checkpoint.json as the terminal signed it
	Signature   []byte    // the terminal's signature over it
	MovedFrom   string    // the terminal it was moved from, "" when it never moved
	MovedAt     time.Time
	// ConfirmedBy is the secretary who confirmed on the console that the attempt may move now,
	// before its terminal has been silent long enough; ConfirmedAt when.
	ConfirmedBy string
	ConfirmedAt time.Time
	// ProvenFrom is the terminal the attempt came from on removable media, when the checkpoint
	// received carried that terminal's signed export of it and the service checked it with the
	// terminal's enrolled key (Service.checkExport). It is not stored; checkpointOutcome reads it.
	ProvenFrom string
}

// TimeLeft is the running time the attempt had left at its checkpoint.
func (r *AttemptRecord) TimeLeft() time.Duration {
	return time.Duration(max(r.AllowanceMS-r.UsedMS, 0)) * time.Millisecond
}

// attemptRecord is the record of an opened checkpoint received at.
func attemptRecord(o *sheet.OpenedCheckpoint, at time.Time) *AttemptRecord {
	cp := o.Checkpoint
	return &AttemptRecord{
		AttemptID: cp.AttemptID, Terminal: cp.Terminal, Candidate: cp.Candidate.Code, Part: cp.Part,
		Session: cp.Session, BankID: cp.BankID, Seq: cp.Seq, State: cp.State, Answered: cp.Answered(),
		Items: len(cp.Items), UsedMS: cp.UsedMS, AllowanceMS: cp.AllowanceMS, MadeAt: cp.MadeAt,
		ReceivedAt: at, Checkpoint: o.JSON, Signature: o.Sig,
	}
}

// newestFirst orders a store's attempts by the time their checkpoints arrived, newest first.
func newestFirst(list []*AttemptRecord, err error) ([]*AttemptRecord, error) {
	slices.SortStableFunc(list, func(a, b *AttemptRecord) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	return list, err
}

// CheckpointOutcome says what became of a checkpoint.
type CheckpointOutcome int

// The outcomes of a checkpoint.
const (
	CheckpointStored CheckpointOutcome = iota // the newest of its attempt: kept
	CheckpointStale                           // not newer than the one kept: ignored
	CheckpointMoved                           // the attempt belongs to another terminal now: refused
	// CheckpointTakenOver: kept, and the attempt belongs to the checkpoint's terminal from now
	// on: it continued the attempt from the terminal the scorer had it on, without a hand-over
	// (from an export on removable media while the scorer could not be reached).
	CheckpointTakenOver
)

// keeps reports whether the store keeps a checkpoint with this outcome.
func (o CheckpointOutcome) keeps() bool { return o == CheckpointStored || o == CheckpointTakenOver }

// CheckpointResult is the outcome of one checkpoint of a batch, with the record kept.
type CheckpointResult struct {
	Outcome CheckpointOutcome
	Kept    *AttemptRecord // what the store holds after the checkpoint (its bytes only when it is this one)
	Err     error
}

// checkpointOutcome is the rule both stores apply to a checkpoint cp, given the record they
// hold for its attempt (nil: none yet). A checkpoint from another terminal than the attempt's
// is refused, unless it is that terminal's first one of an attempt it continued from exactly
// the terminal the scorer has it on, proven by that terminal's signed export (ProvenFrom),
// numbered after the one kept: an attempt exported to removable media moves once, to the first
// spare heard of; a terminal that was handed it by the scorer, or continued it from another, is
// refused. The store writes the move in the audit log with the checkpoint (takeOverAudit).
func checkpointOutcome(stored, cp *AttemptRecord) CheckpointOutcome {
	switch {
	case stored == nil:
		return CheckpointStored
	case stored.Terminal != cp.Terminal:
		if cp.ProvenFrom != "" && cp.ProvenFrom == stored.Terminal && cp.Seq > stored.Seq && stored.State != exam.StateSubmitted {
			return CheckpointTakenOver
		}
		return CheckpointMoved
	case cp.Seq <= stored.Seq:
		return CheckpointStale
	}
	return CheckpointStored
}

// carryOver gives the checkpoint cp that the store keeps in place of stored what the record
// keeps beyond a checkpoint: where the attempt moved from and when, and the secretary's
// confirmation; a checkpoint that takes the attempt over records the move itself.
func carryOver(stored, cp *AttemptRecord, o CheckpointOutcome) {
	if stored == nil {
		return
	}
	if o == CheckpointTakenOver {
		cp.MovedFrom, cp.MovedAt = stored.Terminal, cp.ReceivedAt
		return
	}
	cp.MovedFrom, cp.MovedAt, cp.ConfirmedBy, cp.ConfirmedAt = stored.MovedFrom, stored.MovedAt, stored.ConfirmedBy, stored.ConfirmedAt
}

// takeOverAudit is the audit entry of a checkpoint that took its attempt over
// (CheckpointTakenOver), which the store appends in the checkpoint's transaction.
func takeOverAudit(r *AttemptRecord) AuditEntry {
	detail := map[string]string{"attempt": r.AttemptID, "from": r.MovedFrom, "to": r.Terminal,
		"seq": strconv.FormatInt(r.Seq, 10), "without_handover": "true"}
	return Audit("terminal:"+r.Terminal, AuditAttemptMoved, r.Candidate, r.ReceivedAt, detail)
}

// Move is the hand-over of an attempt from one terminal to another.
type Move struct {
	AttemptID string
	From, To  string
	Seq       int64  // the checkpoint handed over; the move fails if a newer one came meanwhile
	Nonce     string // the spare's request, which may be answered once
	At        time.Time
}

// ErrReplayed refuses a hand-over request that was answered before.
var ErrReplayed = errors.New("this hand-over request was answered before")

// Why a hand-over is refused (HandoverError.Reason), so that the spare terminal can say it in
// the proctor's language.
const (
	HandoverNoAttempt  = sheet.HandoverNoAttempt
	HandoverSubmitted  = sheet.HandoverSubmitted
	HandoverStillAlive = sheet.HandoverStillAlive
	HandoverSameTerm   = sheet.HandoverSameTerm
	HandoverReplayed   = sheet.HandoverReplayed
	HandoverChanged    = sheet.HandoverChanged
)

// HandoverError is a refused hand-over: the reason's code, and how long the old terminal has
// been silent and must be for a hand-over without the secretary's confirmation.
type HandoverError struct {
	Reason   string
	Terminal string        // the attempt's terminal
	Silent   time.Duration // since its last checkpoint
	Needed   time.Duration // the silence a hand-over needs
	Err      error
}

func (e *HandoverError) Error() string { return e.Err.Error() }
func (e *HandoverError) Unwrap() error { return e.Err }

// MayHandOver decides whether the attempt r may move to the terminal to at now: it must not be
// submitted, and its terminal must have been silent for silence, or the secretary must have
// confirmed the move within the last confirmValid. An attempt moved to that terminal before
// may be handed to it again (its answer was lost on the way) until the terminal sends a
// checkpoint of its own.
func MayHandOver(r *AttemptRecord, to string, now time.Time, silence, confirmValid time.Duration) error {
	silent := now.Sub(r.ReceivedAt)
	refuse := func(reason, format string, args ...any) error {
		return &HandoverError{Reason: reason, Terminal: r.Terminal, Silent: silent, Needed: silence, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case r.State == exam.StateSubmitted:
		return refuse(HandoverSubmitted, "the attempt %s was submitted on terminal %s: there is nothing to continue", r.AttemptID, r.Terminal)
	case r.Terminal == to && r.MovedFrom != "" && r.ReceivedAt.Before(r.MovedAt):
		return nil
	case r.Terminal == to:
		return refuse(HandoverSameTerm, "the attempt %s is on terminal %s already", r.AttemptID, to)
	case !r.ConfirmedAt.IsZero() && now.Sub(r.ConfirmedAt) <= confirmValid:
		return nil
	case silent < silence:
		return refuse(HandoverStillAlive, "terminal %s sent a checkpoint of the attempt %s ago; a hand-over needs %s of silence or the secretary's confirmation",
			r.Terminal, silent.Round(time.Second), silence)
	}
	return nil
}
