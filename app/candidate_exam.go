package app

import (
	"fmt"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/bank"
	"ispit/exam"
)

// examScreen is the frame of the item screens — the status bar, a banner, the item, and the
// buttons that move between items — and the item shown in it.
type examScreen struct {
	cv        *candidateView
	a         *exam.Attempt
	lang      string
	total     int
	allowance time.Duration

	root               fyne.CanvasObject
	frame              *fyne.Container
	bar                *statusBar
	banner             *banner
	body               *fyne.Container
	buttons            *fyne.Container // the buttons at the bottom: navButtons, or the review's
	navButtons         fyne.CanvasObject
	prev, next, review *keyButton
	language, proctor  *keyButton
	reviewing          bool

	index int
	item  exam.ItemView
	// focusables are the item's controls by a name that survives a change of item, so that
	// the focus can stay on the navigator or the flag button while moving.
	focusables map[string]fyne.Focusable
	options    []*optionTarget
	flag       *keyButton
	clear      *keyButton
	flagged    *fyne.Container
	flagRow    *fyne.Container
	essay      *essayEditor
	nav        *navigator
}

// showExam shows the item screens on item index.
func (cv *candidateView) showExam(index int) {
	s := newExamScreen(cv)
	cv.exam, cv.finished, cv.paused = s, nil, false
	cv.setContent(s.root, nil, s.typedRune, s.typedKey)
	s.goTo(index)
}

func newExamScreen(cv *candidateView) *examScreen {
	u := cv.u
	s := &examScreen{cv: cv, a: cv.a, lang: cv.a.Language(), total: cv.a.Len(), allowance: cv.a.Allowance()}
	langName := s.lang
	for _, l := range cv.examLanguages() {
		if l.Tag == s.lang {
			langName = l.Name
		}
	}
	s.language = newKeyButton(langName, nil, s.chooseLanguage, s)
	s.language.Importance = widget.LowImportance
	var barBox fyne.CanvasObject
	s.bar, barBox = newStatusBar(u, s.language)
	s.banner = newBanner(u)
	left := cv.a.TimeLeft()
	s.bar.setTime(left)
	s.banner.tick(left)

	s.prev = newKeyButton(u.t("common.previous", nil), theme.NavigateBackIcon(), func() { s.goTo(s.index - 1) }, s)
	s.next = newKeyButton(u.t("common.next", nil), theme.NavigateNextIcon(), func() { s.goTo(s.index + 1) }, s)
	s.next.IconPlacement = widget.ButtonIconTrailingText
	s.review = newKeyButton(u.t("candidate.review.open", nil), nil, cv.showReview, s)
	s.review.Importance = widget.HighImportance
	s.proctor = cv.proctorButton(s)

	s.body = container.NewStack()
	top := container.NewVBox(barBox, s.banner.box, widget.NewSeparator())
	s.navButtons = container.NewGridWithColumns(3, s.prev, s.review, s.next)
	s.buttons = container.NewStack(s.navButtons)
	bottom := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, s.proctor, s.buttons))
	s.frame = container.NewBorder(top, bottom, nil, nil, s.body)
	s.banner.layout = func() { relayout(s.frame) }
	s.root = readable(s.frame)
	return s
}

// text is a bank text in the candidate's language.
func (s *examScreen) text(t bank.Text) string {
	if text, ok := t[s.lang]; ok {
		return text
	}
	return s.cv.u.title(t)
}

// goTo moves to item i: the engine records the visit (and saves pending typing) first.
func (s *examScreen) goTo(i int) {
	if i < 0 || i >= s.total {
		return
	}
	if err := s.a.Visit(i); err != nil {
		s.cv.failed(err)
		return
	}
	v, err := s.a.Item(i)
	if err != nil {
		s.cv.failed(err)
		return
	}
	keep := s.focusedControl()
	if s.reviewing {
		// The review's buttons go: their focus moves to the button that opens the review.
		if f := s.cv.u.Win.Canvas().Focused(); f != nil && !s.frameControl(f) {
			keep = "review"
		}
		s.reviewing = false
		s.buttons.Objects = []fyne.CanvasObject{s.navButtons}
		s.buttons.Refresh()
	}
	s.index, s.item = i, v
	s.focusables = map[string]fyne.Focusable{}
	s.options, s.essay, s.flag, s.clear, s.flagged, s.flagRow = nil, nil, nil, nil, nil, nil
	var content fyne.CanvasObject
	if v.Item.Kind == bank.ItemWritten {
		s.bar.setProgress(s.cv.u.t("candidate.task_of", map[string]any{"N": i + 1, "Total": s.total}))
		content = s.writtenBody()
	} else {
		s.bar.setProgress(s.cv.u.t("candidate.question_of", map[string]any{"N": i + 1, "Total": s.total}))
		content = container.NewVScroll(s.choiceBody())
	}
	s.body.Objects = []fyne.CanvasObject{content}
	s.body.Refresh()
	enable(s.prev, i > 0)
	enable(s.next, i < s.total-1)
	s.showState()
	s.refocus(keep)
}

