package textedit

import (
	"slices"
	"strings"
)

// Change tells a view of the paragraphs which of them an edit touched: Old paragraphs from
// First are now New paragraphs from First; those after them are as they were, moved by
// New-Old. The zero Change is no change of the text.
type Change struct{ First, Old, New int }

// Changed reports whether the text changed.
func (c Change) Changed() bool { return c.Old > 0 }

// Type types a character in place of the selection: "\n" splits the paragraph. Characters
// typed one after the other are one step of the history, until a word starts after white
// space.
func (d *Doc) Type(r rune) Change {
	if r == '\r' {
		r = '\n'
	}
	k := typing
	if r == '\n' {
		k = other // a split is a step of its own
	}
	from, to := d.Selection()
	return d.edit(from, to, clean(string(r)), k)
}

// Insert puts text in place of the selection (a paste): its line breaks make paragraphs. It is
// one step of the history.
func (d *Doc) Insert(text string) Change {
	from, to := d.Selection()
	return d.edit(from, to, clean(text), other)
}

// Backspace deletes the selection, or else the character before the cursor: at a
// paragraph's start, the line break, which joins the paragraph to the one before. Deletions
// one after the other within a paragraph are one step of the history; a join is one of its own.
func (d *Doc) Backspace() Change {
	if d.HasSelection() {
		return d.DeleteSelection()
	}
	from := d.Left(d.cursor)
	k := deletingBack
	if from.Para != d.cursor.Para {
		k = other
	}
	return d.edit(from, d.cursor, "", k)
}

// Delete deletes the selection, or else the character after the cursor: at a paragraph's
// end, the line break, which joins the paragraph after to it. Deletions one after the other
// within a paragraph are one step of the history; a join is one of its own.
func (d *Doc) Delete() Change {
	if d.HasSelection() {
		return d.DeleteSelection()
	}
	to := d.Right(d.cursor)
	k := deletingForward
	if to.Para != d.cursor.Para {
		k = other
	}
	return d.edit(d.cursor, to, "", k)
}

// DeleteTo deletes the selection, or else the text from the cursor to p (a word, with
// Ctrl+Backspace or Ctrl+Delete), as one step of the history.
func (d *Doc) DeleteTo(p Pos) Change {
	if d.HasSelection() {
		return d.DeleteSelection()
	}
	p = d.clamp(p)
	from, to := d.cursor, p
	if to.Less(from) {
		from, to = to, from
	}
	return d.edit(from, to, "", other)
}

// DeleteSelection deletes the selected text (a cut), as one step of the history.
func (d *Doc) DeleteSelection() Change {
	from, to := d.Selection()
	return d.edit(from, to, "", other)
}

// edit replaces the text from one place to a later one with text, leaves the cursor after it
// and records the edit in the history as a step of kind k. An edit that changes nothing is
// not made.
func (d *Doc) edit(from, to Pos, text string, k kind) Change {
	if from == to && text == "" {
		return Change{}
	}
	before := mark{d.anchor, d.cursor}
	removed, c := d.replace(from, to, text)
	d.cursor = after(from, text)
	d.anchor = d.cursor
	d.hist.record(step{at: from, removed: removed, inserted: text, before: before, after: mark{d.anchor, d.cursor}, kind: k})
	return c
}

// replace puts text in place of the text from one place to a later one, and returns what it
// took out.
func (d *Doc) replace(from, to Pos, text string) (string, Change) {
	removed := d.slice(from, to)
	first, last := d.paras[from.Para], d.paras[to.Para]
	lines := strings.Split(text, "\n")
	lines[0] = first[:byteAt(first, from.Off)] + lines[0]
	lines[len(lines)-1] += last[byteAt(last, to.Off):]
	d.paras = slices.Replace(d.paras, from.Para, to.Para+1, lines...)
	return removed, Change{First: from.Para, Old: to.Para - from.Para + 1, New: len(lines)}
}
