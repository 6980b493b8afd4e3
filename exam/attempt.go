package exam

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ispit/bank"
)

// State is where an attempt stands: admitted → running ⇄ paused → submitted.
type State string

// The states of an attempt.
const (
	StateAdmitted  State = "admitted"
	StateRunning   State = "running"
	StatePaused    State = "paused"
	StateSubmitted State = "submitted"
	// StateMoved: the attempt was handed to another terminal and goes on there; nothing
	// changes here any more.
	StateMoved State = "moved"
)

// SubmitReason says why an attempt was submitted.
type SubmitReason string

// The reasons for submission.
const (
	SubmitCandidate SubmitReason = "candidate"
	SubmitTimeOut   SubmitReason = "time-out"
	SubmitProctor   SubmitReason = "proctor"
)

// warningMinutes are the minutes left at which the candidate is warned.
var warningMinutes = []int{10, 5, 1}

// Attempt is one candidate sitting one part. All its methods are safe for concurrent use.
type Attempt struct {
	s  *Session
	id string

	data      admittedData
	index     map[string]int // position of each item id
	state     State
	reason    SubmitReason
	language  string
	choice    map[string]string
	flagged   map[string]bool
	text      map[string][]byte
	current   int
	allowance time.Duration
	display   *Display // nil until the candidate's display settings are kept
	events    []Event  // the timeline after baseSeq
	lastMAC   []byte
	// A resume from a snapshot keeps only the events after it: baseSeq events come before
	// those in memory, the last of them with MAC baseMAC. snapSeq is the latest snapshot.
	baseSeq, snapSeq int
	baseMAC          []byte
	sheet            []byte

	usedBase       time.Duration // running time used up to runningSince
	runningSince   time.Duration // the clock's Elapsed when the running stretch began
	lastCheckpoint time.Duration
	warned         map[int]bool
	// progressSeq numbers the progress checkpoints sent to the scorer; lastProgress is the
	// clock's Elapsed at the last, and progressNow asks for one at the next tick.
	progressSeq  int64
	lastProgress time.Duration
	progressNow  bool
	// continuedFrom is the terminal the attempt was continued from ("" when it began here);
	// departure says where it went once moved.
	continuedFrom string
	// continuedExport is the old terminal's signed export when the attempt came on removable
	// media (Handed.Export).
	continuedExport *ExportProof
	departure       *Departure

	textMu  sync.Mutex
	pending map[string]pendingText // typing not yet durable, by item
	// published is the state for SetText, which must not wait for the engine's lock.
	published atomic.Value
}

type pendingText struct {
	text  string
	since time.Duration // Elapsed of the first keystroke not yet durable
}

func newAttempt(s *Session, id string) *Attempt {
	return &Attempt{
		s:       s,
		id:      id,
		choice:  map[string]string{},
		flagged: map[string]bool{},
		text:    map[string][]byte{},
		warned:  map[int]bool{},
		pending: map[string]pendingText{},
	}
}

func (a *Attempt) engine() *Engine { return a.s.e }

// usedLocked is the running time used so far.
func (a *Attempt) usedLocked() time.Duration {
	if a.state == StateRunning {
		return a.usedBase + a.engine().clock.Elapsed() - a.runningSince
	}
	return a.usedBase
}

func (a *Attempt) timeLeftLocked() time.Duration {
	return max(a.allowance-a.usedLocked(), 0)
}

// appendLocked records an event in tx and returns it with its seal; the caller applies it
// once the transaction has committed.
func (a *Attempt) appendLocked(tx *sql.Tx, kind EventKind, data any) (Event, []byte, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return Event{}, nil, err
	}
	e := a.engine()
	ev := Event{
		Seq:    a.lastSeq() + 1,
		At:     e.clock.Now().UTC(),
		UsedMS: a.usedLocked().Milliseconds(),
		Kind:   kind,
		Data:   raw,
	}
	mac := eventMAC(e.opt.Secret, a.lastMAC, a.id, &ev)
	if err := insertEvent(tx, a.id, &ev, mac); err != nil {
		return Event{}, nil, err
	}
	state := stateAfter(a.state, kind)
	_, err = tx.Exec(`UPDATE attempts SET state = ?, last_seq = ?, used_ms = ?, checkpoint_mac = ? WHERE id = ?`,
		state, ev.Seq, ev.UsedMS, checkpointMAC(e.opt.Secret, a.id, ev.Seq, ev.UsedMS, state), a.id)
	return ev, mac, err
}

