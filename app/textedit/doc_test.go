package textedit

import (
	"strings"
	"testing"
)

// The tests write a Doc's state as its text with "|" at the cursor and "^" at the anchor
// (left out when nothing is selected).

// parse is a Doc in the state written.
func parse(t *testing.T, state string) *Doc {
	t.Helper()
	var cursor, anchor Pos
	hasAnchor := false
	var text strings.Builder
	at := Pos{}
	for _, r := range state {
		switch r {
		case '|':
			cursor = at
		case '^':
			anchor, hasAnchor = at, true
		case '\n':
			text.WriteRune(r)
			at = Pos{at.Para + 1, 0}
		default:
			text.WriteRune(r)
			at.Off++
		}
	}
	if !hasAnchor {
		anchor = cursor
	}
	d := New(text.String())
	d.Select(anchor, cursor)
	if got := format(d); got != state {
		t.Fatalf("parse(%q) is %q", state, got)
	}
	return d
}

// format is the state of d, as parse reads it.
func format(d *Doc) string {
	var b strings.Builder
	for i, p := range d.paras {
		if i > 0 {
			b.WriteByte('\n')
		}
		runes := []rune(p)
		for j := 0; j <= len(runes); j++ {
			at := Pos{i, j}
			if d.HasSelection() && at == d.anchor {
				b.WriteByte('^')
			}
			if at == d.cursor {
				b.WriteByte('|')
			}
			if j < len(runes) {
				b.WriteRune(runes[j])
			}
		}
	}
	return b.String()
}

