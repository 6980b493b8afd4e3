package app

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"fyne.io/fyne/v2/widget"
)

// A paragraph's Entry holds the paragraph with a line break in place of the space that ends
// each of its wrapped rows, where Fyne's word wrap ends the row anyway: a soft break. Fyne
// measures the rest of a line again for each row it wraps, so that an edit costs as much as
// the square of the line's length, which a long paragraph makes slow; with soft breaks every
// line is one row. The paragraph's text is the Entry's with the soft breaks back to spaces:
// the same length, the same words.

// softBreak stands in the Entry for the space that ends a row.
const softBreak = '\n'

// unbreak is a paragraph's text from its Entry's.
func unbreak(text string) string { return strings.ReplaceAll(text, string(softBreak), " ") }

// flow finds where rows end as Fyne's word wrap does (widget/richtext.go, lineBounds): a row
// ends at the last white space whose text before it fits the width, or, when no word fits,
// in the middle of the first; the white space at a row's end is on neither row.
type flow struct {
	text    []rune // the paragraph, without soft breaks
	width   float32
	measure func(string) float32
	reach   int // more characters than a row holds, about, to begin looking for its end
}

func newFlow(text []rune, width float32, measure func(string) float32) *flow {
	f := &flow{text: text, width: width, measure: measure, reach: 400}
	if e := measure("e"); e > 0 {
		f.reach = int(3*width/e) + 1
	}
	return f
}

func (f *flow) fits(low, high int) bool { return f.measure(string(f.text[low:high])) <= f.width }

func (f *flow) space(i int) bool { return unicode.IsSpace(f.text[i]) }

// nextSpace is the first white space at or after i, or the end.
func (f *flow) nextSpace(i int) int {
	for i < len(f.text) && !f.space(i) {
		i++
	}
	return i
}

// row is the row that starts at low: it ends at end, and the next starts at next. hint is
// where the row is likely to end (where it ended before the edit), to measure little.
func (f *flow) row(low, hint int) (end, next int) {
	n := len(f.text)
	p := f.nextSpace(min(max(hint, low+1), low+f.reach, n))
	if p < n && f.fits(low, p) {
		for { // a word at a time: the hint is about right
			q := f.nextSpace(p + 1)
			if q == n {
				if f.fits(low, n) {
					return n, n
				}
				return p, p + 1
			}
			if !f.fits(low, q) {
				return p, p + 1
			}
			p = q
		}
	}
	if p == n && f.fits(low, n) {
		return n, n
	}
	// The last of the white spaces before p whose text before it fits.
	var spaces []int
	for i := low + 1; i < p; i++ {
		if f.space(i) {
			spaces = append(spaces, i)
		}
	}
	if i := sort.Search(len(spaces), func(i int) bool { return !f.fits(low, spaces[i]) }); i > 0 {
		return spaces[i-1], spaces[i-1] + 1
	}
	// Not one word fits (Fyne's findSpaceIndex and the fallback after it).
	if f.space(low) {
		end = low + 1
	} else {
		word := f.nextSpace(low + 1)
		fit := sort.Search(word-low, func(k int) bool { return k > 0 && !f.fits(low, low+k) }) - 1
		if fit < 1 {
			return low + 1, low + 1
		}
		end = low + fit
	}
	next = end
	if next < n && f.space(next) {
		next++
	}
	return end, next
}

// soft reports whether the row ending at end with the next at next ends at a soft break: at
// a space with more text after it.
func (f *flow) soft(end, next int) bool {
	return next == end+1 && next < len(f.text) && f.text[end] == ' '
}

// lay is the Entry text of the whole paragraph.
func (f *flow) lay() []rune {
	out := slices.Clone(f.text)
	for low, last := 0, 0; low < len(out); {
		end, next := f.row(low, low+last)
		if f.soft(end, next) {
			out[end] = softBreak
		}
		last, low = end-low, next
	}
	return out
}

// relay is the Entry text after an edit that changed what is now entry[from:to]: entry, with
// the soft breaks of the rows from the one before the edit on laid out again, until a row ends
// where a soft break after the edit already is.
func (f *flow) relay(entry []rune, from, to int) []rune {
	out := slices.Clone(entry)
	low := 0
	if i := lastBreak(entry, from); i >= 0 {
		low = lastBreak(entry, i) + 1 // a word edited at the start of a row may fit the row before
	}
	for low < len(out) {
		old := slices.Index(entry[low:], softBreak)
		if old < 0 {
			old = len(out)
		} else {
			old += low
		}
		end, next := f.row(low, old)
		for i := low; i < end; i++ {
			if out[i] == softBreak {
				out[i] = ' '
			}
		}
		if end < len(out) {
			if f.soft(end, next) {
				out[end] = softBreak
			} else if out[end] == softBreak {
				out[end] = ' '
			}
		}
		if end >= to && end == old && f.soft(end, next) {
			break // the rows after this one are as before
		}
		low = next
	}
	return out
}

// lastBreak is the index of the last soft break before i, or -1.
func lastBreak(text []rune, i int) int {
	for i--; i >= 0; i-- {
		if text[i] == softBreak {
			return i
		}
	}
	return -1
}

// entryRows is how many rows an Entry wraps its text to at its width. The Entry does not
// say, but its cursor offset of a row past the last is 0.
func entryRows(e *widget.Entry) int {
	row, col := e.CursorRow, e.CursorColumn
	defer func() { e.CursorRow, e.CursorColumn = row, col }()
	n := 1
	for ; ; n++ {
		e.CursorRow, e.CursorColumn = n, 0
		if e.CursorTextOffset() == 0 {
			return n
		}
	}
}

// entryRowCol is the row and column of a character offset in an Entry, as it places its
// cursor there.
func entryRowCol(e *widget.Entry, offset int) (row, col int) {
	r0, c0 := e.CursorRow, e.CursorColumn
	defer func() { e.CursorRow, e.CursorColumn = r0, c0 }()
	start := 0
	for n := 1; ; n++ {
		e.CursorRow, e.CursorColumn = n, 0
		begin := e.CursorTextOffset()
		if begin == 0 || begin > offset {
			return row, offset - start
		}
		row, start = n, begin
	}
}

// entryRowStarts are the offsets where an Entry's rows start.
func entryRowStarts(e *widget.Entry) []int {
	r0, c0 := e.CursorRow, e.CursorColumn
	defer func() { e.CursorRow, e.CursorColumn = r0, c0 }()
	starts := []int{0}
	for n := 1; ; n++ {
		e.CursorRow, e.CursorColumn = n, 0
		begin := e.CursorTextOffset()
		if begin == 0 {
			return starts
		}
		starts = append(starts, begin)
	}
}