// recordLocked durably records one event and applies it.
func (a *Attempt) recordLocked(kind EventKind, data any) error {
	var ev Event
	var mac []byte
	err := withTx(a.engine().db, func(tx *sql.Tx) error {
		var err error
		ev, mac, err = a.appendLocked(tx, kind, data)
		return err
	})
	if err != nil {
		return fmt.Errorf("saving: %w", err)
	}
	a.commitLocked(ev, mac, data)
	return nil
}

func (a *Attempt) commitLocked(ev Event, mac []byte, data any) {
	a.events = append(a.events, ev)
	a.lastMAC = mac
	a.apply(ev, data)
	a.maybeSnapshotLocked()
	switch ev.Kind {
	case EventBegin, EventPause, EventResume, EventExtend, EventContinued:
		a.progressNow = true // the scorer hears of it at the next tick, not in five seconds
	}
}

func stateAfter(s State, kind EventKind) State {
	switch kind {
	case EventAdmitted:
		return StateAdmitted
	case EventBegin, EventResume:
		return StateRunning
	case EventPause:
		return StatePaused
	case EventSubmit:
		return StateSubmitted
	case EventMoved:
		return StateMoved
	case EventContinued:
		return StatePaused // until the proctor lets the candidate go on
	}
	return s
}

// apply folds an event into the attempt's state.
func (a *Attempt) apply(ev Event, data any) {
	clock := a.engine().clock
	switch d := data.(type) {
	case admittedData:
		a.data = d
		a.index = make(map[string]int, len(d.Items))
		for i, it := range d.Items {
			a.index[it.ID] = i
		}
		a.allowance = time.Duration(d.AllowanceMS) * time.Millisecond
		a.language = d.Candidate.Language
	case languageData:
		a.language = d.Language
	case chooseData:
		if ev.Kind == EventClear {
			delete(a.choice, d.Item)
		} else {
			a.choice[d.Item] = d.Option
		}
	case flagData:
		if d.Flagged {
			a.flagged[d.Item] = true
		} else {
			delete(a.flagged, d.Item)
		}
	case textData:
		a.text[d.Item] = applyEdit(a.text[d.Item], d)
	case visitData:
		a.current = d.Index
	case proctorData:
		if ev.Kind == EventExtend {
			a.allowance += time.Duration(d.ExtendMS) * time.Millisecond
			a.resetWarningsLocked()
		}
	case submitData:
		a.reason = d.Reason
	case movedData:
		a.departure = &Departure{To: d.To, Exported: d.Exported, At: ev.At}
	case continuedData:
		a.continuedFrom, a.continuedExport = d.From, d.Export
		a.language = d.Language
		a.current = d.Current
		maps.Copy(a.choice, d.Choices)
		for _, id := range d.Flags {
			a.flagged[id] = true
		}
		for id, text := range d.Texts {
			a.text[id] = []byte(text)
		}
		a.progressSeq = d.Seq
	}
	newState := stateAfter(a.state, ev.Kind)
	if newState != a.state {
		if newState == StateRunning {
			a.runningSince = clock.Elapsed()
			a.lastCheckpoint = a.runningSince
		}
		a.usedBase = time.Duration(ev.UsedMS) * time.Millisecond
		a.state = newState
		a.published.Store(string(newState))
	}
	if ev.Kind == EventBegin {
		a.resetWarningsLocked()
	}
}

// resetWarningsLocked forgets warnings whose moment is ahead again, and treats as given those
// already behind, so that a candidate is warned once at each threshold it crosses.
func (a *Attempt) resetWarningsLocked() {
	left := a.allowance - a.usedBase
	for _, m := range warningMinutes {
		a.warned[m] = left <= time.Duration(m)*time.Minute
	}
}

// applyEdit applies a text edit; offsets were checked when the edit was made.
func applyEdit(text []byte, d textData) []byte {
	if d.At < 0 || d.Delete < 0 || d.At+d.Delete > len(text) {
		return text
	}
	tail := append([]byte(nil), text[d.At+d.Delete:]...)
	return append(append(text[:d.At], d.Insert...), tail...)
}

// checkRunningLocked refuses changes to an attempt that is not running.
func (a *Attempt) checkRunningLocked() error {
	if a.engine().closed {
		return ErrClosed
	}
	if err := a.endedLocked(); err != nil {
		return err
	}
	if a.state != StateRunning {
		return fmt.Errorf("%w (%s)", ErrNotRunning, a.state)
	}
	return nil
}

// endedLocked refuses anything more of an attempt that was submitted or moved to another
// terminal.
func (a *Attempt) endedLocked() error {
	switch a.state {
	case StateSubmitted:
		return ErrSubmitted
	case StateMoved:
		return ErrMoved
	}
	return nil
}

