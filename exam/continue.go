package exam

import (
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"ispit/bank"
)

// Handed is how an attempt came to this terminal: from which terminal, when the scorer handed
// it over, and the secretary who let it move early ("" when the old terminal had been silent).
// Export is the old terminal's signed export when the attempt came on removable media, nil
// when the scorer handed it over.
type Handed struct {
	From        string
	At          time.Time
	ConfirmedBy string
	Export      *ExportProof
}

// ExportProof is the old terminal's word that it gave an attempt up to removable media: the
// export.json of the export (package sheet, ispit-attempt-export/1) as it was signed, and that
// signature. The spare keeps it in the attempt's continued event and sends it with the
// attempt's checkpoints, so that the scorer, which has not handed the attempt over, can check
// with the old terminal's enrolled key that the attempt left it.
type ExportProof struct {
	Export    []byte `json:"export"`
	Signature []byte `json:"signature"`
}

// Continue takes up here an attempt that another terminal started: cp is the checkpoint the
// scorer handed over. The attempt keeps its id (so that its one sheet comes from here), its
// items and options in the order shown, its answers, flags, texts, language and the time it
// used, and its checkpoints go on numbering from cp's. It waits paused until the proctor lets
// the candidate go on (Resume). Its log starts with the admission and an event that records
// where it came from.
func (s *Session) Continue(cp *Checkpoint, h Handed) (*Attempt, error) {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := s.checkOpenLocked(); err != nil {
		return nil, err
	}
	if cp.BankID != s.Bank.Manifest.BankID || cp.ManifestSHA256 != s.Bank.ManifestSHA256 {
		return nil, fmt.Errorf("%w: the attempt answers bank %s, this session bank %s", ErrSessionMismatch, cp.BankID, s.Bank.Manifest.BankID)
	}
	if s.Info.Part != "" && cp.Part != s.Info.Part {
		return nil, fmt.Errorf("%w: the attempt is at part %s, this session's candidates sit part %s", ErrSessionMismatch, cp.Part, s.Info.Part)
	}
	if _, ok := s.attempts[cp.AttemptID]; ok {
		return nil, ErrNotHere
	}
	c, ok := s.Roster.Candidate(cp.Candidate.Code)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownCand, strings.TrimSpace(cp.Candidate.Code))
	}
	if _, ok := s.Bank.Manifest.Part(cp.Part); !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownPart, cp.Part)
	}
	if !slices.Contains(s.Bank.Manifest.Languages, cp.Language) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownLanguage, cp.Language)
	}
	if cp.State != StateRunning && cp.State != StatePaused {
		return nil, fmt.Errorf("%w: an attempt %s cannot be continued", ErrBadTransition, cp.State)
	}
	admitted := admittedData{
		Session: s.Info.ID, Terminal: e.opt.TerminalID, BankID: cp.BankID, ManifestSHA256: cp.ManifestSHA256,
		Candidate: candidate{Code: c.Code, Name: c.Name, Position: c.Position, Language: c.Language},
		Part:      cp.Part, AllowanceMS: cp.AllowanceMS,
	}
	continued := continuedData{From: h.From, Seq: cp.Seq, Language: cp.Language, Current: cp.Current,
		Choices: map[string]string{}, Texts: map[string]string{}, HandedAt: h.At.UTC(), ConfirmedBy: h.ConfirmedBy, Export: h.Export}
	for _, it := range cp.Items {
		item, ok := s.Bank.Item(it.ID)
		if !ok {
			return nil, fmt.Errorf("%w: the attempt shows item %s, which the bank does not have", ErrSessionMismatch, it.ID)
		}
		if err := checkShown(item, it); err != nil {
			return nil, err
		}
		admitted.Items = append(admitted.Items, shownItem{ID: it.ID, Options: it.Options})
		if it.Answer != "" {
			continued.Choices[it.ID] = it.Answer
		}
		if it.Flagged {
			continued.Flags = append(continued.Flags, it.ID)
		}
		if it.Text != "" {
			continued.Texts[it.ID] = it.Text
		}
	}
	sort.Strings(continued.Flags)
	if err := s.refuseSecondAttemptLocked(c.Code, cp.Part); err != nil {
		return nil, err
	}

	a := newAttempt(s, cp.AttemptID)
	var ev2 Event
	var mac2 []byte
	err := withTx(e.db, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO attempts (id, session_id, bank_id, candidate_code, part_id, terminal_id, state, last_seq, used_ms, checkpoint_mac, progress_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, x'', ?)`, a.id, s.Info.ID, admitted.BankID, c.Code, cp.Part, e.opt.TerminalID, StateAdmitted, cp.Seq)
		if err != nil {
			return err
		}
		ev1, mac1, err := a.appendLocked(tx, EventAdmitted, admitted)
		if err != nil {
			return err
		}
		a.events, a.lastMAC = append(a.events, ev1), mac1 // the second event chains to the first
		a.apply(ev1, admitted)
		a.usedBase = time.Duration(min(cp.UsedMS, cp.AllowanceMS)) * time.Millisecond
		ev2, mac2, err = a.appendLocked(tx, EventContinued, continued)
		return err
	})
	if isConstraint(err) {
		if rerr := s.refuseSecondAttemptLocked(c.Code, cp.Part); rerr != nil {
			return nil, rerr
		}
		return nil, ErrNotHere
	}
	if err != nil {
		return nil, fmt.Errorf("recording the continued attempt: %w", err)
	}
	a.commitLocked(ev2, mac2, continued)
	s.attempts[a.id] = a
	e.notify(Notification{Kind: NotifyState, Attempt: a.id, State: a.state, TimeLeft: a.timeLeftLocked()})
	return a, nil
}

// checkShown checks that an item of a handed-over checkpoint is shown as the bank has it: a
// choice item with exactly its options, in any order, a written task with none.
func checkShown(item *bank.Item, it SheetItem) error {
	if item.Kind != bank.ItemChoice {
		if len(it.Options) > 0 || it.Answer != "" {
			return fmt.Errorf("%w: item %s is a written task, the checkpoint gives it options", ErrWrongItemKind, it.ID)
		}
		return nil
	}
	want := make([]string, len(item.Options))
	for i, o := range item.Options {
		want[i] = o.ID
	}
	got := slices.Clone(it.Options)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) || it.Text != "" {
		return fmt.Errorf("%w: item %s is shown with options %v, the bank has %v", ErrUnknownOption, it.ID, it.Options, want)
	}
	return nil
}

// Departure is where a moved attempt went: the terminal the scorer handed it to, or, Exported,
// removable media a proctor exported it to for a spare terminal (To is then empty); At is
// when, by this terminal's clock.
type Departure struct {
	To       string    `json:"to,omitempty"`
	Exported bool      `json:"exported,omitempty"`
	At       time.Time `json:"at"`
}

// Departure says where the attempt went, once it moved (ok false while it has not).
func (a *Attempt) Departure() (d Departure, ok bool) {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	if a.departure == nil {
		return Departure{}, false
	}
	return *a.departure, true
}

// ContinuedFrom is the terminal the attempt was continued from, "" when it began here.
func (a *Attempt) ContinuedFrom() string {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.continuedFrom
}

// MarkMoved records that the scorer handed the attempt to the terminal to: it stops here,
// with an event in its log. A sheet it sealed before is not sent any more.
func (e *Engine) MarkMoved(attemptID, to string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	for _, s := range e.sessions {
		a, ok := s.attempts[attemptID]
		if !ok {
			continue
		}
		if a.state == StateMoved {
			return nil
		}
		if err := a.flushTextLocked(); err != nil {
			return err
		}
		if err := a.recordLocked(EventMoved, movedData{To: to}); err != nil {
			return err
		}
		e.notify(Notification{Kind: NotifyMoved, Attempt: a.id, State: a.state, Terminal: to})
		return nil
	}
	return fmt.Errorf("%w: %s", ErrUnknownAttempt, attemptID)
}
