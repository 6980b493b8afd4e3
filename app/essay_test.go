package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/app/i18n"
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
	if editor.AcceptsTab() {
		t.Error("Tab does not leave the editor")
	}
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

	// Leaving the editor makes the typing durable at once.
	test.Type(editor, "kraj")
	u.Win.Canvas().Unfocus()
	if v, _ := a.Item(0); !v.Saved || v.Text != editor.Text || !strings.Contains(v.Text, "kraj") {
		t.Fatalf("after leaving the editor the engine holds %q… (saved %v)", v.Text[:20], v.Saved)
	}
	wantShown(t, u, loc.T("candidate.save.saved", nil))

	typeKey(u, fyne.KeyRight)
	wantShown(t, u, "Task 2 of 2", "0 of 600 words")
	typeKey(u, fyne.KeyLeft)
	wantShown(t, u, "Task 1 of 2", "599 of 600 words")
}

// BenchmarkTypingInLongEssay types one character at a time at the end of a long answer, through
// the editor on the test driver: the Entry, the engine's SetText and the counts. "count" is
// the share of counting words and characters over the whole 5,000 words.
func BenchmarkTypingInLongEssay(b *testing.B) {
	useQueue(b)
	k, _, code := examKiosk(b)
	s, err := k.StartSession("demo-2026", "proctor", code)
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
	editor := u.cand.exam.essay.entry
	u.Win.Canvas().Focus(editor)
	keys := []rune("word ")
	changed := editor.OnChanged
	for _, c := range []struct {
		name             string
		words, paragraph int
		entryOnly        bool // the Entry alone, without the editor's work on each change
	}{
		{"600words", 600, 100, false},
		{"5000words/paragraphs", 5000, 100, false},
		{"5000words/paragraphs/entry-only", 5000, 100, true},
		{"5000words/short-lines", 5000, 12, false},
	} {
		text := essayText(c.words, c.paragraph)
		b.Run(c.name, func(b *testing.B) {
			editor.OnChanged = changed
			if c.entryOnly {
				editor.OnChanged = nil
			}
			editor.SetText(text)
			lines := strings.Split(text, "\n")
			editor.CursorRow, editor.CursorColumn = len(lines)-1, len([]rune(lines[len(lines)-1]))
			b.ResetTimer()
			for i := range b.N {
				editor.TypedRune(keys[i%len(keys)])
			}
		})
	}
	editor.OnChanged = changed
	text := essayText(5000, 100)
	b.Run("count", func(b *testing.B) {
		for range b.N {
			countText(text)
		}
	})
}

// essayText is an answer of so many words, with a line break after every paragraph words.
func essayText(words, paragraph int) string {
	all := strings.Fields(strings.Repeat("the candidate writes a reasoned decision on the request for access to information ", words/12+1))[:words]
	var text strings.Builder
	for i, w := range all {
		text.WriteString(w)
		if i%paragraph == paragraph-1 {
			text.WriteString(".\n")
		} else {
			text.WriteByte(' ')
		}
	}
	return text.String()
}