func (a *Attempt) itemLocked(itemID string) (*bank.Item, int, error) {
	i, ok := a.index[itemID]
	if !ok {
		return nil, 0, fmt.Errorf("%w: %q", ErrUnknownItem, itemID)
	}
	it, _ := a.s.Bank.Item(itemID)
	return it, i, nil
}

// Begin starts the attempt in the candidate's language: the clock starts running.
func (a *Attempt) Begin(language string) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if a.state != StateAdmitted {
		return fmt.Errorf("%w: begin from %s", ErrBadTransition, a.state)
	}
	if !slices.Contains(a.s.Bank.Manifest.Languages, language) {
		return fmt.Errorf("%w: %q", ErrUnknownLanguage, language)
	}
	if err := a.recordLocked(EventBegin, languageData{language}); err != nil {
		return err
	}
	a.language = language
	e.notify(Notification{Kind: NotifyState, Attempt: a.id, State: a.state, TimeLeft: a.timeLeftLocked()})
	return nil
}

// SetLanguage switches the language the candidate reads the exam in.
func (a *Attempt) SetLanguage(language string) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.checkRunningLocked(); err != nil {
		return err
	}
	if !slices.Contains(a.s.Bank.Manifest.Languages, language) {
		return fmt.Errorf("%w: %q", ErrUnknownLanguage, language)
	}
	if language == a.language {
		return nil
	}
	return a.recordLocked(EventLanguage, languageData{language})
}

// Choose records the candidate's choice of an option; it returns once the choice is durable.
func (a *Attempt) Choose(itemID, optionID string) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.checkRunningLocked(); err != nil {
		return err
	}
	it, _, err := a.itemLocked(itemID)
	if err != nil {
		return err
	}
	if it.Kind != bank.ItemChoice {
		return fmt.Errorf("%w: %s is a written task", ErrWrongItemKind, itemID)
	}
	if !slices.ContainsFunc(it.Options, func(o bank.Option) bool { return o.ID == optionID }) {
		return fmt.Errorf("%w: %q of %s", ErrUnknownOption, optionID, itemID)
	}
	if a.choice[itemID] == optionID {
		return nil
	}
	if err := a.recordLocked(EventChoose, chooseData{Item: itemID, Option: optionID}); err != nil {
		return err
	}
	e.notify(Notification{Kind: NotifySaved, Attempt: a.id, Item: itemID})
	return nil
}

// Clear removes the candidate's choice for an item.
func (a *Attempt) Clear(itemID string) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.checkRunningLocked(); err != nil {
		return err
	}
	it, _, err := a.itemLocked(itemID)
	if err != nil {
		return err
	}
	if it.Kind != bank.ItemChoice {
		return fmt.Errorf("%w: %s is a written task", ErrWrongItemKind, itemID)
	}
	if _, chosen := a.choice[itemID]; !chosen {
		return nil
	}
	if err := a.recordLocked(EventClear, chooseData{Item: itemID}); err != nil {
		return err
	}
	e.notify(Notification{Kind: NotifySaved, Attempt: a.id, Item: itemID})
	return nil
}

// Flag marks an item for review, or unmarks it.
func (a *Attempt) Flag(itemID string, flagged bool) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.checkRunningLocked(); err != nil {
		return err
	}
	if _, _, err := a.itemLocked(itemID); err != nil {
		return err
	}
	if a.flagged[itemID] == flagged {
		return nil
	}
	if err := a.recordLocked(EventFlag, flagData{Item: itemID, Flagged: flagged}); err != nil {
		return err
	}
	e.notify(Notification{Kind: NotifySaved, Attempt: a.id, Item: itemID})
	return nil
}

// Visit records that the candidate is on item index (0-based), so that a restart reopens it.
func (a *Attempt) Visit(index int) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.checkRunningLocked(); err != nil {
		return err
	}
	if index < 0 || index >= len(a.data.Items) {
		return fmt.Errorf("%w: index %d of %d", ErrUnknownItem, index, len(a.data.Items))
	}
	if err := a.flushTextLocked(); err != nil {
		return err
	}
	if index == a.current {
		return nil
	}
	return a.recordLocked(EventVisit, visitData{index})
}

// requireReason checks who acts and why, for proctor actions.
func requireReason(by, reason string) error {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(reason) == "" {
		return ErrReasonRequired
	}
	return nil
}

// proctorMayActLocked is what every proctor action on the attempt needs: an open engine, who
// acts and why, and an attempt still here.
func (a *Attempt) proctorMayActLocked(by, reason string) error {
	if a.engine().closed {
		return ErrClosed
	}
	if err := requireReason(by, reason); err != nil {
		return err
	}
	return a.endedLocked()
}

// Pause stops the candidate's clock; a proctor does it, with a reason.
func (a *Attempt) Pause(by, reason string) error {
	return a.proctorAction(EventPause, StateRunning, by, reason, 0)
}

