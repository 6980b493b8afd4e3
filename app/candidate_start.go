package app

import (
	"errors"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/bank"
	"ispit/exam"
	"ispit/i18n"
)

// examLanguages are the languages of the session's bank that the interface has, in the
// kiosk's order, each named in itself.
func (cv *candidateView) examLanguages() []i18n.Language {
	var langs []string
	if cv.u.session != nil {
		langs = cv.u.session.Bank.Manifest.Languages
	} else {
		langs = []string{cv.a.Language()}
	}
	var out []i18n.Language
	for _, l := range i18n.Languages() {
		if slices.Contains(langs, l.Tag) {
			out = append(out, l)
		}
	}
	return out
}

// languageButtons are one button per exam language; the preferred one comes first.
func (cv *candidateView) languageButtons(preferred string, pick func(tag string)) []*keyButton {
	var out []*keyButton
	for _, l := range cv.examLanguages() {
		b := newKeyButton(l.Name, nil, func() { pick(l.Tag) }, nil)
		if l.Tag == preferred {
			b.Importance = widget.HighImportance
			out = append([]*keyButton{b}, out...)
		} else {
			out = append(out, b)
		}
	}
	return out
}

// showLanguage asks for the language of the exam, the candidate's language first.
func (cv *candidateView) showLanguage() {
	u := cv.u
	c := cv.a.Candidate()
	// The language the candidate chose on the sign-in screen, else the roster's.
	preferred := cv.lang
	if preferred == "" {
		preferred = c.Language
	}
	if preferred != "" {
		u.Loc.SetLang(preferred)
	}
	buttons := cv.languageButtons(preferred, func(tag string) {
		cv.setLanguage(tag)
		cv.showRules(tag, "")
	})
	grid := container.NewGridWithColumns(2)
	for _, b := range buttons {
		grid.Add(b)
	}
	var first fyne.Focusable
	if len(buttons) > 0 {
		first = buttons[0]
	}
	cv.page(container.NewVBox(
		heading(u.t("candidate.language.title", nil)),
		strong(u.t("candidate.signin.hello", map[string]any{"Name": c.Name})),
		wrapped(u.t("candidate.language.prompt", nil)),
		grid,
	), first)
}

// showRules shows the rules of the part in the chosen language; starting begins the attempt.
// The text size and contrast come first, as the candidate may need them to read the rules,
// and the buttons stay at the foot of the screen, in view however long the rules are.
func (cv *candidateView) showRules(lang, problem string) {
	u := cv.u
	part := cv.a.Part()
	items := []fyne.CanvasObject{heading(u.t("candidate.rules.title", nil))}
	// The candidate sets the text size and contrast here, before the clock starts.
	items = append(items, u.displaySettings()...)
	items = append(items, widget.NewSeparator(), strong(u.title(part.Title)))
	for _, rule := range cv.rules(part) {
		items = append(items, wrapped("• "+rule))
	}
	status := wrapped(problem)
	status.Importance = widget.DangerImportance
	if problem == "" {
		status.Hide()
	}
	back := newKeyButton(u.t("common.back", nil), nil, cv.showLanguage, nil)
	start := newKeyButton(u.t("candidate.rules.start", nil), nil, func() {
		if err := cv.a.Begin(lang); err != nil {
			cv.beginFailed(lang, err)
			return
		}
		cv.showExam(cv.a.Current())
	}, nil)
	start.Importance = widget.HighImportance
	actions := container.NewVBox(status, container.NewGridWithColumns(2, back, start))
	cv.pageWithActions(container.NewVBox(items...), actions, start)
}

func (cv *candidateView) beginFailed(lang string, err error) {
	u := cv.u
	switch state, _ := cv.a.State(); {
	case errors.Is(err, exam.ErrUnknownLanguage):
		cv.showRules(lang, u.t("error.unknown_language", nil))
	case state != exam.StateAdmitted:
		u.showAttempt(cv.a)
	default:
		cv.showRules(lang, u.t("error.unexpected", map[string]any{"Error": err.Error()}))
	}
}

// rules are the rules of the part as the candidate reads them: the numbers come from the part.
func (cv *candidateView) rules(part *bank.Part) []string {
	u := cv.u
	n := cv.a.Len()
	minutes := int(math.Ceil(cv.a.Allowance().Minutes()))
	written := part.Kind == bank.PartProfessionalWritten
	var out []string
	if written {
		out = append(out, u.Loc.N("candidate.rules.tasks", n, nil))
	} else {
		out = append(out, u.Loc.N("candidate.rules.questions", n, nil))
	}
	out = append(out, u.Loc.N("candidate.rules.time", minutes, nil))
	if part.Kind == bank.PartPublic {
		out = append(out, u.Loc.N("candidate.rules.pass_correct", part.PassMark, nil))
	} else if part.PassMark > 0 {
		out = append(out, u.Loc.N("candidate.rules.pass_points", part.PassMark, map[string]any{"Total": part.MaxPoints}))
	}
	if written {
		out = append(out, u.t("candidate.rules.graded_later", nil))
	} else {
		out = append(out, u.t("candidate.rules.one_answer", nil))
	}
	out = append(out, u.t("candidate.rules.change", nil), u.t("candidate.rules.flagging", nil))
	if options := cv.maxOptions(); options > 0 {
		out = append(out, u.t("candidate.rules.keys", map[string]any{
			"NumberKeys": "1–" + string(rune('0'+options)),
			"LetterKeys": "A–" + string(rune('A'+options-1)),
		}))
	}
	return append(out,
		u.t("candidate.rules.timer", nil),
		u.t("candidate.rules.saving", nil),
		u.t("candidate.rules.help", nil))
}

// maxOptions is the largest number of options of an item of the attempt, at most the six
// that have keys.
func (cv *candidateView) maxOptions() int {
	most := 0
	for i := range cv.a.Len() {
		if v, err := cv.a.Item(i); err == nil {
			most = max(most, len(v.Options))
		}
	}
	return min(most, len(optionLetters))
}
