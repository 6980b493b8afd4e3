package app

import (
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/bank"
)

// optionLetters label the options. Their keys choose them, on a Latin keyboard and on the
// Serbian Cyrillic one (whose keys in those places type optionCyrillic), and so do 1–6.
const (
	optionLetters  = "ABCDEF"
	optionCyrillic = "абцдеф"
)

// optionIndex is the option a typed character chooses, or -1.
func optionIndex(r rune) int {
	if r >= '1' && r <= '6' {
		return int(r - '1')
	}
	r = unicode.ToLower(r)
	for _, keys := range []string{strings.ToLower(optionLetters), optionCyrillic} {
		if i := slices.Index([]rune(keys), r); i >= 0 {
			return i
		}
	}
	return -1
}

// choiceBody is a multiple-choice item: the stem, the options as large targets, flag and
// clear, and the navigator.
func (s *examScreen) choiceBody() fyne.CanvasObject {
	u := s.cv.u
	items := []fyne.CanvasObject{markdown(s.text(s.item.Item.Stem))}
	if img := s.image(); img != nil {
		items = append(items, img)
	}
	for i, o := range s.item.Options {
		opt := newOptionTarget(s, i, s.text(o.Text))
		s.options = append(s.options, opt)
		s.focusables["option"+string(optionLetters[i])] = opt.button
		items = append(items, opt.Container)
	}
	s.flag = newKeyButton("", flagIcon, s.toggleFlag, s)
	s.clear = newKeyButton(u.t("candidate.clear_answer", nil), theme.ContentClearIcon(), s.clearAnswer, s)
	s.focusables["flag"], s.focusables["clear"] = s.flag, s.clear
	s.flagged = container.NewHBox(widget.NewIcon(flagIcon), strong(u.t("candidate.flagged", nil)))
	s.flagRow = container.NewHBox(s.flag, s.clear, s.flagged)
	items = append(items, s.flagRow, widget.NewSeparator(), s.navigator())
	return container.NewVBox(items...)
}

// image is the item's picture, if it has one.
func (s *examScreen) image() fyne.CanvasObject {
	name := s.item.Item.Image
	if name == "" || s.cv.u.session == nil {
		return nil
	}
	data, ok := s.cv.u.session.Bank.Image(name)
	if !ok {
		return nil
	}
	return questionImage(data, s.cv.u.Win.Canvas().Scale())
}

func (s *examScreen) choose(i int) {
	if s.item.Item.Kind != bank.ItemChoice || i < 0 || i >= len(s.item.Options) {
		return
	}
	s.changed(s.a.Choose(s.item.Item.ID, s.item.Options[i].ID))
}

func (s *examScreen) toggleFlag() { s.changed(s.a.Flag(s.item.Item.ID, !s.item.Flagged)) }

func (s *examScreen) clearAnswer() { s.changed(s.a.Clear(s.item.Item.ID)) }

func (s *examScreen) typedRune(r rune) {
	if s.reviewing {
		return
	}
	if i := optionIndex(r); i >= 0 {
		s.choose(i)
	}
}

func (s *examScreen) typedKey(ev *fyne.KeyEvent) {
	if s.reviewing {
		return
	}
	switch ev.Name {
	case fyne.KeyLeft:
		s.goTo(s.index - 1)
	case fyne.KeyRight:
		s.goTo(s.index + 1)
	}
}

// optionTarget is one option of a multiple-choice item: a large target with its letter, its
// text, and — when chosen — a filled mark, a frame and the words "your answer".
type optionTarget struct {
	*target
	radio  *widget.Icon
	chosen *widget.Label
}

func newOptionTarget(s *examScreen, i int, text string) *optionTarget {
	o := &optionTarget{
		radio:  widget.NewIcon(theme.RadioButtonIcon()),
		chosen: strong(s.cv.u.t("candidate.option.chosen", nil)),
	}
	o.chosen.Hide()
	letter := strong(string(optionLetters[i]) + ".")
	content := container.NewBorder(nil, nil, container.NewHBox(o.radio, letter), nil, container.NewVBox(markdown(text), o.chosen))
	o.target = newTarget(content, func() { s.choose(i) }, s)
	return o
}

func (o *optionTarget) setChosen(on bool) {
	if on {
		o.radio.SetResource(theme.RadioButtonCheckedIcon())
		o.chosen.Show()
	} else {
		o.radio.SetResource(theme.RadioButtonIcon())
		o.chosen.Hide()
	}
	o.highlight(on)
}
