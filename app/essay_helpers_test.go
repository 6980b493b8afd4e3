package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"ispit/app/textedit"
	"ispit/exam"
	"ispit/i18n"
)

// essayFixture is a candidate on the first task of the written part, in English, with the
// editor focused.
type essayFixture struct {
	t   *testing.T
	u   *UI
	a   *exam.Attempt
	q   *uiQueue
	loc *i18n.Localizer
}

func newEssayFixture(t *testing.T) *essayFixture {
	t.Helper()
	return newEssayFixtureIn(t, "en")
}

// newEssayFixtureIn is an essayFixture with the exam in a language.
func newEssayFixtureIn(t *testing.T, lang string) *essayFixture {
	t.Helper()
	q := useQueue(t)
	k, _, code := examKiosk(t)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, lang)
	u := candidateUI(t, k, s, loc, "professional-written")
	a := admitted(t, s, "DEMO-0001", "professional-written", lang)
	u.showAttempt(a)
	f := &essayFixture{t: t, u: u, a: a, q: q, loc: loc}
	u.Win.Canvas().Focus(f.editor())
	return f
}

func (f *essayFixture) editor() *essayText { return f.u.cand.exam.essay.entry }

// paragraphs are the texts of the editor's paragraphs.
func (f *essayFixture) paragraphs() []string {
	var out []string
	for _, p := range f.editor().paras {
		out = append(out, p.text)
	}
	return out
}

// focused is the paragraph with the focus and its index.
func (f *essayFixture) focused() (*essayEntry, int) {
	f.t.Helper()
	p, ok := f.u.Win.Canvas().Focused().(*essayEntry)
	if !ok {
		f.t.Fatalf("the focus is on %T, not on a paragraph", f.u.Win.Canvas().Focused())
	}
	return p, f.editor().index(p)
}

func (f *essayFixture) typeText(s string) { typeRunes(f.u, s) }

func (f *essayFixture) press(keys ...fyne.KeyName) {
	for _, k := range keys {
		typeKey(f.u, k)
	}
}

// shortcut sends a shortcut to the focused paragraph, as the driver does.
func (f *essayFixture) shortcut(s fyne.Shortcut) {
	f.u.Win.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(s)
}

