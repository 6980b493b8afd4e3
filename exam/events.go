package exam

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// EventKind names what an event records.
type EventKind string

// The events of an attempt. The attempt's whole state is the fold of its events.
const (
	EventAdmitted EventKind = "admitted" // the candidate is admitted: who, which part, which items
	EventBegin    EventKind = "begin"    // the candidate starts; the clock runs
	EventLanguage EventKind = "language" // the candidate switches language
	EventChoose   EventKind = "choose"   // an option is chosen (or changed)
	EventClear    EventKind = "clear"    // the choice is cleared
	EventFlag     EventKind = "flag"     // flagged or unflagged for review
	EventText     EventKind = "text"     // a batch of typing in a written task, as one edit
	EventVisit    EventKind = "visit"    // the candidate moves to another item
	EventPause    EventKind = "pause"    // a proctor pauses the attempt
	EventResume   EventKind = "resume"   // a proctor resumes it
	EventExtend   EventKind = "extend"   // a proctor gives more time
	EventSubmit   EventKind = "submit"   // the attempt is submitted
)

// Event is one entry of an attempt's append-only timeline.
type Event struct {
	Seq    int             `json:"seq"`
	At     time.Time       `json:"at"`      // wall clock, for people; never used for timing
	UsedMS int64           `json:"used_ms"` // running time used when it happened
	Kind   EventKind       `json:"kind"`
	Data   json.RawMessage `json:"data"`
}

type admittedData struct {
	Session        string      `json:"session"`
	Terminal       string      `json:"terminal"`
	BankID         string      `json:"bank_id"`
	ManifestSHA256 string      `json:"manifest_sha256"`
	Candidate      candidate   `json:"candidate"`
	Part           string      `json:"part"`
	AllowanceMS    int64       `json:"allowance_ms"`
	Items          []shownItem `json:"items"`
}

type candidate struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Language string `json:"language,omitempty"`
}

// shownItem is an item as the candidate sees it: its id and its options in the order shown.
type shownItem struct {
	ID      string   `json:"id"`
	Options []string `json:"options,omitempty"`
}

type languageData struct {
	Language string `json:"language"`
}

type chooseData struct {
	Item   string `json:"item"`
	Option string `json:"option,omitempty"`
}

type flagData struct {
	Item    string `json:"item"`
	Flagged bool   `json:"flagged"`
}

// textData replaces Delete bytes at byte offset At of the task's text by Insert.
type textData struct {
	Item   string `json:"item"`
	At     int    `json:"at"`
	Delete int    `json:"delete"`
	Insert string `json:"insert"`
}

type visitData struct {
	Index int `json:"index"`
}

type proctorData struct {
	By       string `json:"by"`
	Reason   string `json:"reason"`
	ExtendMS int64  `json:"extend_ms,omitempty"`
}

type submitData struct {
	Reason SubmitReason `json:"reason"`
	By     string       `json:"by,omitempty"`
	Note   string       `json:"note,omitempty"`
}

// eventMAC chains each event to the one before it with an HMAC under the terminal secret, so
// that an event altered, removed or inserted in the database file is noticed on load.
func eventMAC(secret, prev []byte, attemptID string, ev *Event) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(prev)
	for _, field := range [][]byte{
		[]byte(attemptID),
		[]byte(strconv.Itoa(ev.Seq)),
		[]byte(ev.At.UTC().Format(time.RFC3339Nano)),
		[]byte(strconv.FormatInt(ev.UsedMS, 10)),
		[]byte(ev.Kind),
		ev.Data,
	} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(field)))
		m.Write(n[:])
		m.Write(field)
	}
	return m.Sum(nil)
}

// checkpointMAC binds the stored running time to the attempt and its last event.
func checkpointMAC(secret []byte, attemptID string, lastSeq int, usedMS int64, state State) []byte {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "checkpoint\x00%s\x00%d\x00%d\x00%s", attemptID, lastSeq, usedMS, state)
	return m.Sum(nil)
}

func insertEvent(tx *sql.Tx, attemptID string, ev *Event, mac []byte) error {
	_, err := tx.Exec(`INSERT INTO events (attempt_id, seq, at, used_ms, kind, data, mac) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		attemptID, ev.Seq, ev.At.UTC().Format(time.RFC3339Nano), ev.UsedMS, string(ev.Kind), []byte(ev.Data), mac)
	return err
}

// loadEvents reads an attempt's events in order and checks their chain.
func loadEvents(db *sql.DB, secret []byte, attemptID string) ([]Event, []byte, error) {
	rows, err := db.Query(`SELECT seq, at, used_ms, kind, data, mac FROM events WHERE attempt_id = ? ORDER BY seq`, attemptID)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer rows.Close()
	var events []Event
	var prev []byte
	for rows.Next() {
		var ev Event
		var at, kind string
		var data, mac []byte
		if err := rows.Scan(&ev.Seq, &at, &ev.UsedMS, &kind, &data, &mac); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		ev.Kind, ev.Data = EventKind(kind), data
		if ev.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, nil, fmt.Errorf("%w: event %d of attempt %s has time %q", ErrTampered, ev.Seq, attemptID, at)
		}
		if ev.Seq != len(events)+1 {
			return nil, nil, fmt.Errorf("%w: attempt %s is missing event %d", ErrTampered, attemptID, len(events)+1)
		}
		want := eventMAC(secret, prev, attemptID, &ev)
		if !hmac.Equal(want, mac) {
			return nil, nil, fmt.Errorf("%w: event %d of attempt %s does not match its seal", ErrTampered, ev.Seq, attemptID)
		}
		prev = mac
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return events, prev, nil
}
