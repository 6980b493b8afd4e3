package kiosk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/agessh"

	"ispit/exam"
	"ispit/sheet"
)

// ErrScorerUnreachable says that the scorer could not be reached to ask for a hand-over: the
// proctor can bring the attempt on a removable drive instead (ImportAttempt).
var ErrScorerUnreachable = errors.New("the scorer cannot be reached")

// HandoverRefusedError is the scorer's refusal to hand an attempt over, with its reason
// (sheet.HandoverStillAlive, …NoAttempt, …Submitted, …SameTerm, …Replayed, …Changed) and,
// for a terminal that is still alive, how long it has been silent and must be.
type HandoverRefusedError struct {
	Reason   string
	Terminal string // the terminal the attempt is on
	Silent   time.Duration
	Needed   time.Duration
	Detail   string // the scorer's own words, for the log
}

func (e *HandoverRefusedError) Error() string {
	return fmt.Sprintf("the scorer refused the hand-over (%s): %s", e.Reason, e.Detail)
}

// Handover is an attempt that another terminal started, opened and checked here, waiting for
// the proctor to confirm it: what it will restore, and where it came from.
type Handover struct {
	Candidate exam.SheetPerson
	From      string // the terminal it was on
	Answered  int    // items answered or written
	Items     int
	TimeLeft  time.Duration
	// ConfirmedBy is the secretary who let it move early, on the console ("" when the old
	// terminal had been silent, and for an export).
	ConfirmedBy string
	// Exported: it came on a removable drive, exported by ExportedBy at ExportedAt (the old
	// terminal's clock); otherwise the scorer handed it over.
	Exported   bool
	ExportedBy string
	ExportedAt time.Time

	cp     *exam.Checkpoint
	handed exam.Handed
	// ageThen is how old the checkpoint was when it was handed over or exported; since is
	// when it arrived here (with the monotonic clock reading).
	ageThen time.Duration
	since   time.Time
}

// Age is how old the checkpoint is at now: how old it was when the scorer handed it over (or
// the old terminal exported it), plus the time since it arrived here. What the candidate did
// on the old terminal in that time is not in it.
func (h *Handover) Age(now time.Time) time.Duration {
	return max(h.ageThen, 0) + max(now.Sub(h.since), 0)
}

// RequestHandover asks the enrolled scorer to hand this terminal the running attempt of the
// candidate with code, a candidate of session s, and checks the answer (signed by the scorer,
// for this terminal and this request, encrypted to this terminal's own key). The scorer's
// refusals are *HandoverRefusedError; a candidate not on the roster exam.ErrUnknownCand, a
// candidate already admitted here *exam.AlreadyAttemptedError, a scorer out of reach
// ErrScorerUnreachable.
func (k *Kiosk) RequestHandover(ctx context.Context, s *exam.Session, code string) (*Handover, error) {
	c, ok := s.Roster.Candidate(code)
	if !ok {
		return nil, fmt.Errorf("%w: %s", exam.ErrUnknownCand, strings.TrimSpace(code))
	}
	if err := alreadyHere(s, c.Code, k.cfg.TerminalID); err != nil {
		return nil, err
	}
	k.mu.Lock()
	up := k.uploader
	k.mu.Unlock()
	if up == nil {
		return nil, ErrNotEnrolled
	}
	id, err := k.ageIdentity()
	if err != nil {
		return nil, err
	}
	o, err := up.RequestHandover(ctx, c.Code, id, k.now())
	var refused *sheet.HandoverRefusedError
	var unreachable *url.Error
	switch {
	case errors.As(err, &refused):
		return nil, &HandoverRefusedError{Reason: refused.Reason, Terminal: refused.Terminal, Detail: refused.HandoverRefusal.Error,
			Silent: time.Duration(refused.SilentS) * time.Second, Needed: time.Duration(refused.NeededS) * time.Second}
	case errors.As(err, &unreachable):
		return nil, fmt.Errorf("%w: %v", ErrScorerUnreachable, err)
	case err != nil:
		return nil, err
	}
	cp := o.Checkpoint
	if err := fitsSession(s, cp, k.cfg.TerminalID); err != nil {
		return nil, err
	}
	h := o.Handover
	ho := newHandover(cp, exam.Handed{From: h.From, At: h.HandedAt, ConfirmedBy: h.ConfirmedBy}, h.HandedAt.Sub(h.CheckpointReceivedAt))
	ho.ConfirmedBy = h.ConfirmedBy
	return ho, nil
}

// newHandover is the attempt of checkpoint cp, handed as handed, with what it restores; the
// checkpoint was ageThen old when it was handed over or exported, and arrives now.
func newHandover(cp *exam.Checkpoint, handed exam.Handed, ageThen time.Duration) *Handover {
	return &Handover{
		Candidate: cp.Candidate, From: handed.From, Answered: cp.Answered(), Items: len(cp.Items), TimeLeft: cp.TimeLeft(),
		cp: cp, handed: handed, ageThen: ageThen, since: time.Now(),
	}
}

// Continue takes the attempt up in session s (exam.Session.Continue: every answer, the item
// the candidate was on, the time left) and lets the candidate go on at once, with proctor
// and a reason naming the old terminal in its log. An attempt that could be taken up but not
// resumed is returned with the error: it waits paused for the proctor.
func (h *Handover) Continue(s *exam.Session, proctor string) (*exam.Attempt, error) {
	a, err := s.Continue(h.cp, h.handed)
	if err != nil {
		return nil, err
	}
	reason := "continued from terminal " + h.From + ", handed over by the scorer"
	if h.Exported {
		reason = "continued from terminal " + h.From + ", from an export on a removable drive by " + h.ExportedBy
	}
	if err := a.Resume(proctor, reason); err != nil {
		return a, err
	}
	return a, nil
}

// fitsSession refuses an attempt that this terminal's session cannot continue: another bank
// or another part (exam.ErrSessionMismatch), a candidate not on its roster
// (exam.ErrUnknownCand), or one admitted here already. Session.Continue checks the same; this
// says it before the proctor is asked to confirm.
func fitsSession(s *exam.Session, cp *exam.Checkpoint, terminal string) error {
	if cp.BankID != s.Bank.Manifest.BankID || cp.ManifestSHA256 != s.Bank.ManifestSHA256 || (s.Info.Part != "" && cp.Part != s.Info.Part) {
		return fmt.Errorf("%w: the attempt is at bank %s part %s, this session at bank %s part %s",
			exam.ErrSessionMismatch, cp.BankID, cp.Part, s.Bank.Manifest.BankID, s.Info.Part)
	}
	if _, ok := s.Roster.Candidate(cp.Candidate.Code); !ok {
		return fmt.Errorf("%w: %s", exam.ErrUnknownCand, cp.Candidate.Code)
	}
	return alreadyHere(s, cp.Candidate.Code, terminal)
}

// alreadyHere refuses a candidate who has an attempt on this terminal already.
func alreadyHere(s *exam.Session, code, terminal string) error {
	for _, a := range s.Attempts() {
		if c := a.Candidate(); strings.EqualFold(c.Code, code) {
			st, _ := a.State()
			return &exam.AlreadyAttemptedError{Candidate: c.Code, Part: a.Part().ID, Terminal: terminal, State: st}
		}
	}
	return nil
}

// ageIdentity is the terminal key as an age identity: hand-overs are encrypted to it.
func (k *Kiosk) ageIdentity() (age.Identity, error) {
	pem, err := os.ReadFile(k.path("terminal.key"))
	if err != nil {
		return nil, err
	}
	return agessh.ParseIdentity(pem)
}
