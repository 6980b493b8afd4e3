package app

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// flowWords are words to make paragraphs of: short and long, in the exam's scripts, and a
// word longer than a row.
var flowWords = strings.Fields("i u a je se na od rješenje zahtjeva informacijama ministarstvo " +
	"Министарство информацијама поднео që për informacion ministria kërkesën " +
	"WWWWWWWW MMMM iiiiiiii, (pristup). 2026. " +
	"https://www.example.org/a/very/long/address/that/does/not/fit/on/one/row/of/the/editor/at/all/x")

// randomParagraph is a paragraph of so many words, mostly one space apart, now and then two,
// or a tab.
func randomParagraph(rng *rand.Rand, words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			switch rng.IntN(30) {
			case 0:
				b.WriteString("  ")
			case 1:
				b.WriteString("\t")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString(flowWords[rng.IntN(len(flowWords))])
	}
	if rng.IntN(4) == 0 {
		b.WriteByte(' ')
	}
	return b.String()
}

// fyneRows are the row starts of Fyne's own wrap of text in a multi-line Entry of a width.
func fyneRows(text string, width float32) []int {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetText(text)
	e.Resize(fyne.NewSize(width, 400))
	return entryRowStarts(e)
}

// flowRows are the row starts of a flow.
func flowRows(f *flow) []int {
	starts := []int{0}
	for low := 0; ; {
		end, next := f.row(low, low)
		if end >= len(f.text) || next >= len(f.text) {
			return starts
		}
		starts = append(starts, next)
		low = next
	}
}

func testFlow(text string, width float32) *flow {
	th := theme.Current()
	size := th.Size(theme.SizeNameText)
	return newFlow([]rune(text), width-2*th.Size(theme.SizeNameInnerPadding),
		func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width })
}

// TestFlowIsFynesWrap lays random paragraphs out at several widths: the rows are Fyne's own,
// and an Entry holding the text with soft breaks wraps it to the same rows.
func TestFlowIsFynesWrap(t *testing.T) {
	test.NewTempApp(t)
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 60 {
		text := randomParagraph(rng, 1+rng.IntN(70))
		width := float32(120 + rng.IntN(700))
		want := fyneRows(text, width)
		f := testFlow(text, width)
		if got := flowRows(f); !slices.Equal(got, want) {
			t.Fatalf("%d: at width %v the flow's rows start at %v, Fyne's at %v, in %q", i, width, got, want, text)
		}
		laid := string(f.lay())
		if unbreak(laid) != text {
			t.Fatalf("%d: laying out changed the text: %q", i, laid)
		}
		if got := fyneRows(laid, width); !slices.Equal(got, want) {
			t.Fatalf("%d: with soft breaks Fyne's rows start at %v, without at %v, in %q", i, got, want, laid)
		}
	}
}

// TestEssayEditsKeepRows edits a long paragraph at random places, and undoes and redoes
// edits: after each, the
// paragraph's soft breaks are those of laying it out afresh, and now and then the rows are
// checked against Fyne's wrap of the paragraph without them.
func TestEssayEditsKeepRows(t *testing.T) {
	f := newEssayFixture(t)
	rng := rand.New(rand.NewPCG(3, 5))
	ed := f.editor()
	ed.SetText(randomParagraph(rng, 150) + "\nkraj")
	p := ed.paras[0]
	ed.moveToOffset(p, 0)
	keys := []rune("abc defghij klmnop  ")
	for i := range 400 {
		at := rng.IntN(p.length() + 1)
		if rng.IntN(3) == 0 { // at the end of a row, where a soft break follows
			ed.moveToOffset(p, at)
			f.press(fyne.KeyEnd)
			at = p.CursorTextOffset()
		}
		ed.moveToOffset(p, at)
		before := string([]rune(p.Text)[:at]) + "|" + string([]rune(p.Text)[at:])
		cursor := -1 // where the cursor goes, if the edit says
		switch rng.IntN(12) {
		case 0, 1:
			f.press(fyne.KeyBackspace)
			cursor = max(at-1, 0)
		case 2:
			f.press(fyne.KeyDelete)
			cursor = at
		case 3:
			text := string(keys[rng.IntN(8):])
			f.paste(text)
			cursor = at + len([]rune(text))
		case 4:
			f.shortcut(&fyne.ShortcutUndo{})
		case 5:
			f.shortcut(&fyne.ShortcutRedo{})
		default:
			n := 1 + rng.IntN(6)
			for range n {
				f.typeText(string(keys[rng.IntN(len(keys))]))
			}
			cursor = at + n
		}
		if p, _ := f.focused(); p != ed.paras[0] {
			continue // joined with nothing or crossed: the first paragraph is still the one edited
		}
		if got := p.CursorTextOffset(); cursor >= 0 && got != cursor && p.length() > 0 {
			t.Fatalf("%d: the cursor is after %d characters, not %d, in %q; before the edit %q", i, got, cursor, p.Text, before)
		}
		width := p.Size().Width
		if want := string(p.flow(p.text, width).lay()); p.Text != want {
			t.Fatalf("%d: after an edit the paragraph is laid out as\n%q\nnot as\n%q", i, p.Text, want)
		}
		if unbreak(p.Text) != p.text || strings.ContainsRune(p.text, '\n') {
			t.Fatalf("%d: the paragraph's text %q, the Entry's %q", i, p.text, p.Text)
		}
		if i%40 == 0 {
			if got, want := entryRowStarts(&p.Entry), fyneRows(p.text, width); !slices.Equal(got, want) {
				t.Fatalf("%d: the rows start at %v, Fyne's own at %v", i, got, want)
			}
		}
	}
	if v, _ := f.a.Item(0); v.Text != ed.Text() || v.Text != strings.Join(f.paragraphs(), "\n") {
		t.Fatalf("the engine holds %q", v.Text)
	}
}

// TestEssayCopyAcrossRows copies and cuts a paragraph that wraps, selected with Shift+Down
// through its rows: the clipboard has its text, with spaces where the rows end.
func TestEssayCopyAcrossRows(t *testing.T) {
	f := newEssayFixture(t)
	long := strings.TrimSpace(strings.Repeat("Podnosilac zahtjeva traži pristup informacijama. ", 12))
	f.editor().SetText(long + "\nkraj")
	f.editor().moveToOffset(f.editor().paras[0], 0)
	p, _ := f.focused()
	if !strings.ContainsRune(p.Text, softBreak) {
		t.Fatalf("the paragraph has no soft breaks: %q", p.Text)
	}
	for range p.lines() {
		f.shifted(fyne.KeyDown)
	}
	f.shifted(fyne.KeyLeft)
	f.wantState("^" + long + "|\nkraj")
	if n := len(p.r.marks); n != p.lines() {
		t.Errorf("the selection is drawn as %d rectangles over %d rows", n, p.lines())
	}
	clip := &clipboard{}
	f.shortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if clip.text != long {
		t.Fatalf("copied %q", clip.text)
	}
	clip.text = ""
	f.shortcut(&fyne.ShortcutCut{Clipboard: clip})
	if clip.text != long {
		t.Fatalf("cut %q", clip.text)
	}
	f.wantState("|\nkraj")
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("^" + long + "|\nkraj")
}