// ctrl is Ctrl with a key, as the driver reports it when no standard shortcut matches.
func ctrl(key fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// shifted sends a key with Shift held.
func (f *essayFixture) shifted(key fyne.KeyName) {
	p, _ := f.focused()
	p.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	typeKey(f.u, key)
	if q, ok := f.u.Win.Canvas().Focused().(*essayEntry); ok {
		q.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	p.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
}

// want checks the paragraphs, the text the engine holds (their join), the counts shown, and
// where the cursor is: in paragraph para, after offset characters.
func (f *essayFixture) want(paras []string, para, offset int) {
	f.t.Helper()
	if got := f.paragraphs(); strings.Join(got, "\x00") != strings.Join(paras, "\x00") {
		f.t.Fatalf("paragraphs %q, want %q", got, paras)
	}
	text := strings.Join(paras, "\n")
	if got := f.editor().Text(); got != text {
		f.t.Fatalf("the editor's text is %q, want %q", got, text)
	}
	if v, err := f.a.Item(0); err != nil || v.Text != text {
		f.t.Fatalf("the engine holds %q (%v), want %q", v.Text, err, text)
	}
	words, chars := countText(text)
	if w, c := f.editor().counts(); w != words || c != chars {
		f.t.Fatalf("the editor counts %d words, %d characters; want %d, %d", w, c, words, chars)
	}
	wantShown(f.t, f.u, f.loc.N("candidate.written.characters", chars, nil))
	p, i := f.focused()
	if i != para || p.CursorTextOffset() != offset {
		f.t.Fatalf("the cursor is in paragraph %d after %d characters, want paragraph %d after %d",
			i, p.CursorTextOffset(), para, offset)
	}
	if c := f.editor().doc.Cursor(); c != (textedit.Pos{Para: para, Off: offset}) {
		f.t.Fatalf("the editor has the cursor at %+v, its paragraph shows it in paragraph %d after %d", c, para, offset)
	}
}

// wantState checks the text, the cursor and the selection, written as the text with "|" at
// the cursor and "^" where the selection started (left out when nothing is selected); the
// engine holds the text, and the paragraphs draw the selection.
func (f *essayFixture) wantState(state string) {
	f.t.Helper()
	ed := f.editor()
	if got := docState(ed.doc); got != state {
		f.t.Fatalf("the editor holds %q, want %q", got, state)
	}
	text := strings.NewReplacer("|", "", "^", "").Replace(state)
	cursor := ed.doc.Cursor()
	f.want(strings.Split(text, "\n"), cursor.Para, cursor.Off)
	from, to := ed.doc.Selection()
	for i, p := range ed.paras {
		// A paragraph in the selection draws it, as a rectangle for each row it takes part of
		// (or only the line break after it).
		in := from != to && i >= from.Para && i <= to.Para && !(i == to.Para && to.Off == 0)
		if drawn := len(p.r.marks) > 0; drawn != in {
			f.t.Fatalf("paragraph %d draws %d selection rectangles, with %q selected", i, len(p.r.marks), ed.doc.Selected())
		}
	}
}

// docState is the state of a Doc as wantState writes it.
func docState(d *textedit.Doc) string {
	var b strings.Builder
	for i := range d.Paragraphs() {
		if i > 0 {
			b.WriteByte('\n')
		}
		runes := []rune(d.Paragraph(i))
		for j := 0; j <= len(runes); j++ {
			at := textedit.Pos{Para: i, Off: j}
			if d.HasSelection() && at == d.Anchor() {
				b.WriteByte('^')
			}
			if at == d.Cursor() {
				b.WriteByte('|')
			}
			if j < len(runes) {
				b.WriteRune(runes[j])
			}
		}
	}
	return b.String()
}

// cursorX is how far from its paragraph's left the Entry draws the cursor.
func (f *essayFixture) cursorX() float32 {
	p, _ := f.focused()
	return p.CursorPosition().X
}

// wantNear checks that the cursor is in paragraph para, at the place of its row nearest to a
// distance x from the left, as the Entry draws places.
func (f *essayFixture) wantNear(para int, x float32) {
	f.t.Helper()
	p, i := f.focused()
	if i != para {
		f.t.Fatalf("the cursor is in paragraph %d, want %d", i, para)
	}
	got := p.CursorPosition().X
	row, col := p.CursorRow, p.CursorColumn
	defer func() { p.CursorRow, p.CursorColumn = row, col }()
	starts := entryRowStarts(&p.Entry)
	last := len([]rune(p.Text)) - starts[row] // the places of the row: before each character, and after the last
	if row+1 < len(starts) {
		last = starts[row+1] - 1 - starts[row]
	}
	for c := 0; c <= last; c++ {
		p.CursorColumn = c
		if d := p.CursorPosition().X - x; d*d < (got-x)*(got-x)-0.01 {
			f.t.Fatalf("the cursor is %v from the left, column %d at %v is nearer to %v", got, c, p.CursorPosition().X, x)
		}
	}
}

// wantRow checks the visual line the cursor is on in the focused paragraph.
func (f *essayFixture) wantRow(para, row int) {
	f.t.Helper()
	p, i := f.focused()
	if i != para || p.CursorRow != row {
		f.t.Fatalf("the cursor is in paragraph %d on line %d, want paragraph %d on line %d", i, p.CursorRow, para, row)
	}
}

// clipboard is a clipboard for pasting in tests.
type clipboard struct{ text string }

func (c *clipboard) Content() string        { return c.text }
func (c *clipboard) SetContent(text string) { c.text = text }

func (f *essayFixture) paste(text string) {
	f.shortcut(&fyne.ShortcutPaste{Clipboard: &clipboard{text}})
}

// essayOf is an answer of so many words, with a line break after every paragraph words.
func essayOf(words, paragraph int) string {
	all := strings.Fields(strings.Repeat("the candidate writes a reasoned decision on the request for access to information ", words/12+1))[:words]
	var text strings.Builder
	for i, w := range all {
		text.WriteString(w)
		if i == len(all)-1 {
			text.WriteByte('.')
		} else if i%paragraph == paragraph-1 {
			text.WriteString(".\n")
		} else {
			text.WriteByte(' ')
		}
	}
	return text.String()
}
