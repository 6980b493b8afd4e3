package app

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// essayEditor is a written task's editor with its word and character counts. Every change
// goes to the engine at once (SetText does not wait for the disk); the engine makes it
// durable within about a second, and the save indicator says "Saving…" until it confirms.
type essayEditor struct {
	s      *examScreen
	item   string
	limit  int
	entry  *essayText
	words  *widget.Label
	chars  *widget.Label
	over   *fyne.Container
	excess *widget.Label
	counts *fyne.Container
	// pending counts the clock ticks since the typing shown became not yet durable.
	pending int
	waiting bool
}

// stuckTicks is how many clock ticks (a quarter second each) typing may wait for the engine's
// own flush before the editor asks for one, which reports a disk failure if there is one.
const stuckTicks = 8

// writtenBody is a written task: above, the prompt, the word limit and the navigator, which
// scroll; below, the editor filling the rest of the screen with its counts and the flag. The
// candidate can move the divider between them.
func (s *examScreen) writtenBody() fyne.CanvasObject {
	u := s.cv.u
	it := s.item.Item
	e := &essayEditor{s: s, item: it.ID, limit: it.WordLimit, entry: newEssayText(func(id string) string { return u.t(id, nil) }),
		words: strong(""), chars: widget.NewLabel(""), excess: strong("")}
	e.excess.Importance = widget.DangerImportance
	e.over = container.NewHBox(widget.NewIcon(theme.NewErrorThemedResource(theme.WarningIcon())), e.excess)
	e.counts = container.NewHBox(e.words, e.over, e.chars)
	e.entry.SetText(s.item.Text)
	e.entry.OnChanged = e.changed
	e.entry.onFocusLost = e.flush
	// The screen finds the focused control among its focusables to take the focus off the
	// editor when the item changes: the focus is on one of the paragraphs.
	e.entry.onFocus = func(p fyne.Focusable) {
		if s.essay == e {
			s.focusables["editor"] = p
		}
	}
	e.count()
	s.essay = e
	s.focusables["editor"] = e.entry

	task := []fyne.CanvasObject{markdown(s.text(it.Prompt))}
	if e.limit > 0 {
		task = append(task, wrapped(u.Loc.N("candidate.written.word_limit", e.limit, nil)))
	}
	task = append(task, widget.NewSeparator(), s.navigator())
	s.flag = newKeyButton("", flagIcon, s.toggleFlag, s)
	s.focusables["flag"] = s.flag
	s.flagged = container.NewHBox(widget.NewIcon(flagIcon), strong(u.t("candidate.flagged", nil)))
	s.flagRow = container.NewHBox(s.flag, s.flagged)
	editor := container.NewBorder(
		strong(u.t("candidate.written.editor", map[string]any{"N": s.index + 1})),
		container.NewVBox(e.counts, s.flagRow), nil, nil, e.entry)
	split := container.NewVSplit(container.NewVScroll(container.NewVBox(task...)), editor)
	split.Offset = 0.4
	return split
}

// changed hands the text to the engine and counts it. An editor the screen no longer shows
// has no say in its task.
func (e *essayEditor) changed() {
	if e.s.essay != e {
		return
	}
	if err := e.s.a.SetText(e.item, e.entry.Text()); err != nil {
		e.s.cv.failed(err)
		return
	}
	if !e.waiting {
		e.waiting, e.pending = true, 0
		e.s.bar.setSave(saveSaving)
	}
	e.count()
}

// count shows the number of words and characters, and by how much the limit is passed.
func (e *essayEditor) count() {
	u := e.s.cv.u
	words, chars := e.entry.counts()
	if e.limit > 0 {
		e.words.SetText(u.t("candidate.written.words_of_limit", map[string]any{"Words": words, "Limit": e.limit}))
	} else {
		e.words.SetText(u.Loc.N("candidate.written.words", words, nil))
	}
	e.chars.SetText(u.Loc.N("candidate.written.characters", chars, nil))
	if e.limit > 0 && words > e.limit {
		e.excess.SetText(u.Loc.N("candidate.written.over_limit", words-e.limit, nil))
		e.over.Show()
	} else {
		e.over.Hide()
	}
	relayout(e.counts)
}

// countText counts the words (runs of characters between white space) and the characters.
func countText(text string) (words, chars int) {
	inWord := false
	for _, r := range text {
		chars++
		space := unicode.IsSpace(r)
		if !space && !inWord {
			words++
		}
		inWord = !space
	}
	return words, chars
}

// saved follows the engine's word that typing of the task is durable: all of it, or only
// what was typed before the last keystrokes.
func (e *essayEditor) saved() {
	e.pending = 0
	if e.s.essay != e {
		return
	}
	v, err := e.s.a.Item(e.s.index)
	if err != nil || !v.Saved {
		return
	}
	e.waiting = false
	e.s.banner.clearError()
	e.s.bar.setSave(saveSaved)
}

// flush makes the typing durable now.
func (e *essayEditor) flush() {
	if !e.waiting {
		return
	}
	if err := e.s.a.FlushText(); err != nil {
		if e.s.essay == e {
			e.s.cv.failed(err)
		}
		return
	}
	e.saved()
}

// tick asks for the typing to be saved when the engine's own flush is overdue.
func (e *essayEditor) tick() {
	if !e.waiting {
		return
	}
	e.pending++
	if e.pending >= stuckTicks {
		e.pending = 0
		e.flush()
	}
}
