package app

import (
	"math/rand/v2"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"ispit/app/kiosk"
	"ispit/i18n"
)

func TestCountText(t *testing.T) {
	for _, c := range []struct {
		text         string
		words, chars int
	}{
		{"", 0, 0},
		{"   \n\t", 0, 5},
		{"jedan", 1, 5},
		{"Ово је  реченица.\nДруга", 4, 23},
		{" një dy tre ", 3, 12},
	} {
		if w, n := countText(c.text); w != c.words || n != c.chars {
			t.Errorf("countText(%q) = %d words, %d characters; want %d, %d", c.text, w, n, c.words, c.chars)
		}
	}
}

func TestWrittenTask(t *testing.T) {
	q := useQueue(t)
	k, _, code := examKiosk(t)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, "en")
	u := candidateUI(t, k, s, loc, "professional-written")
	a := admitted(t, s, "DEMO-0001", "professional-written", "en")
	u.showAttempt(a)
	wantShown(t, u, "Task 1 of 2", "Limit: 600 words", "Your answer to task 1", "0 of 600 words", "0 characters")

	editor := u.cand.exam.essay.entry
	u.Win.Canvas().Focus(editor)
	test.Type(editor, "Rješenje se donosi.")
	wantShown(t, u, "3 of 600 words", "19 characters", loc.T("candidate.save.saving", nil))
	if strings.Contains(screen(u), loc.T("candidate.save.saved", nil)) {
		t.Error("typing not yet durable is shown as saved")
	}
	q.until(t, "the typing to be saved", func() bool { return strings.Contains(screen(u), loc.T("candidate.save.saved", nil)) })
	if v, _ := a.Item(0); v.Text != "Rješenje se donosi." || !v.Saved {
		t.Fatalf("the engine holds %q (saved %v)", v.Text, v.Saved)
	}

	long := strings.Repeat("riječ ", 602)
	editor.SetText(long)
	wantShown(t, u, "602 of 600 words", "2 words over the limit")
	editor.SetText(strings.Repeat("riječ ", 599))
	if strings.Contains(screen(u), "over the limit") {
		t.Error("under the limit, the screen says over")
	}
	// Over the limit in paragraphs, and back under by joining two words into one.
	half := strings.TrimSpace(strings.Repeat("riječ ", 300))
	editor.SetText(half + "\n" + half + "\nkraj")
	wantShown(t, u, "601 of 600 words", "1 word over the limit")
	editor.Tapped(&fyne.PointEvent{})
	typeKey(u, fyne.KeyHome)
	typeKey(u, fyne.KeyBackspace)
	wantShown(t, u, "600 of 600 words")
	if strings.Contains(screen(u), "over the limit") {
		t.Error("under the limit, the screen says over")
	}

	// Tab leaves the editor for the flag, which makes the typing durable at once.
	u.Win.Canvas().Focus(editor)
	typeRunes(u, "kraj")
	typeKey(u, fyne.KeyTab)
	if f := u.Win.Canvas().Focused(); f != u.cand.exam.flag {
		t.Fatalf("Tab moved the focus to %T, not to the flag button", f)
	}
	if v, _ := a.Item(0); !v.Saved || v.Text != editor.Text() || !strings.HasSuffix(v.Text, "riječkrajkraj") {
		t.Fatalf("after leaving the editor the engine holds …%q (saved %v)", v.Text[len(v.Text)-20:], v.Saved)
	}
	wantShown(t, u, loc.T("candidate.save.saved", nil))

	u.Win.Canvas().Unfocus()
	typeKey(u, fyne.KeyRight)
	wantShown(t, u, "Task 2 of 2", "0 of 600 words")
	typeKey(u, fyne.KeyLeft)
	wantShown(t, u, "Task 1 of 2", "600 of 600 words")
}

