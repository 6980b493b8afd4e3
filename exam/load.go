package exam

import (
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// loadAttemptLocked rebuilds an attempt from its events, checks the seals and the checkpoint,
// and continues its running time from the last durable checkpoint.
func (s *Session) loadAttemptLocked(id string) (*Attempt, error) {
	e := s.e
	a := newAttempt(s, id)
	snap, err := latestSnapshot(e.db, e.opt.Secret, id)
	if err != nil {
		return nil, err
	}
	if snap != nil {
		a.restore(snap)
	}
	events, lastMAC, err := loadEvents(e.db, e.opt.Secret, id, a.baseSeq, a.baseMAC, 0)
	if err != nil {
		return nil, err
	}
	if snap == nil && (len(events) == 0 || events[0].Kind != EventAdmitted) {
		return nil, fmt.Errorf("%w: attempt %s has no admission", ErrTampered, id)
	}
	for _, ev := range events {
		data, err := decodeEvent(ev)
		if err != nil {
			return nil, fmt.Errorf("%w: attempt %s event %d: %v", ErrTampered, id, ev.Seq, err)
		}
		a.apply(ev, data)
		a.events = append(a.events, ev)
	}
	if len(events) > 0 {
		a.lastMAC = lastMAC
	}
	if a.data.Session != s.Info.ID || a.data.BankID != s.Bank.Manifest.BankID {
		return nil, fmt.Errorf("%w: attempt %s belongs to another session", ErrTampered, id)
	}
	for _, shown := range a.data.Items {
		if _, ok := s.Bank.Item(shown.ID); !ok {
			return nil, fmt.Errorf("%w: attempt %s shows item %s, which the bank does not have", ErrSessionMismatch, id, shown.ID)
		}
	}

	var state string
	var lastSeq int
	var usedMS int64
	var mac []byte
	var textSize sql.NullInt64
	var contrast sql.NullBool
	err = e.db.QueryRow(`SELECT state, last_seq, used_ms, checkpoint_mac, text_size, high_contrast, progress_seq FROM attempts WHERE id = ?`, id).
		Scan(&state, &lastSeq, &usedMS, &mac, &textSize, &contrast, &a.progressSeq)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	a.display = storedDisplay(textSize, contrast)
	if State(state) != a.state || lastSeq != a.lastSeq() || (len(events) > 0 && usedMS < events[len(events)-1].UsedMS) ||
		!hmac.Equal(mac, checkpointMAC(e.opt.Secret, id, lastSeq, usedMS, State(state))) {
		return nil, fmt.Errorf("%w: the checkpoint of attempt %s does not match its events", ErrTampered, id)
	}
	a.usedBase = time.Duration(usedMS) * time.Millisecond
	a.progressNow = a.state == StateRunning || a.state == StatePaused // the scorer hears that it is back
	a.runningSince = e.clock.Elapsed()
	a.lastCheckpoint = a.runningSince
	a.resetWarningsLocked()
	if a.state == StateSubmitted {
		if err := e.db.QueryRow(`SELECT sheet FROM sheets WHERE attempt_id = ?`, id).Scan(&a.sheet); err != nil {
			return nil, fmt.Errorf("%w: submitted attempt %s has no sheet", ErrTampered, id)
		}
	}
	return a, nil
}

// decodeEvent decodes an event's data into the type its kind uses.
func decodeEvent(ev Event) (any, error) {
	var v any
	switch ev.Kind {
	case EventAdmitted:
		v = &admittedData{}
	case EventBegin, EventLanguage:
		v = &languageData{}
	case EventChoose, EventClear:
		v = &chooseData{}
	case EventFlag:
		v = &flagData{}
	case EventText:
		v = &textData{}
	case EventVisit:
		v = &visitData{}
	case EventPause, EventResume, EventExtend:
		v = &proctorData{}
	case EventSubmit:
		v = &submitData{}
	case EventMoved:
		v = &movedData{}
	case EventContinued:
		v = &continuedData{}
	default:
		return nil, fmt.Errorf("unknown event kind %q", ev.Kind)
	}
	if err := json.Unmarshal(ev.Data, v); err != nil {
		return nil, err
	}
	switch d := v.(type) {
	case *admittedData:
		return *d, nil
	case *languageData:
		return *d, nil
	case *chooseData:
		return *d, nil
	case *flagData:
		return *d, nil
	case *textData:
		return *d, nil
	case *visitData:
		return *d, nil
	case *proctorData:
		return *d, nil
	case *submitData:
		return *d, nil
	case *movedData:
		return *d, nil
	case *continuedData:
		return *d, nil
	}
	return nil, fmt.Errorf("unknown event kind %q", ev.Kind)
}
