package textedit

import (
	"unicode"
	"unicode/utf8"
)

// kind is what made a step of the history, which decides whether the next edit joins it.
type kind int

const (
	other           kind = iota // a step of its own: a paste, a cut, a split, a join, a word deleted
	typing                      // characters typed
	deletingBack                // characters deleted with Backspace
	deletingForward             // characters deleted with Delete
)

// mark is a selection: its anchor and its cursor.
type mark struct{ anchor, cursor Pos }

// step is one step of the history: at at, removed became inserted. Undo puts removed back
// and the selection as it was before; redo makes the edit again and puts the selection as it
// was after.
type step struct {
	at                Pos
	removed, inserted string
	before, after     mark
	kind              kind
	open              bool // the next edit of the same kind, where this one ended, may join it
}

func (s *step) size() int { return len(s.removed) + len(s.inserted) }

// The history forgets its oldest steps beyond so many, or beyond so many bytes of text in its
// steps (a candidate pasting a long text over and over would otherwise fill the memory).
const (
	historySteps = 10_000
	historyBytes = 32 << 20
)

// history is the steps to undo and to redo, the last at the end of each.
type history struct {
	undo, redo []step
	bytes      int // the size of all the steps
}

// record adds the step of an edit just made, or joins it to the last step when it continues
// it: typing where the last typing ended (until a word starts after white space), Backspace
// where the last Backspace left the cursor, Delete where the last Delete did.
func (h *history) record(s step) {
	for _, r := range h.redo {
		h.bytes -= r.size()
	}
	h.redo = h.redo[:0]
	if n := len(h.undo); n > 0 && h.undo[n-1].open && h.undo[n-1].kind == s.kind {
		last := &h.undo[n-1]
		joined := true
		switch {
		case s.kind == typing && s.removed == "" && s.at == after(last.at, last.inserted) && !wordStart(last.inserted, s.inserted):
			last.inserted += s.inserted
		case s.kind == deletingBack && after(s.at, s.removed) == last.at:
			last.at, last.removed = s.at, s.removed+last.removed
		case s.kind == deletingForward && s.at == last.at:
			last.removed += s.removed
		default:
			joined = false
		}
		if joined {
			last.after = s.after
			h.bytes += s.size()
			return
		}
	}
	s.open = s.kind != other
	h.undo = append(h.undo, s)
	h.bytes += s.size()
	for len(h.undo) > 1 && (len(h.undo) > historySteps || h.bytes > historyBytes) {
		h.bytes -= h.undo[0].size()
		h.undo = h.undo[1:]
	}
}

// wordStart reports whether next, typed after typed, starts a word after white space.
func wordStart(typed, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(typed)
	first, _ := utf8.DecodeRuneInString(next)
	return unicode.IsSpace(last) && !unicode.IsSpace(first)
}

// seal ends the last step: the next edit makes a step of its own (the cursor moved).
func (h *history) seal() {
	if n := len(h.undo); n > 0 {
		h.undo[n-1].open = false
	}
}

// CanUndo reports whether there is an edit to undo.
func (d *Doc) CanUndo() bool { return len(d.hist.undo) > 0 }

// CanRedo reports whether there is an undone edit to make again.
func (d *Doc) CanRedo() bool { return len(d.hist.redo) > 0 }

// Undo takes the last step of the history back, and selects as before it.
func (d *Doc) Undo() Change {
	h := &d.hist
	n := len(h.undo)
	if n == 0 {
		return Change{}
	}
	s := h.undo[n-1]
	h.undo = h.undo[:n-1]
	_, c := d.replace(s.at, after(s.at, s.inserted), s.removed)
	d.anchor, d.cursor = s.before.anchor, s.before.cursor
	s.open = false
	h.redo = append(h.redo, s)
	h.seal() // typing after an undo does not join the step before
	return c
}

// Redo makes the last undone step again, and selects as after it.
func (d *Doc) Redo() Change {
	h := &d.hist
	n := len(h.redo)
	if n == 0 {
		return Change{}
	}
	s := h.redo[n-1]
	h.redo = h.redo[:n-1]
	_, c := d.replace(s.at, after(s.at, s.removed), s.inserted)
	d.anchor, d.cursor = s.after.anchor, s.after.cursor
	h.undo = append(h.undo, s)
	return c
}
