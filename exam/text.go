package exam

import (
	"database/sql"
	"fmt"
	"unicode/utf8"

	"ispit/bank"
)

// maxTaskText bounds the text of one written task, in bytes (about 100,000 words).
const maxTaskText = 1 << 20

// SetText takes the whole current text of a written task, as the candidate types it. It does
// not wait for the disk: the text becomes durable within a second of the last keystroke (the
// engine's clock flushes it), and at once on FlushText, Visit, Pause and submission.
// It takes no lock that a disk write holds: the items of an attempt never change, and its
// state is read from a published copy.
func (a *Attempt) SetText(itemID, text string) error {
	e := a.engine()
	switch st, _ := a.published.Load().(string); State(st) {
	case StateRunning:
	case StateSubmitted:
		return ErrSubmitted
	default:
		return fmt.Errorf("%w (%s)", ErrNotRunning, st)
	}
	it, _, err := a.itemLocked(itemID)
	if err != nil {
		return err
	}
	if it.Kind != bank.ItemWritten {
		return fmt.Errorf("%w: %s is a multiple-choice item", ErrWrongItemKind, itemID)
	}
	if len(text) > maxTaskText {
		return fmt.Errorf("%w: the text is longer than %d bytes", ErrWrongItemKind, maxTaskText)
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("%w: the text is not valid UTF-8", ErrWrongItemKind)
	}
	a.textMu.Lock()
	defer a.textMu.Unlock()
	p, ok := a.pending[itemID]
	if !ok {
		p.since = e.clock.Elapsed()
	}
	p.text = text
	a.pending[itemID] = p
	return nil
}

// FlushText makes every pending keystroke durable now (navigation, focus loss).
func (a *Attempt) FlushText() error {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	return a.flushTextLocked()
}

// flushTextLocked records the pending typing of every task as one edit each, in one
// transaction.
func (a *Attempt) flushTextLocked() error {
	a.textMu.Lock()
	if len(a.pending) == 0 {
		a.textMu.Unlock()
		return nil
	}
	batch := a.pending
	a.pending = map[string]pendingText{}
	a.textMu.Unlock()

	if a.state == StateSubmitted {
		return nil
	}
	var edits []textData
	for _, id := range sortedKeys(batch) {
		if edit, changed := diffText(id, a.text[id], batch[id].text); changed {
			edits = append(edits, edit)
		}
	}
	if len(edits) == 0 {
		return nil
	}
	type applied struct {
		ev  Event
		mac []byte
	}
	var done []applied
	e := a.engine()
	saved := a.lastMAC
	events := len(a.events) // restored below: the events are applied once committed
	err := withTx(e.db, func(tx *sql.Tx) error {
		for _, edit := range edits {
			ev, mac, err := a.appendLocked(tx, EventText, edit)
			if err != nil {
				return err
			}
			// The next edit of the batch chains to this one.
			a.lastMAC = mac
			a.events = append(a.events, ev)
			done = append(done, applied{ev, mac})
		}
		return nil
	})
	a.lastMAC, a.events = saved, a.events[:events]
	if err != nil {
		a.restorePending(batch)
		return fmt.Errorf("saving typing: %w", err)
	}
	for i, d := range done {
		a.commitLocked(d.ev, d.mac, edits[i])
		e.notify(Notification{Kind: NotifySaved, Attempt: a.id, Item: edits[i].Item})
	}
	return nil
}

// restorePending puts typing that could not be saved back, unless newer typing came meanwhile.
func (a *Attempt) restorePending(batch map[string]pendingText) {
	a.textMu.Lock()
	defer a.textMu.Unlock()
	for id, p := range batch {
		if _, newer := a.pending[id]; !newer {
			a.pending[id] = p
		}
	}
}

// diffText describes the change from old to new as one replacement of the middle, cut at
// character boundaries.
func diffText(item string, old []byte, new string) (textData, bool) {
	if string(old) == new {
		return textData{}, false
	}
	prefix := 0
	for prefix < len(old) && prefix < len(new) && old[prefix] == new[prefix] {
		prefix++
	}
	for prefix > 0 && prefix < len(new) && !utf8.RuneStart(new[prefix]) {
		prefix--
	}
	suffix := 0
	for suffix < len(old)-prefix && suffix < len(new)-prefix && old[len(old)-1-suffix] == new[len(new)-1-suffix] {
		suffix++
	}
	for suffix > 0 && !utf8.RuneStart(new[len(new)-suffix]) {
		suffix--
	}
	return textData{Item: item, At: prefix, Delete: len(old) - prefix - suffix, Insert: new[prefix : len(new)-suffix]}, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}
