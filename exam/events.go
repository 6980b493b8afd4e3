package exam

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
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
	// EventMoved: the scorer handed the attempt to another terminal; it stops here.
	EventMoved EventKind = "moved"
	// EventContinued: the attempt goes on here from another terminal's checkpoint.
	EventContinued EventKind = "continued"
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

type movedData struct {
	To string `json:"to"` // the terminal the attempt went to ("" when exported)
	// Exported: a proctor exported the attempt to removable media for a spare terminal
	// (Attempt.Export), By with Reason.
	Exported bool   `json:"exported,omitempty"`
	By       string `json:"by,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// continuedData is the state an attempt takes up on a spare terminal: the checkpoint it was
// handed, and who handed it.
type continuedData struct {
	From        string            `json:"from"`
	Seq         int64             `json:"seq"`
	Language    string            `json:"language"`
	Current     int               `json:"current"`
	Choices     map[string]string `json:"choices,omitempty"`
	Flags       []string          `json:"flags,omitempty"`
	Texts       map[string]string `json:"texts,omitempty"`
	HandedAt    time.Time         `json:"handed_at"`
	ConfirmedBy string            `json:"confirmed_by,omitempty"`
	Export      *ExportProof      `json:"export,omitempty"`
}

// eventMAC chains each event to the one before it with an HMAC under the terminal secret, so
// that an event altered, removed or inserted in the database file is noticed on load.
func eventMAC(secret, prev []byte, attemptID string, ev *Event) []byte {
	return newChain(secret).mac(prev, attemptID, ev.Seq, ev.At.UTC().Format(time.RFC3339Nano), ev.UsedMS, ev.Kind, ev.Data)
}

// chain computes event MACs with one HMAC state, reset for each event.
type chain struct {
	h   hash.Hash
	buf []byte
}

func newChain(secret []byte) *chain { return &chain{h: hmac.New(sha256.New, secret)} }

// mac is the HMAC of the previous MAC and the length-prefixed fields of an event, the time as
// stored (RFC 3339 with nanoseconds, UTC).
func (c *chain) mac(prev []byte, attemptID string, seq int, at string, usedMS int64, kind EventKind, data []byte) []byte {
	c.h.Reset()
	c.h.Write(prev)
	b := c.buf[:0]
	field := func(f []byte) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(f)))
		b = append(b, f...)
	}
	field([]byte(attemptID))
	field(strconv.AppendInt(nil, int64(seq), 10))
	field([]byte(at))
	field(strconv.AppendInt(nil, usedMS, 10))
	field([]byte(kind))
	c.h.Write(b)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(data)))
	c.h.Write(n[:])
	c.h.Write(data)
	c.buf = b
	return c.h.Sum(nil)
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

// loadEvents reads an attempt's events after event afterSeq (whose MAC is prev) up to event
// upTo (0 for all), in order, and checks their chain.
func loadEvents(db *sql.DB, secret []byte, attemptID string, afterSeq int, prev []byte, upTo int) ([]Event, []byte, error) {
	// One connection: ask for the count before the rows hold it.
	var count int
	db.QueryRow(`SELECT last_seq FROM attempts WHERE id = ?`, attemptID).Scan(&count)
	if upTo > 0 {
		count = upTo
	}
	events := make([]Event, 0, min(max(count-afterSeq, 0), 1<<20))
	if upTo <= 0 {
		upTo = int(^uint(0) >> 1)
	}
	rows, err := db.Query(`SELECT seq, at, used_ms, kind, data, mac FROM events WHERE attempt_id = ? AND seq > ? AND seq <= ? ORDER BY seq`, attemptID, afterSeq, upTo)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer rows.Close()
	c := newChain(secret)
	for rows.Next() {
		var ev Event
		var at, kind string
		var data []byte
		var mac sql.RawBytes
		if err := rows.Scan(&ev.Seq, &at, &ev.UsedMS, &kind, &data, &mac); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		ev.Kind, ev.Data = EventKind(kind), data
		if ev.Seq != afterSeq+len(events)+1 {
			return nil, nil, fmt.Errorf("%w: attempt %s is missing event %d", ErrTampered, attemptID, afterSeq+len(events)+1)
		}
		want := c.mac(prev, attemptID, ev.Seq, at, ev.UsedMS, ev.Kind, ev.Data)
		if !hmac.Equal(want, mac) {
			return nil, nil, fmt.Errorf("%w: event %d of attempt %s does not match its seal", ErrTampered, ev.Seq, attemptID)
		}
		if ev.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, nil, fmt.Errorf("%w: event %d of attempt %s has time %q", ErrTampered, ev.Seq, attemptID, at)
		}
		prev = want
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return events, prev, nil
}