func TestEdits(t *testing.T) {
	for _, c := range []struct {
		name, start string
		edit        func(d *Doc) Change
		want        string
		change      Change
	}{
		{"type", "ab|c", func(d *Doc) Change { return d.Type('x') }, "abx|c", Change{0, 1, 1}},
		{"type in the second paragraph", "a\nб|в", func(d *Doc) Change { return d.Type('ё') }, "a\nбё|в", Change{1, 1, 1}},
		{"type over a selection across paragraphs", "a^b\ncd\ne|f", func(d *Doc) Change { return d.Type('x') }, "ax|f", Change{0, 3, 1}},
		{"type over a selection made backwards", "a|b\ncd\ne^f", func(d *Doc) Change { return d.Type('x') }, "ax|f", Change{0, 3, 1}},
		{"Enter splits", "ab|c", func(d *Doc) Change { return d.Type('\n') }, "ab\n|c", Change{0, 1, 2}},
		{"a carriage return splits", "ab|c", func(d *Doc) Change { return d.Type('\r') }, "ab\n|c", Change{0, 1, 2}},
		{"Enter at the end", "x\nab|", func(d *Doc) Change { return d.Type('\n') }, "x\nab\n|", Change{1, 1, 2}},
		{"Enter over a selection", "a^b\nc|d", func(d *Doc) Change { return d.Type('\n') }, "a\n|d", Change{0, 2, 2}},
		{"Backspace", "ab|c", func(d *Doc) Change { return d.Backspace() }, "a|c", Change{0, 1, 1}},
		{"Backspace at a paragraph's start joins", "ab\n|cd", func(d *Doc) Change { return d.Backspace() }, "ab|cd", Change{0, 2, 1}},
		{"Backspace at the start", "|ab\nc", func(d *Doc) Change { return d.Backspace() }, "|ab\nc", Change{}},
		{"Backspace deletes the selection", "a^b\nc|d", func(d *Doc) Change { return d.Backspace() }, "a|d", Change{0, 2, 1}},
		{"Delete", "a|bc", func(d *Doc) Change { return d.Delete() }, "a|c", Change{0, 1, 1}},
		{"Delete at a paragraph's end joins", "ab|\ncd", func(d *Doc) Change { return d.Delete() }, "ab|cd", Change{0, 2, 1}},
		{"Delete at the end", "ab\ncd|", func(d *Doc) Change { return d.Delete() }, "ab\ncd|", Change{}},
		{"Delete deletes the selection", "a|b\nc^d", func(d *Doc) Change { return d.Delete() }, "a|d", Change{0, 2, 1}},
		{"delete a word back", "jedan dva|", func(d *Doc) Change { return d.DeleteTo(d.WordLeft(d.Cursor())) }, "jedan |", Change{0, 1, 1}},
		{"delete a word back at a paragraph's start", "ab\n|cd", func(d *Doc) Change { return d.DeleteTo(d.WordLeft(d.Cursor())) }, "ab|cd", Change{0, 2, 1}},
		{"delete a word forward", "|jedan dva", func(d *Doc) Change { return d.DeleteTo(d.WordRight(d.Cursor())) }, "| dva", Change{0, 1, 1}},
		{"delete a word with a selection deletes the selection", "^ab|c", func(d *Doc) Change { return d.DeleteTo(d.WordRight(d.Cursor())) }, "|c", Change{0, 1, 1}},
		{"cut across three paragraphs", "a^b\ncd\ne|f", func(d *Doc) Change { return d.DeleteSelection() }, "a|f", Change{0, 3, 1}},
		{"cut nothing", "ab|c", func(d *Doc) Change { return d.DeleteSelection() }, "ab|c", Change{}},
		{"paste lines", "a|b", func(d *Doc) Change { return d.Insert("x\ny\nz") }, "ax\ny\nz|b", Change{0, 1, 3}},
		{"paste lines of any convention", "a|b", func(d *Doc) Change { return d.Insert("1\r\n2\r3") }, "a1\n2\n3|b", Change{0, 1, 3}},
		{"paste a line break", "a|b", func(d *Doc) Change { return d.Insert("\n") }, "a\n|b", Change{0, 1, 2}},
		{"paste ending in a line break", "a|b", func(d *Doc) Change { return d.Insert("x\n") }, "ax\n|b", Change{0, 1, 2}},
		{"paste over a selection across paragraphs", "a^b\nc|d\ne", func(d *Doc) Change { return d.Insert("X") }, "aX|d\ne", Change{0, 2, 1}},
		{"paste nothing over a selection deletes it", "a^b|c", func(d *Doc) Change { return d.Insert("") }, "a|c", Change{0, 1, 1}},
		{"paste nothing", "a|b", func(d *Doc) Change { return d.Insert("") }, "a|b", Change{}},
		{"paste bytes that are not UTF-8", "|", func(d *Doc) Change { return d.Insert("a\xffb") }, "a\uFFFDb|", Change{0, 1, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := parse(t, c.start)
			ch := c.edit(d)
			if got := format(d); got != c.want {
				t.Errorf("%q becomes %q, want %q", c.start, got, c.want)
			}
			if ch != c.change {
				t.Errorf("the change is %+v, want %+v", ch, c.change)
			}
			checkDoc(t, d)
		})
	}
}

