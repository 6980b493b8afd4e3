package textedit

import (
	"strings"
	"unicode"
)

// MoveTo puts the cursor at p (or the place nearest to it). With extend the selection
// stretches to p from where it started; without, nothing is selected.
func (d *Doc) MoveTo(p Pos, extend bool) {
	d.cursor = d.clamp(p)
	if !extend {
		d.anchor = d.cursor
	}
	d.hist.seal()
}

// Select selects from anchor to cursor.
func (d *Doc) Select(anchor, cursor Pos) {
	d.anchor, d.cursor = d.clamp(anchor), d.clamp(cursor)
	d.hist.seal()
}

// SelectAll selects the whole text, the cursor at its end.
func (d *Doc) SelectAll() { d.Select(Pos{}, d.End()) }

// Left is the place one character before p: across a line break, the end of the paragraph
// before.
func (d *Doc) Left(p Pos) Pos {
	switch {
	case p.Off > 0:
		return Pos{p.Para, p.Off - 1}
	case p.Para > 0:
		return Pos{p.Para - 1, d.Len(p.Para - 1)}
	}
	return p
}

// Right is the place one character after p: across a line break, the start of the paragraph
// after.
func (d *Doc) Right(p Pos) Pos {
	switch {
	case p.Off < d.Len(p.Para):
		return Pos{p.Para, p.Off + 1}
	case p.Para < len(d.paras)-1:
		return Pos{p.Para + 1, 0}
	}
	return p
}

// WordLeft is the start of the word at or before p (past the separators before p); from a
// paragraph's start, the end of the paragraph before.
func (d *Doc) WordLeft(p Pos) Pos {
	if p.Off == 0 {
		return d.Left(p)
	}
	r := []rune(d.paras[p.Para])
	i := p.Off
	for i > 0 && separator(r[i-1]) {
		i--
	}
	for i > 0 && !separator(r[i-1]) {
		i--
	}
	return Pos{p.Para, i}
}

// WordRight is the end of the word at or after p (past the separators after p); from a
// paragraph's end, the start of the paragraph after.
func (d *Doc) WordRight(p Pos) Pos {
	r := []rune(d.paras[p.Para])
	if p.Off >= len(r) {
		return d.Right(p)
	}
	i := p.Off
	for i < len(r) && separator(r[i]) {
		i++
	}
	for i < len(r) && !separator(r[i]) {
		i++
	}
	return Pos{p.Para, i}
}

// WordAt is the word at p (the character after p, or before it at a paragraph's end), or the
// run of separators there: what a double click selects.
func (d *Doc) WordAt(p Pos) (from, to Pos) {
	r := []rune(d.paras[p.Para])
	if len(r) == 0 {
		return p, p
	}
	i := min(p.Off, len(r)-1)
	sep := separator(r[i])
	start, end := i, i+1
	for start > 0 && separator(r[start-1]) == sep {
		start--
	}
	for end < len(r) && separator(r[end]) == sep {
		end++
	}
	return Pos{p.Para, start}, Pos{p.Para, end}
}

// separator reports whether r ends a word: white space, and the punctuation Fyne's Entry
// moves over by words.
func separator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("`~!@#$%^&*()-=+[{]}\\|;:'\",.<>/?", r)
}
