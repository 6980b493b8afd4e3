package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/bank"
	"ispit/exam"
)

// proctorName is who the session records as its proctor: the role, as PINs are per role.
const proctorName = "proctor"

// showProctor is the proctor's screen: the running session, or the verified banks, each a
// button that starts a session.
func (u *UI) showProctor() {
	u.Loc.SetLang(u.homeLang)
	if u.session != nil && u.session.Info.EndedAt.IsZero() {
		u.showSession()
		return
	}
	u.session, u.part = nil, ""
	lock := newButton(u.t("proctor.menu.lock", nil), u.showTerminal)
	items := []fyne.CanvasObject{heading(u.t("proctor.title", nil)), widget.NewLabelWithStyle(u.t("proctor.session.bank", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	banks, err := u.K.Banks()
	if err != nil {
		items = append(items, wrapped(u.t("error.unexpected", map[string]any{"Error": err.Error()})))
	}
	var first fyne.Focusable = lock
	n := 0
	for _, b := range banks {
		if b.Err != nil || b.Manifest == nil {
			continue
		}
		entry := b
		button := newButton(u.title(b.Manifest.Title)+" ("+b.Manifest.BankID+")", func() { u.showStartCode(entry) })
		items = append(items, button)
		if n == 0 {
			first = button
		}
		n++
	}
	if err == nil && n == 0 {
		items = append(items, wrapped(u.t("proctor.session.no_banks", nil)))
	}
	items = append(items, widget.NewSeparator(), u.outboxSummary())
	u.showPage(container.NewVBox(items...), lock, first)
}

// showStartCode asks for the start code of a bank. Every keystroke is checked: a character
// that is not allowed and a mistyped code are reported at once, before the slow unlocking.
func (u *UI) showStartCode(entry kiosk.BankEntry) {
	code := widget.NewEntry()
	code.SetPlaceHolder("XXXX-XXXX-XXXX-XXXXX")
	code.TextStyle = fyne.TextStyle{Monospace: true}
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	start := newButton(u.t("proctor.session.start", nil), nil)
	start.Importance = widget.HighImportance
	start.Disable()
	back := newButton(u.t("common.back", nil), u.showProctor)
	parts := entry.Manifest.Parts
	partNames := make([]string, len(parts))
	for i := range parts {
		partNames[i] = u.title(parts[i].Title)
	}
	part := widget.NewRadioGroup(partNames, nil)
	part.Required = true
	if len(partNames) > 0 {
		part.SetSelected(partNames[0])
	}
	chosenPart := func() string {
		for i, name := range partNames {
			if name == part.Selected {
				return parts[i].ID
			}
		}
		return ""
	}

	check := func(typed string) {
		n, whole, err := bank.StartCodeProgress(typed)
		status.Importance = widget.DangerImportance
		var symbol *bank.SymbolError
		switch {
		case errors.As(err, &symbol):
			status.SetText(u.t("proctor.start_code.symbol", map[string]any{"Symbol": string(symbol.Symbol)}))
		case errors.Is(err, bank.ErrStartCodeCheck):
			status.SetText(u.t("proctor.start_code.mistyped", nil))
		case errors.Is(err, bank.ErrStartCodeLength):
			status.SetText(u.Loc.N("proctor.start_code.length", whole, nil))
		case n == whole:
			status.Importance = widget.SuccessImportance
			status.SetText(u.t("proctor.start_code.complete", nil))
		default:
			status.Importance = widget.MediumImportance
			status.SetText(u.Loc.N("proctor.start_code.progress", whole, map[string]any{"Typed": n}))
		}
		status.Refresh()
		if err == nil && n == whole && part.Selected != "" {
			start.Enable()
		} else {
			start.Disable()
		}
	}
	code.OnChanged = func(typed string) {
		if grouped := bank.GroupTypedStartCode(typed); grouped != typed {
			code.SetText(grouped) // calls OnChanged again with the grouped text
			code.CursorColumn = len([]rune(grouped))
			return
		}
		check(typed)
	}
	deriving := widget.NewProgressBarInfinite()
	deriving.Stop()
	deriving.Hide()
	start.OnTapped = func() {
		start.Disable()
		code.Disable()
		status.Importance = widget.MediumImportance
		status.SetText(u.t("proctor.start_code.deriving", nil))
		deriving.Show()
		deriving.Start()
		partID := chosenPart()
		var s *exam.Session
		var err error
		u.background(func() {
			s, err = u.K.StartSession(entry.Manifest.BankID, partID, proctorName, code.Text)
		}, func() {
			deriving.Stop()
			deriving.Hide()
			code.Enable()
			switch {
			case err == nil:
				u.session, u.part = s, partID
				u.showSessionNotice(u.t("proctor.session.started", nil))
				return
			case errors.Is(err, bank.ErrWrongStartCode):
				status.SetText(u.t("proctor.start_code.wrong", nil))
			case errors.Is(err, kiosk.ErrNotEnrolled):
				status.SetText(u.t("admin.enrol.intro", nil))
			case errors.Is(err, kiosk.ErrNoRoster):
				status.SetText(u.t("admin.roster.none", nil))
			default:
				status.SetText(u.refusal(err, entry.Manifest))
			}
			status.Importance = widget.DangerImportance
			status.Refresh()
			start.Enable()
		})
	}
	code.OnSubmitted = func(string) {
		if !start.Disabled() {
			start.OnTapped()
		}
	}
	part.OnChanged = func(string) { check(code.Text) }
	check("")
	if len(parts) == 0 {
		status.SetText(u.t("proctor.session.part_none", nil))
	}
	u.showPage(container.NewVBox(
		heading(u.t("proctor.session.start", nil)),
		wrapped(u.title(entry.Manifest.Title)+" ("+entry.Manifest.BankID+")"),
		widget.NewLabelWithStyle(u.t("proctor.session.part", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		part,
		widget.NewLabelWithStyle(u.t("proctor.start_code.label", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		code,
		wrapped(u.t("proctor.start_code.hint", nil)),
		status,
		deriving,
	), container.NewGridWithColumns(2, back, start), code)
}