func TestMoves(t *testing.T) {
	for _, c := range []struct {
		name, start string
		move        func(d *Doc)
		want        string
	}{
		{"left", "ab|c", func(d *Doc) { d.MoveTo(d.Left(d.Cursor()), false) }, "a|bc"},
		{"left across a line break", "ab\n|c", func(d *Doc) { d.MoveTo(d.Left(d.Cursor()), false) }, "ab|\nc"},
		{"left at the start", "|ab", func(d *Doc) { d.MoveTo(d.Left(d.Cursor()), false) }, "|ab"},
		{"right across a line break", "ab|\nc", func(d *Doc) { d.MoveTo(d.Right(d.Cursor()), false) }, "ab\n|c"},
		{"right at the end", "a\nb|", func(d *Doc) { d.MoveTo(d.Right(d.Cursor()), false) }, "a\nb|"},
		{"select right across a line break", "a|b\nc", func(d *Doc) {
			d.MoveTo(d.Right(d.Cursor()), true)
			d.MoveTo(d.Right(d.Cursor()), true)
		}, "a^b\n|c"},
		{"select up to the anchor selects nothing", "a^b|", func(d *Doc) { d.MoveTo(d.Left(d.Cursor()), true) }, "a|b"},
		{"word left", "jedan, dva|", func(d *Doc) { d.MoveTo(d.WordLeft(d.Cursor()), false) }, "jedan, |dva"},
		{"word left over separators", "jedan, |dva", func(d *Doc) { d.MoveTo(d.WordLeft(d.Cursor()), false) }, "|jedan, dva"},
		{"word left at a paragraph's start", "jedan\n|dva", func(d *Doc) { d.MoveTo(d.WordLeft(d.Cursor()), false) }, "jedan|\ndva"},
		{"word right", "|jedan, dva", func(d *Doc) { d.MoveTo(d.WordRight(d.Cursor()), false) }, "jedan|, dva"},
		{"word right over separators", "jedan|, dva", func(d *Doc) { d.MoveTo(d.WordRight(d.Cursor()), false) }, "jedan, dva|"},
		{"word right at a paragraph's end", "jedan|\ndva", func(d *Doc) { d.MoveTo(d.WordRight(d.Cursor()), false) }, "jedan\n|dva"},
		{"select words across paragraphs", "jedan |dva\ntri", func(d *Doc) {
			for range 3 {
				d.MoveTo(d.WordRight(d.Cursor()), true)
			}
		}, "jedan ^dva\ntri|"},
		{"select all", "a\nb|c\nd", func(d *Doc) { d.SelectAll() }, "^a\nbc\nd|"},
		{"move to a place past the text", "a|b\nc", func(d *Doc) { d.MoveTo(Pos{7, 9}, false) }, "ab\nc|"},
		{"move to a place past a paragraph", "a|b\nc", func(d *Doc) { d.MoveTo(Pos{0, 9}, false) }, "ab|\nc"},
		{"the word at a place", "jedan d|va tri", func(d *Doc) { d.Select(d.WordAt(d.Cursor())) }, "jedan ^dva| tri"},
		{"the word at a paragraph's end", "x\njedan dva|", func(d *Doc) { d.Select(d.WordAt(d.Cursor())) }, "x\njedan ^dva|"},
		{"the spaces at a place", "jedan |  dva", func(d *Doc) { d.Select(d.WordAt(d.Cursor())) }, "jedan^   |dva"},
		{"the word in an empty paragraph", "a\n|\nb", func(d *Doc) { d.Select(d.WordAt(d.Cursor())) }, "a\n|\nb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := parse(t, c.start)
			c.move(d)
			if got := format(d); got != c.want {
				t.Errorf("%q becomes %q, want %q", c.start, got, c.want)
			}
		})
	}
}

func TestSelected(t *testing.T) {
	for _, c := range []struct{ state, want string }{
		{"a|b", ""},
		{"a^b|c", "b"},
		{"a|b^c", "b"},
		{"a^b\ncd\ne|f", "b\ncd\ne"},
		{"a|b\n\n^c", "b\n\n"},
		{"^ab\n|", "ab\n"},
		{"дж^ё\nшщ|", "ё\nшщ"},
	} {
		if got := parse(t, c.state).Selected(); got != c.want {
			t.Errorf("%q: selected %q, want %q", c.state, got, c.want)
		}
	}
}

func TestReset(t *testing.T) {
	d := parse(t, "ab\ncd^e|")
	d.Type('x')
	d.Reset("jedan\r\ndva")
	if got := format(d); got != "jedan\ndva|" {
		t.Errorf("after Reset the state is %q", got)
	}
	if d.CanUndo() || d.CanRedo() {
		t.Error("Reset keeps the history")
	}
	if d.Reset("a"); format(d) != "a|" {
		t.Errorf("after Reset to a shorter text the state is %q", format(d))
	}
}

// checkDoc checks what must hold of every Doc: paragraphs without line breaks, valid text,
// the cursor and the anchor in it.
func checkDoc(t testing.TB, d *Doc) {
	t.Helper()
	if len(d.paras) == 0 {
		t.Fatal("no paragraphs")
	}
	for i, p := range d.paras {
		if strings.ContainsAny(p, "\n\r") {
			t.Fatalf("paragraph %d holds a line break: %q", i, p)
		}
	}
	for _, p := range []Pos{d.cursor, d.anchor} {
		if d.clamp(p) != p {
			t.Fatalf("%+v is not in the text %q", p, d.Text())
		}
	}
	if d.Text() != strings.Join(d.paras, "\n") {
		t.Fatal("Text is not the paragraphs joined")
	}
}