// TestEssayParagraphs edits across paragraphs with the keyboard: after every edit the engine
// holds the paragraphs joined with line breaks, as one Entry would have held them.
func TestEssayParagraphs(t *testing.T) {
	f := newEssayFixture(t)
	f.typeText("Prvi pasus.")
	f.press(fyne.KeyReturn)
	f.want([]string{"Prvi pasus.", ""}, 1, 0)
	f.typeText("Drugi")
	f.want([]string{"Prvi pasus.", "Drugi"}, 1, 5)

	// Enter splits at the cursor; the cursor starts the new paragraph.
	f.press(fyne.KeyLeft, fyne.KeyLeft, fyne.KeyReturn)
	f.want([]string{"Prvi pasus.", "Dru", "gi"}, 2, 0)
	// Backspace at the start joins to the paragraph above, the cursor where they meet.
	f.press(fyne.KeyBackspace)
	f.want([]string{"Prvi pasus.", "Drugi"}, 1, 3)
	// Up goes to the place above nearest to the cursor; End, then Delete at the end joins the
	// paragraph below.
	x := f.cursorX()
	f.press(fyne.KeyUp)
	f.wantNear(0, x)
	f.press(fyne.KeyEnd, fyne.KeyDelete)
	f.want([]string{"Prvi pasus.Drugi"}, 0, 11)
	f.typeText("\n") // a line break typed as a character splits too
	f.want([]string{"Prvi pasus.", "Drugi"}, 1, 0)

	// Left at the start and Right at the end cross to the neighbour's end and start.
	f.press(fyne.KeyLeft)
	f.want([]string{"Prvi pasus.", "Drugi"}, 0, 11)
	f.press(fyne.KeyRight)
	f.want([]string{"Prvi pasus.", "Drugi"}, 1, 0)
	f.press(fyne.KeyRight, fyne.KeyRight, fyne.KeyDown)
	f.want([]string{"Prvi pasus.", "Drugi"}, 1, 5) // on the last line of the text, Down goes to its end
	f.press(fyne.KeyUp, fyne.KeyDown)              // Up and Down aim where the cursor was before Down went to the end
	f.want([]string{"Prvi pasus.", "Drugi"}, 1, 2)
	f.press(fyne.KeyEnd)

	// Ctrl+Home and Ctrl+End go to the start and the end of the whole text, as do Page Up
	// and Page Down (as in one Entry).
	f.press(fyne.KeyReturn, fyne.KeyReturn)
	f.typeText("Treći")
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 3, 5)
	f.shortcut(ctrl(fyne.KeyHome))
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 0, 0)
	f.press(fyne.KeyBackspace, fyne.KeyLeft, fyne.KeyUp) // nothing before the start
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 0, 0)
	f.shortcut(ctrl(fyne.KeyEnd))
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 3, 5)
	f.press(fyne.KeyDelete, fyne.KeyRight) // nothing after the end
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 3, 5)
	f.press(fyne.KeyPageUp)
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 0, 0)
	f.press(fyne.KeyPageDown)
	f.want([]string{"Prvi pasus.", "Drugi", "", "Treći"}, 3, 5)

	// Ctrl+Backspace at a paragraph's start deletes the line break, as Backspace does; the
	// empty paragraph goes.
	f.press(fyne.KeyHome)
	f.shortcut(ctrl(fyne.KeyBackspace))
	f.want([]string{"Prvi pasus.", "Drugi", "Treći"}, 2, 0)
	f.press(fyne.KeyLeft)
	f.shortcut(ctrl(fyne.KeyDelete))
	f.want([]string{"Prvi pasus.", "DrugiTreći"}, 1, 5)
	f.shortcut(ctrl(fyne.KeyLeft)) // within a paragraph, a word as before
	f.want([]string{"Prvi pasus.", "DrugiTreći"}, 1, 0)
	f.shortcut(ctrl(fyne.KeyLeft))
	f.want([]string{"Prvi pasus.", "DrugiTreći"}, 0, 11)
	f.shortcut(ctrl(fyne.KeyRight))
	f.want([]string{"Prvi pasus.", "DrugiTreći"}, 1, 0)

	// With Shift, the keys that move the cursor select, across paragraphs too; Enter replaces
	// the selection.
	f.wantState("Prvi pasus.\n|DrugiTreći")
	f.shifted(fyne.KeyLeft)
	f.wantState("Prvi pasus.|\n^DrugiTreći")
	f.shifted(fyne.KeyHome)
	f.wantState("|Prvi pasus.\n^DrugiTreći")
	f.shifted(fyne.KeyDown)
	f.wantState("Prvi pasus.\n|DrugiTreći")
	f.shifted(fyne.KeyEnd)
	f.wantState("Prvi pasus.\n^DrugiTreći|")
	f.press(fyne.KeyReturn)
	f.wantState("Prvi pasus.\n\n|")
}

