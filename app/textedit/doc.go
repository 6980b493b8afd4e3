// Package textedit is the model of the kiosk's written-task editor, without a window: a text
// of paragraphs, the cursor and the selection in it, and the history of its edits for undo
// and redo. The editor's widget (app/essay_text.go) turns keys and the pointer into calls of a
// Doc and shows what the Doc holds; every rule of editing (what a key deletes, where a word
// ends, what one undo step takes back) is here, and is tested here.
package textedit

import (
	"strings"
	"unicode/utf8"
)

// Pos is a place in a Doc: in paragraph Para, after Off characters of it. Characters are
// Unicode code points, as Fyne's Entry counts them.
type Pos struct{ Para, Off int }

// Less reports whether p comes before q.
func (p Pos) Less(q Pos) bool { return p.Para < q.Para || p.Para == q.Para && p.Off < q.Off }

// Doc is a text of paragraphs (the lines of the text: its "\n" separate them), with a cursor,
// a selection that runs from an anchor to the cursor, and an undo history. The zero Doc is not
// ready: make one with New.
type Doc struct {
	paras          []string // never empty; no paragraph holds a "\n"
	cursor, anchor Pos
	hist           history
}

// New is a Doc holding text, with the cursor at its start and no history.
func New(text string) *Doc {
	d := &Doc{}
	d.Reset(text)
	return d
}

// Reset replaces the whole text and forgets the history; the cursor stays where it was, or as
// near as the new text allows, and the selection goes.
func (d *Doc) Reset(text string) {
	d.paras = strings.Split(clean(text), "\n")
	d.cursor = d.clamp(d.cursor)
	d.anchor = d.cursor
	d.hist = history{}
}

// clean makes text fit for a Doc: line breaks of any convention become "\n", and bytes that
// are not UTF-8 (a clipboard may hold anything) become U+FFFD, which the exam engine accepts.
func clean(text string) string {
	if strings.ContainsRune(text, '\r') {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	return strings.ToValidUTF8(text, "\uFFFD")
}

// Text is the whole text: the paragraphs joined with "\n".
func (d *Doc) Text() string { return strings.Join(d.paras, "\n") }

// Paragraphs is the number of paragraphs, at least one.
func (d *Doc) Paragraphs() int { return len(d.paras) }

// Paragraph is the text of paragraph i.
func (d *Doc) Paragraph(i int) string { return d.paras[i] }

// Len is the number of characters of paragraph i.
func (d *Doc) Len(i int) int { return utf8.RuneCountInString(d.paras[i]) }

// End is the place after the last character.
func (d *Doc) End() Pos {
	last := len(d.paras) - 1
	return Pos{last, d.Len(last)}
}

// Cursor is where the cursor is.
func (d *Doc) Cursor() Pos { return d.cursor }

// Anchor is where the selection started: the selection runs from it to the cursor.
func (d *Doc) Anchor() Pos { return d.anchor }

// Selection is the selected stretch, from its first place to its last; the two are the
// cursor's place when nothing is selected.
func (d *Doc) Selection() (from, to Pos) {
	if d.cursor.Less(d.anchor) {
		return d.cursor, d.anchor
	}
	return d.anchor, d.cursor
}

// HasSelection reports whether some text is selected.
func (d *Doc) HasSelection() bool { return d.cursor != d.anchor }

// Selected is the selected text, with "\n" between paragraphs.
func (d *Doc) Selected() string { return d.slice(d.Selection()) }

// slice is the text from one place to a later one.
func (d *Doc) slice(from, to Pos) string {
	if from.Para == to.Para {
		p := d.paras[from.Para]
		return p[byteAt(p, from.Off):byteAt(p, to.Off)]
	}
	var b strings.Builder
	first := d.paras[from.Para]
	b.WriteString(first[byteAt(first, from.Off):])
	for _, p := range d.paras[from.Para+1 : to.Para] {
		b.WriteByte('\n')
		b.WriteString(p)
	}
	last := d.paras[to.Para]
	b.WriteByte('\n')
	b.WriteString(last[:byteAt(last, to.Off)])
	return b.String()
}

// clamp is the place in the text nearest to p.
func (d *Doc) clamp(p Pos) Pos {
	p.Para = min(max(p.Para, 0), len(d.paras)-1)
	p.Off = min(max(p.Off, 0), d.Len(p.Para))
	return p
}

// byteAt is the byte index in s of its character n (len(s) past the last).
func byteAt(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// after is the place after text put at at.
func after(at Pos, text string) Pos {
	i := strings.LastIndexByte(text, '\n')
	if i < 0 {
		return Pos{at.Para, at.Off + utf8.RuneCountInString(text)}
	}
	return Pos{at.Para + strings.Count(text, "\n"), utf8.RuneCountInString(text[i+1:])}
}
