package textedit

import (
	"strings"
	"testing"
)

// typeText types s a character at a time.
func typeText(d *Doc, s string) {
	for _, r := range s {
		d.Type(r)
	}
}

// TestUndo makes edits and undoes them one step at a time: each undo goes back to the state
// written (the text and the selection before the step); then redo goes forward through the
// same states.
func TestUndo(t *testing.T) {
	for _, c := range []struct {
		name, start string
		edits       func(d *Doc)
		undone      []string // the states after each undo, the last the start
	}{
		{"typing is a step a word", "|", func(d *Doc) { typeText(d, "one two  three") },
			[]string{"one two  |", "one |", "|"}},
		{"a move ends a step", "|", func(d *Doc) {
			typeText(d, "ab")
			d.MoveTo(Pos{0, 1}, false)
			typeText(d, "x")
		}, []string{"a|b", "|"}},
		{"Enter is a step", "ab|c", func(d *Doc) {
			d.Type('\n')
			typeText(d, "xy")
		}, []string{"ab\n|c", "ab|c"}},
		{"a split", "ab|c", func(d *Doc) { d.Type('\n') }, []string{"ab|c"}},
		{"a join with Backspace", "ab\n|c", func(d *Doc) { d.Backspace() }, []string{"ab\n|c"}},
		{"a join with Delete", "ab|\nc", func(d *Doc) { d.Delete() }, []string{"ab|\nc"}},
		{"Backspace is a step until it joins", "a\nbcd|", func(d *Doc) {
			for range 5 {
				d.Backspace()
			}
		}, []string{"a|", "a\n|", "a\nbcd|"}},
		{"Delete is a step until it joins", "|abc\nd", func(d *Doc) {
			for range 4 {
				d.Delete()
			}
		}, []string{"|\nd", "|abc\nd"}},
		{"typing, then Backspace", "|", func(d *Doc) {
			typeText(d, "abc")
			d.Backspace()
		}, []string{"abc|", "|"}},
		{"a cut across paragraphs", "a^b\ncd\ne|f", func(d *Doc) { d.DeleteSelection() }, []string{"a^b\ncd\ne|f"}},
		{"a paste of lines over a selection", "a^b\nc|d", func(d *Doc) { d.Insert("1\n2\n3") }, []string{"a^b\nc|d"}},
		{"typing over a selection is one step with what follows", "x^abc|y", func(d *Doc) { typeText(d, "12") }, []string{"x^abc|y"}},
		{"a word deleted", "jedan dva|", func(d *Doc) { d.DeleteTo(d.WordLeft(d.Cursor())) }, []string{"jedan dva|"}},
		{"typing after an undo is a step of its own", "|", func(d *Doc) {
			typeText(d, "ab")
			d.Backspace()
			d.Undo()
			typeText(d, "c")
		}, []string{"ab|", "|"}},
		{"an edit that changes nothing is no step", "|ab", func(d *Doc) {
			d.Backspace()
			d.Insert("")
			typeText(d, "x")
		}, []string{"|ab"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := parse(t, c.start)
			c.edits(d)
			final := format(d)
			states := []string{final}
			for i, want := range c.undone {
				if !d.CanUndo() {
					t.Fatalf("undo %d: nothing to undo", i+1)
				}
				d.Undo()
				checkDoc(t, d)
				if got := format(d); got != want {
					t.Fatalf("undo %d: %q, want %q", i+1, got, want)
				}
				states = append(states, want)
			}
			if d.CanUndo() {
				d.Undo()
				t.Fatalf("there is more to undo: %q", format(d))
			}
			if d.Undo().Changed() {
				t.Fatal("Undo with nothing to undo changed the text")
			}
			// Redo goes forward through the same texts, to the text after the edits; the cursor
			// is where each step left it.
			for i := len(states) - 2; i >= 0; i-- {
				d.Redo()
				checkDoc(t, d)
				if got := d.Text(); got != strings.NewReplacer("|", "", "^", "").Replace(states[i]) {
					t.Fatalf("redo to %q gives %q", states[i], got)
				}
			}
			if d.CanRedo() {
				t.Fatal("there is more to redo")
			}
			if got := format(d); got != strings.ReplaceAll(final, "^", "") && got != final {
				t.Fatalf("redone, the state is %q, not %q", got, final)
			}
		})
	}
}

// TestEditForgetsRedo: an edit after an undo forgets what was undone.
func TestEditForgetsRedo(t *testing.T) {
	d := New("")
	typeText(d, "ab")
	d.Undo()
	if !d.CanRedo() {
		t.Fatal("nothing to redo after an undo")
	}
	typeText(d, "c")
	if d.CanRedo() || d.Redo().Changed() {
		t.Fatal("redo after an edit")
	}
	if format(d) != "c|" {
		t.Fatalf("the state is %q", format(d))
	}
}

// TestHistoryLimit makes more steps than the history keeps: the oldest go, the newest undo.
func TestHistoryLimit(t *testing.T) {
	d := New("")
	for i := range historySteps + 10 {
		d.MoveTo(d.End(), false)
		d.Type(rune('a' + i%26))
	}
	if n := len(d.hist.undo); n != historySteps {
		t.Fatalf("the history holds %d steps", n)
	}
	for d.CanUndo() {
		d.Undo()
	}
	if got := d.Text(); len(got) != 10 {
		t.Fatalf("undoing all that is kept leaves %d characters", len(got))
	}

	big := strings.Repeat("x", historyBytes/4)
	d = New("")
	for range 6 {
		d.SelectAll()
		d.Insert(big)
	}
	if d.hist.bytes > historyBytes {
		t.Fatalf("the history holds %d bytes", d.hist.bytes)
	}
	if !d.CanUndo() {
		t.Fatal("the last paste cannot be undone")
	}
}