// TestEssayLinesAcrossParagraphs moves up and down through wrapped lines: only on a
// paragraph's first or last line do Up and Down cross to the neighbour.
func TestEssayLinesAcrossParagraphs(t *testing.T) {
	f := newEssayFixture(t)
	long := strings.TrimSpace(strings.Repeat("Podnosilac zahtjeva traži pristup informacijama. ", 12))
	f.editor().SetText("kratko\n" + long + "\nkraj")
	lines := f.editor().paras[1].lines()
	if lines < 3 {
		t.Fatalf("the long paragraph wraps to %d lines at %v", lines, f.editor().Size())
	}
	f.shortcut(ctrl(fyne.KeyEnd))
	f.press(fyne.KeyLeft, fyne.KeyLeft) // "kr|aj"
	f.press(fyne.KeyUp)
	f.wantRow(1, lines-1)
	if p, _ := f.focused(); p.CursorColumn != 2 {
		t.Errorf("Up from column 2 went to column %d", p.CursorColumn)
	}
	for row := lines - 2; row >= 0; row-- {
		f.press(fyne.KeyUp)
		f.wantRow(1, row)
	}
	f.press(fyne.KeyUp)
	f.wantRow(0, 0)
	f.press(fyne.KeyDown)
	f.wantRow(1, 0)
	for row := 1; row < lines; row++ {
		f.press(fyne.KeyDown)
		f.wantRow(1, row)
	}
	f.press(fyne.KeyDown)
	f.wantRow(2, 0)

	// The paragraphs stack without gaps or overlaps of text, each as tall as its lines.
	ed := f.editor()
	for i, p := range ed.paras {
		if h := p.MinSize().Height; p.Size().Height != h || h < float32(p.lines())*p.lineHeight() {
			t.Errorf("paragraph %d is %v high for %d lines", i, p.Size().Height, p.lines())
		}
		if i > 0 {
			prev := ed.paras[i-1]
			if gap := p.Position().Y - (prev.Position().Y + prev.Size().Height); gap > 0 || gap < -2*p.Theme().Size(theme.SizeNameInnerPadding) {
				t.Errorf("paragraph %d starts %v after the one above ends", i, gap)
			}
		}
	}
}

// TestEssayPaste pastes text: line breaks (of any convention) become paragraphs.
func TestEssayPaste(t *testing.T) {
	f := newEssayFixture(t)
	f.typeText("AB")
	f.press(fyne.KeyLeft)
	f.paste("x\ny\r\nz")
	f.want([]string{"Ax", "y", "zB"}, 2, 1)
	f.paste("q")
	f.want([]string{"Ax", "y", "zqB"}, 2, 2)
	f.paste("\n")
	f.want([]string{"Ax", "y", "zq", "B"}, 3, 0)
	f.paste("kraj\n")
	f.want([]string{"Ax", "y", "zq", "kraj", "B"}, 4, 0)

	// A long text on one line comes laid out in rows, and Undo takes it out again.
	long := strings.ReplaceAll(essayOf(300, 1000), "\n", " ")
	f.press(fyne.KeyLeft)
	f.paste(long)
	f.want([]string{"Ax", "y", "zq", "kraj" + long, "B"}, 3, 4+len(long))
	p, _ := f.focused()
	if want := string(p.flow(p.text, p.Size().Width).lay()); p.Text != want || strings.Count(p.Text, "\n") < 10 {
		t.Fatalf("the pasted text is laid out as %q", p.Text)
	}
	f.shortcut(&fyne.ShortcutUndo{})
	f.want([]string{"Ax", "y", "zq", "kraj", "B"}, 3, 4)

	// Over a selection, the pasted text replaces it: the whole text, selected with Ctrl+A.
	f.shortcut(&fyne.ShortcutSelectAll{})
	f.wantState("^Ax\ny\nzq\nkraj\nB|")
	f.paste("1\n2")
	f.wantState("1\n2|")
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("^Ax\ny\nzq\nkraj\nB|")
	f.press(fyne.KeyReturn)
	f.wantState("\n|")
}