func enable(b *keyButton, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// frameControl reports whether f is one of the buttons that stay while items change.
func (s *examScreen) frameControl(f fyne.Focusable) bool {
	for _, b := range []*keyButton{s.prev, s.next, s.review, s.language, s.proctor} {
		if f == b {
			return true
		}
	}
	return false
}

// focusedControl names the item control that has the focus, or "".
func (s *examScreen) focusedControl() string {
	f := s.cv.u.Win.Canvas().Focused()
	for name, o := range s.focusables {
		if o == f {
			return name
		}
	}
	return ""
}

// refocus gives the focus back to the control of that name on the new item (a navigator cell,
// the flag button) or to "review". A control that went away loses the focus.
func (s *examScreen) refocus(name string) {
	c := s.cv.u.Win.Canvas()
	switch name {
	case "":
		return
	case "review":
		c.Focus(s.review)
		return
	}
	if o, ok := s.focusables[name]; ok && !strings.HasPrefix(name, "option") && name != "editor" {
		c.Focus(o)
		return
	}
	c.Unfocus()
}

// navigator makes the item's navigator.
func (s *examScreen) navigator() fyne.CanvasObject {
	s.nav = newNavigator(s)
	for i, c := range s.nav.cells {
		s.focusables[fmt.Sprintf("nav%d", i)] = c.button
	}
	return s.nav.box
}

// showState shows the item as the engine has it: the chosen option, the flag, whether it is
// saved, and the navigator.
func (s *examScreen) showState() {
	u := s.cv.u
	v := s.item
	for i, o := range s.options {
		o.setChosen(v.Options[i].ID == v.Chosen)
	}
	if s.flag != nil {
		if v.Flagged {
			s.flag.SetText(u.t("candidate.unflag", nil))
			s.flagged.Show()
		} else {
			s.flag.SetText(u.t("candidate.flag", nil))
			s.flagged.Hide()
		}
	}
	if s.clear != nil {
		enable(s.clear, v.Chosen != "")
	}
	if s.nav != nil {
		s.nav.update(s.a.Navigator(), s.index)
	}
	if s.essay == nil {
		s.body.Refresh() // a chosen option is taller: it says so
	} else if s.flagRow != nil {
		relayout(s.flagRow)
	}
	switch {
	case s.bar.state == saveFailed:
	case !v.Saved:
		s.bar.setSave(saveSaving)
	case v.Chosen != "" || v.Flagged || strings.TrimSpace(v.Text) != "":
		s.bar.setSave(saveSaved)
	default:
		s.bar.setSave(saveNothing)
	}
}

// changed shows the outcome of a change the engine was asked for.
func (s *examScreen) changed(err error) {
	if err != nil {
		s.cv.failed(err)
		return
	}
	s.banner.clearError()
	if s.bar.state == saveFailed {
		s.bar.setSave(saveNothing)
	}
	if v, err := s.a.Item(s.index); err == nil {
		s.item = v
	}
	s.showState()
}

// TypedRune makes the screen the keyHandler of its buttons.
func (s *examScreen) TypedRune(r rune) { s.cv.TypedRune(r) }

// TypedKey makes the screen the keyHandler of its buttons.
func (s *examScreen) TypedKey(ev *fyne.KeyEvent) { s.cv.TypedKey(ev) }

// notified follows the clock and the saving of typing.
func (s *examScreen) notified(n exam.Notification) {
	switch n.Kind {
	case exam.NotifyTick:
		s.bar.setTime(n.TimeLeft)
		s.banner.tick(n.TimeLeft)
		if s.essay != nil {
			s.essay.tick()
		}
	case exam.NotifyWarning:
		s.bar.setTime(n.TimeLeft)
		s.banner.tick(n.TimeLeft)
		s.banner.warn(n.Minutes)
	case exam.NotifySaved:
		if s.essay != nil && n.Item == s.item.Item.ID {
			s.essay.saved()
		}
	}
}

// extended follows a change of the time allowance while running.
func (s *examScreen) extended() {
	allowance := s.a.Allowance()
	if added := allowance - s.allowance; added > 0 {
		s.banner.show(s.cv.u.Loc.N("candidate.extended", int(math.Round(added.Minutes())), nil), 30)
	}
	s.allowance = allowance
	s.bar.setTime(s.a.TimeLeft())
}

// chooseLanguage lets the candidate switch the language of the exam.
func (s *examScreen) chooseLanguage() {
	u := s.cv.u
	var d *kioskDialog
	buttons := s.cv.languageButtons(s.lang, func(tag string) {
		d.Hide()
		if tag == s.lang {
			return
		}
		if err := s.a.SetLanguage(tag); err != nil {
			s.cv.failed(err)
			return
		}
		s.cv.setLanguage(tag)
		s.cv.showExam(s.index)
	})
	grid := container.NewGridWithColumns(2)
	for _, b := range buttons {
		grid.Add(b)
	}
	cancel := newKeyButton(u.t("common.cancel", nil), nil, func() { d.Hide() }, nil)
	d = newDialog(u.Win, u.t("candidate.language.title", nil),
		container.NewVBox(wrapped(u.t("candidate.language.prompt", nil)), grid), cancel)
	// The exam's language is first: Enter keeps it.
	var first fyne.Focusable
	if len(buttons) > 0 {
		first = buttons[0]
	}
	s.cv.showDialog(d, first)
}
