package textedit

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// flat is the text of a Doc as one run of characters, and the cursor and the anchor as
// offsets in it: what a single text box holds, against which a Doc's edits are checked.
type flat struct {
	text           []rune
	cursor, anchor int
}

func flatOf(d *Doc) flat {
	return flat{[]rune(d.Text()), offset(d, d.cursor), offset(d, d.anchor)}
}

// offset is p as an offset in the whole text.
func offset(d *Doc, p Pos) int {
	n := p.Off
	for _, para := range d.paras[:p.Para] {
		n += len([]rune(para)) + 1
	}
	return n
}

// replace puts text in place of the selection, the cursor after it.
func (f *flat) replace(text string) {
	from, to := min(f.cursor, f.anchor), max(f.cursor, f.anchor)
	ins := []rune(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"))
	f.text = slices.Concat(f.text[:from], ins, f.text[to:])
	f.cursor = from + len(ins)
	f.anchor = f.cursor
}

// deleteOr deletes the selection, or else from the cursor to at.
func (f *flat) deleteOr(at int) {
	if f.cursor == f.anchor {
		f.anchor = min(max(at, 0), len(f.text))
	}
	f.replace("")
}

var pieces = []string{"a", "ž", " ", "Ђ", "ë", ".", "\n", "x\ny", "\r\n", "riječ, ", "1\n\n2", ""}

// run makes the edits ops describes (a byte chooses an edit, the next ones its arguments) on a
// Doc holding start, checking after each that the Doc's text and selection are what one text
// box would hold; then it undoes every step back to start and redoes them all to the end.
func run(t *testing.T, start string, ops []byte) {
	d := New(start)
	checkDoc(t, d)
	want := flatOf(d)
	next := func() int {
		if len(ops) == 0 {
			return 0
		}
		b := ops[0]
		ops = ops[1:]
		return int(b)
	}
	for len(ops) > 0 {
		op := next()
		switch op % 12 {
		case 0, 1:
			r := []rune("ab ćđ\n.")[next()%7]
			d.Type(r)
			want.replace(string(r))
		case 2:
			s := pieces[next()%len(pieces)]
			d.Insert(s)
			want.replace(s)
		case 3:
			d.Backspace()
			want.deleteOr(want.cursor - 1)
		case 4:
			d.Delete()
			want.deleteOr(want.cursor + 1)
		case 5:
			p := Pos{next() % (len(d.paras) + 1), next() % 12}
			extend := op&16 != 0
			d.MoveTo(p, extend)
			want.cursor = offset(d, d.cursor)
			if !extend {
				want.anchor = want.cursor
			}
		case 6:
			d.SelectAll()
			want.anchor, want.cursor = 0, len(want.text)
		case 7:
			p := d.WordLeft(d.cursor)
			if op&16 != 0 {
				p = d.WordRight(d.cursor)
			}
			at := offset(d, p)
			d.DeleteTo(p)
			want.deleteOr(at)
		case 8:
			d.DeleteSelection()
			want.replace("")
		case 9:
			d.Undo()
			want = flatOf(d)
		case 10:
			d.Redo()
			want = flatOf(d)
		case 11:
			d.Select(d.WordAt(d.cursor))
			want = flatOf(d)
		}
		checkDoc(t, d)
		if got := flatOf(d); !slices.Equal(got.text, want.text) || got.cursor != want.cursor || got.anchor != want.anchor {
			t.Fatalf("after edit %d the Doc holds %q (cursor %d, anchor %d), a text box %q (%d, %d)",
				op%12, string(got.text), got.cursor, got.anchor, string(want.text), want.cursor, want.anchor)
		}
	}

	// Undo all, noting each text on the way; redo as many steps, meeting them again. (What
	// the edits undid and did not redo may still wait to be redone after that.)
	final := d.Text()
	var texts []string
	for d.CanUndo() {
		texts = append(texts, d.Text())
		d.Undo()
		checkDoc(t, d)
	}
	if got := d.Text(); got != New(start).Text() {
		t.Fatalf("undoing all gives %q, not the start %q", got, start)
	}
	for i := len(texts) - 1; i >= 0; i-- {
		d.Redo()
		checkDoc(t, d)
		if got := d.Text(); got != texts[i] {
			t.Fatalf("redo gives %q, not %q", got, texts[i])
		}
	}
	if d.Text() != final {
		t.Fatalf("redoing all gives %q, not the end %q", d.Text(), final)
	}
}

// FuzzEdits: random edits, undos and redos keep a Doc what one text box would hold; undoing
// all returns the start and redoing all the end.
func FuzzEdits(f *testing.F) {
	f.Add("", []byte{0, 3, 1, 4, 2, 6, 9, 9, 10})
	f.Add("jedan dva\ntri", []byte{5, 1, 3, 21, 1, 8, 0, 6, 2, 5, 9, 10, 7, 23, 9})
	f.Add("Ово је\n\nтекст", []byte{6, 0, 6, 9, 2, 7, 9, 5, 2, 7, 11, 0, 4, 2, 10, 8, 3})
	f.Fuzz(func(t *testing.T, start string, ops []byte) {
		if len(start) > 200 || len(ops) > 400 {
			return
		}
		run(t, start, ops)
	})
}

// TestRandomEdits runs many random sequences of edits, as FuzzEdits checks them, without
// the fuzzer.
func TestRandomEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	starts := []string{"", "a", "jedan dva\ntri", "\n\n", "Rješenje.\nObrazloženje: ministarstvo\n\nkraj"}
	for range 2000 {
		ops := make([]byte, 1+rng.IntN(120))
		for i := range ops {
			ops[i] = byte(rng.IntN(256))
		}
		run(t, starts[rng.IntN(len(starts))], ops)
	}
}