// TestEssayFocus covers the focus: Tab in and out, Shift+Tab, a tap below the text, and the
// focus leaving with the task.
func TestEssayFocus(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText("jedan\ndva\ntri")
	f.u.Win.Canvas().Focus(ed)
	f.want([]string{"jedan", "dva", "tri"}, 0, 0)
	if ed.frame.StrokeColor != theme.Color(theme.ColorNamePrimary) {
		t.Error("the editor's box does not show the focus")
	}
	f.press(fyne.KeyDown)
	f.typeText("x")
	f.press(fyne.KeyTab)
	if fc := f.u.Win.Canvas().Focused(); fc != f.u.cand.exam.flag {
		t.Fatalf("Tab moved the focus to %T, not to the flag button", fc)
	}
	if ed.frame.StrokeColor == theme.Color(theme.ColorNamePrimary) {
		t.Error("the editor's box shows the focus it lost")
	}
	// Shift+Tab from the flag comes back to the paragraph last edited, and Shift+Tab from
	// there goes to the control before the editor.
	f.u.Win.Canvas().FocusPrevious()
	f.want([]string{"jedan", "xdva", "tri"}, 1, 1)
	f.shifted(fyne.KeyTab)
	before := f.u.Win.Canvas().Focused()
	if _, ok := before.(*essayEntry); ok || before == nil || before == fyne.Focusable(ed) {
		t.Fatalf("Shift+Tab moved the focus to %T", before)
	}
	f.u.Win.Canvas().FocusNext()
	f.want([]string{"jedan", "xdva", "tri"}, 1, 1)

	// A tap on the box below the text puts the cursor at the end.
	test.Tap(ed)
	f.want([]string{"jedan", "xdva", "tri"}, 2, 3)

	// Going to the next task takes the focus off the editor: typing then is not the task's.
	tap(t, f.u, f.loc.T("common.next", nil))
	if fc := f.u.Win.Canvas().Focused(); fc != nil {
		t.Fatalf("on the next task the focus stays on %T", fc)
	}
	typeRunes(f.u, "zz")
	if v, _ := f.a.Item(0); v.Text != "jedan\nxdva\ntri" {
		t.Fatalf("the first task holds %q", v.Text)
	}
}

// TestEssayScrollsToTheCursor moves the cursor far down and back in a long answer: the
// editor scrolls the line with the cursor into view.
func TestEssayScrollsToTheCursor(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText(essayOf(1200, 60))
	visible := func() bool {
		p, _ := f.focused()
		y := p.Position().Y + p.CursorPosition().Y - ed.scroll.Offset.Y
		return y >= 0 && y+p.lineHeight() <= ed.scroll.Size().Height
	}
	f.shortcut(ctrl(fyne.KeyEnd))
	if ed.scroll.Offset.Y <= 0 || !visible() {
		t.Fatalf("at the end of the text the editor is scrolled to %v", ed.scroll.Offset)
	}
	f.press(fyne.KeyReturn)
	f.typeText("Novi pasus na kraju.")
	if !visible() {
		t.Fatalf("the new paragraph at the end is not in view (scrolled to %v)", ed.scroll.Offset)
	}
	f.shortcut(ctrl(fyne.KeyHome))
	if ed.scroll.Offset.Y != 0 {
		t.Fatalf("at the start of the text the editor is scrolled to %v", ed.scroll.Offset)
	}
	for range 8 {
		f.press(fyne.KeyDown, fyne.KeyDown, fyne.KeyDown)
		if !visible() {
			t.Fatalf("moving down, the cursor leaves the view (scrolled to %v)", ed.scroll.Offset)
		}
	}
}

// TestEssayWheelScrolls turns the mouse wheel over the text: the editor scrolls (a
// paragraph has no scroll of its own to take the wheel).
func TestEssayWheelScrolls(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText(essayOf(1200, 60))
	over := fyne.CurrentApp().Driver().AbsolutePositionForObject(ed.paras[0]).AddXY(50, 30)
	test.Scroll(f.u.Win.Canvas(), over, 0, -200)
	if ed.scroll.Offset.Y != 200 {
		t.Fatalf("the wheel over the text scrolled the editor to %v", ed.scroll.Offset)
	}
}

// TestEssayLooksLikeOneBox checks that the paragraphs draw no box, border or scroll of their
// own: the Entry's renderer has the box and the border as its first two objects, and a
// scroll, which the paragraph draws as the text it holds.
func TestEssayLooksLikeOneBox(t *testing.T) {
	f := newEssayFixture(t)
	f.editor().SetText("jedan\ndva")
	for _, p := range f.editor().paras {
		r := test.WidgetRenderer(p).(*paragraphRenderer)
		if all := r.WidgetRenderer.Objects(); len(r.Objects()) != len(all)-2 || r.text == nil {
			t.Fatalf("the paragraph draws %d of the Entry's %d objects (text %v)", len(r.Objects()), len(all), r.text)
		}
		for _, o := range r.Objects() {
			switch o.(type) {
			case *canvas.Rectangle, fyne.Scrollable:
				t.Errorf("the paragraph draws a %T", o)
			}
		}
		if r.text.Position() != r.scroll.Position() || r.text.Size() != r.scroll.Size() {
			t.Errorf("the text is at %v %v, the Entry's scroll at %v %v", r.text.Position(), r.text.Size(), r.scroll.Position(), r.scroll.Size())
		}
	}
}