// Resume starts the clock again after a pause.
func (a *Attempt) Resume(by, reason string) error {
	return a.proctorAction(EventResume, StatePaused, by, reason, 0)
}

// Extend gives the candidate more time (an accommodation or an incident).
func (a *Attempt) Extend(by, reason string, d time.Duration) error {
	if d <= 0 || d > 24*time.Hour {
		return fmt.Errorf("%w: an extension of %s", ErrBadTransition, d)
	}
	return a.proctorAction(EventExtend, "", by, reason, d)
}

func (a *Attempt) proctorAction(kind EventKind, from State, by, reason string, extend time.Duration) error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.proctorMayActLocked(by, reason); err != nil {
		return err
	}
	if from != "" && a.state != from {
		return fmt.Errorf("%w: %s while %s", ErrBadTransition, kind, a.state)
	}
	if kind == EventPause {
		if err := a.flushTextLocked(); err != nil {
			return err
		}
	}
	if err := a.recordLocked(kind, proctorData{By: by, Reason: reason, ExtendMS: extend.Milliseconds()}); err != nil {
		return err
	}
	e.notify(Notification{Kind: NotifyState, Attempt: a.id, State: a.state, TimeLeft: a.timeLeftLocked()})
	return nil
}

// Submit submits the attempt as the candidate asked, and returns the plain answer sheet.
func (a *Attempt) Submit() ([]byte, error) {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := a.checkRunningLocked(); err != nil {
		return nil, err
	}
	if err := a.submitLocked(SubmitCandidate, "", ""); err != nil {
		return nil, err
	}
	return a.sheet, nil
}

// submitLocked makes pending typing durable, then records the submission and the sheet in
// one transaction: the attempt is submitted exactly once, with its sheet.
func (a *Attempt) submitLocked(reason SubmitReason, by, note string) error {
	if err := a.endedLocked(); err != nil {
		return err
	}
	if err := a.flushTextLocked(); err != nil {
		return err
	}
	if err := a.loadAllEventsLocked(); err != nil { // the sheet carries the whole timeline
		return err
	}
	e := a.engine()
	data := submitData{Reason: reason, By: by, Note: note}
	var ev Event
	var mac []byte
	var sheet []byte
	err := withTx(e.db, func(tx *sql.Tx) error {
		var err error
		if ev, mac, err = a.appendLocked(tx, EventSubmit, data); err != nil {
			return err
		}
		sheet = a.sheetWith(ev, data).Marshal()
		if _, err = tx.Exec(`INSERT INTO sheets (attempt_id, sheet) VALUES (?, ?)`, a.id, sheet); err != nil {
			return err
		}
		return a.queueSealedLocked(tx, sheet, ev.At)
	})
	if err != nil {
		return fmt.Errorf("submitting: %w", err)
	}
	a.commitLocked(ev, mac, data)
	a.sheet = sheet
	e.notify(Notification{Kind: NotifyState, Attempt: a.id, State: a.state})
	return nil
}

// tickLocked is the attempt's share of the engine clock. It reports whether the attempt's
// running time is due for a checkpoint.
func (a *Attempt) tickLocked() (checkpoint bool) {
	e := a.engine()
	if a.state == StateSubmitted || a.state == StateMoved {
		return false
	}
	now := e.clock.Elapsed()
	a.textMu.Lock()
	due := false
	for _, p := range a.pending {
		due = due || now-p.since >= textFlushDelay
	}
	a.textMu.Unlock()
	if due {
		a.flushTextLocked() // on failure the typing stays pending and is tried again next tick
	}
	if a.state != StateRunning {
		return false
	}
	left := a.timeLeftLocked()
	if left <= 0 {
		if a.submitLocked(SubmitTimeOut, "", "") == nil {
			e.notify(Notification{Kind: NotifyTimeOut, Attempt: a.id})
		}
		return false
	}
	for _, m := range warningMinutes {
		if !a.warned[m] && left <= time.Duration(m)*time.Minute {
			for _, other := range warningMinutes {
				if other >= m {
					a.warned[other] = true
				}
			}
			e.notify(Notification{Kind: NotifyWarning, Attempt: a.id, Minutes: m, TimeLeft: left})
			break
		}
	}
	e.notify(Notification{Kind: NotifyTick, Attempt: a.id, TimeLeft: left})
	return now-a.lastCheckpoint >= checkpointInterval
}

func sortAttempts(list []*Attempt) {
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
}

func sortedAttempts(m map[string]*Attempt) []*Attempt {
	list := make([]*Attempt, 0, len(m))
	for _, a := range m {
		list = append(list, a)
	}
	sortAttempts(list)
	return list
}