// TestEssayResumeRestoresParagraphs stops the kiosk as a power cut would and starts it
// again: the answer comes back as its paragraphs, the counts with it.
func TestEssayResumeRestoresParagraphs(t *testing.T) {
	useQueue(t)
	k, cfg, code := examKiosk(t)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, "en")
	u := candidateUI(t, k, s, loc, "professional-written")
	a := admitted(t, s, "DEMO-0001", "professional-written", "en")
	u.showAttempt(a)
	u.Win.Canvas().Focus(u.cand.exam.essay.entry)
	typeRunes(u, "Prvi.\nDrugi pasus.\n\nČetvrti")
	if err := a.FlushText(); err != nil {
		t.Fatal(err)
	}
	want := []string{"Prvi.", "Drugi pasus.", "", "Četvrti"}

	// Moving away and back builds the editor again from the engine's text.
	typeKey(u, fyne.KeyTab)
	u.cand.exam.goTo(1)
	u.cand.exam.goTo(0)
	f := &essayFixture{t: t, u: u, a: a, loc: loc}
	if got := f.paragraphs(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("back on the task the paragraphs are %q", got)
	}

	id := a.ID()
	u2, a2 := restartAndResume(t, k, cfg, loc, "professional-written", id)
	f2 := &essayFixture{t: t, u: u2, a: a2, loc: loc}
	if got := f2.paragraphs(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("after the restart the paragraphs are %q", got)
	}
	wantShown(t, u2, "4 of 600 words", "27 characters")
	u2.Win.Canvas().Focus(f2.editor())
	f2.shortcut(ctrl(fyne.KeyEnd))
	f2.press(fyne.KeyHome, fyne.KeyBackspace)
	f2.want([]string{"Prvi.", "Drugi pasus.", "Četvrti"}, 2, 0)
}

// BenchmarkTypingInLongEssay types one character at a time into a long answer through the
// editor on the test driver: the paragraph's Entry, laying its rows out, the engine's SetText
// and the counts. The characters are random letters and spaces, for Fyne measures each text
// once and remembers it: typed text that came before would cost less. Every 100 characters,
// the answer is put back as it was, untimed. "count" is the editor's work on the whole text at
// each keystroke (the text for the engine, the counts) for 5,000 words; "count/whole-text" is
// counting them afresh.
func BenchmarkTypingInLongEssay(b *testing.B) {
	ed, focused := essayBench(b)
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []rune("abcdefghijklmnopqrstuvwxyz     ")
	for _, c := range []struct {
		name             string
		words, paragraph int
		middle           bool // in the middle of the middle paragraph, not at the end
	}{
		{"600words", 600, 100, false},
		{"5000words/paragraphs", 5000, 100, false},
		{"5000words/paragraphs/middle", 5000, 100, true},
		{"5000words/long-paragraphs/middle", 5000, 400, true},
		{"5000words/short-lines", 5000, 12, false},
		{"5000words/one-paragraph/middle", 5000, 5000, true},
	} {
		text := essayOf(c.words, c.paragraph)
		b.Run(c.name, func(b *testing.B) {
			for i := range b.N {
				if i%100 == 0 {
					b.StopTimer()
					essayBenchStart(b, ed, text, c.middle)
					b.StartTimer()
				}
				focused().TypedRune(keys[rng.IntN(len(keys))])
			}
		})
	}
	ed.SetText(essayOf(5000, 100))
	b.Run("count", func(b *testing.B) {
		for range b.N {
			_ = ed.Text()
			ed.counts()
		}
	})
	text := ed.Text()
	b.Run("count/whole-text", func(b *testing.B) {
		for range b.N {
			countText(text)
		}
	})
}

// BenchmarkLongestKeystroke types into a 5,000-word answer in paragraphs of 400 words, in
// the middle of one, and reports the longest single keystroke: "max-ms/key" of all, and
// apart, of typing a character ("type"), of Enter and of Backspace at a paragraph's start,
// which split a paragraph and join it again ("split-join"), of Down and Up across into the
// next paragraph and back ("cross", each), of Ctrl+Z and Ctrl+Y undoing and redoing the join
// ("undo-redo"), of Shift+Down and Shift+Up selecting into the next paragraph and back
// ("select"), and of Ctrl+A ("select-all"). Every 200 keystrokes the answer is put back as it
// was, untimed. The garbage collector runs at the kiosk's setting (kiosk.GCPercent) unless GOGC
// is set: the longest keystroke is the one a collection slows.
func BenchmarkLongestKeystroke(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(kiosk.GCPercent))
	}
	ed, focused := essayBench(b)
	text := essayOf(5000, 400)
	rng := rand.New(rand.NewPCG(3, 4))
	keys := []rune("abcdefghijklmnopqrstuvwxyz     ")
	var typing, splitJoin, cross, undoRedo, selecting, selectAll time.Duration
	key := func(name fyne.KeyName) { focused().TypedKey(&fyne.KeyEvent{Name: name}) }
	shortcut := func(s fyne.Shortcut) { focused().TypedShortcut(s) }
	shifted := func(name fyne.KeyName) {
		focused().KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		key(name)
		focused().KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	// untimed runs f with the timer stopped.
	untimed := func(f func()) {
		b.StopTimer()
		f()
		b.StartTimer()
	}
	b.ResetTimer()
	for i := range b.N {
		if i%200 == 0 {
			untimed(func() { essayBenchStart(b, ed, text, true) })
		}
		start := time.Now()
		switch i % 80 {
		case 20:
			key(fyne.KeyReturn)
			splitJoin = max(splitJoin, time.Since(start))
		case 21:
			key(fyne.KeyBackspace)
			splitJoin = max(splitJoin, time.Since(start))
		case 22:
			shortcut(&fyne.ShortcutUndo{})
			undoRedo = max(undoRedo, time.Since(start))
		case 23:
			shortcut(&fyne.ShortcutRedo{})
			undoRedo = max(undoRedo, time.Since(start))
		case 40, 41:
			var p *essayEntry
			var at int
			untimed(func() {
				p = focused()
				at = p.CursorTextOffset()
				ed.moveToOffset(p, p.length()) // on the paragraph's last line
			})
			start = time.Now()
			if i%80 == 40 {
				key(fyne.KeyDown)
				key(fyne.KeyUp)
				cross = max(cross, time.Since(start)/2)
			} else {
				shifted(fyne.KeyDown)
				shifted(fyne.KeyUp)
				selecting = max(selecting, time.Since(start)/2)
			}
			untimed(func() { ed.moveToOffset(p, at) })
		case 60:
			var p *essayEntry
			var at int
			untimed(func() {
				p = focused()
				at = p.CursorTextOffset()
			})
			start = time.Now()
			shortcut(&fyne.ShortcutSelectAll{})
			selectAll = max(selectAll, time.Since(start))
			untimed(func() { ed.moveToOffset(p, at) })
		default:
			focused().TypedRune(keys[rng.IntN(len(keys))])
			typing = max(typing, time.Since(start))
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(max(typing, splitJoin, cross, undoRedo, selecting, selectAll)), "max-ms/key")
	b.ReportMetric(ms(typing), "max-ms/type")
	b.ReportMetric(ms(splitJoin), "max-ms/split-join")
	b.ReportMetric(ms(cross), "max-ms/cross")
	b.ReportMetric(ms(undoRedo), "max-ms/undo-redo")
	b.ReportMetric(ms(selecting), "max-ms/select")
	b.ReportMetric(ms(selectAll), "max-ms/select-all")
}

// essayBench is the written task's editor, focused, on a test window of 1024×768, and a
// function that finds the paragraph with the focus.
func essayBench(b *testing.B) (*essayText, func() *essayEntry) {
	useQueue(b)
	k, _, code := examKiosk(b)
	s, err := k.StartSession("demo-2026", "public", "proctor", code)
	if err != nil {
		b.Fatal(err)
	}
	loc, err := i18n.New("en")
	if err != nil {
		b.Fatal(err)
	}
	u := candidateUI(b, k, s, loc, "professional-written")
	a, err := s.Admit("DEMO-0001", "professional-written")
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Begin("en"); err != nil {
		b.Fatal(err)
	}
	u.showAttempt(a)
	ed := u.cand.exam.essay.entry
	return ed, func() *essayEntry { return u.Win.Canvas().Focused().(*essayEntry) }
}

// essayBenchStart puts text in the editor and the cursor at its end, or in the middle of the
// middle paragraph.
func essayBenchStart(b *testing.B, ed *essayText, text string, middle bool) {
	ed.SetText(text)
	if !middle {
		ed.Tapped(nil)
		return
	}
	p := ed.paras[len(ed.paras)/2]
	ed.moveToOffset(p, p.length()/2)
	if ed.canvas().Focused() != p {
		b.Fatal("the middle paragraph does not have the focus")
	}
}
