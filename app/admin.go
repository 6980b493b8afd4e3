package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
)

// showAdmin is the administrator's screen: enrolling the terminal with the scorer, the library
// of banks (load, check, remove) and the candidate roster.
func (u *UI) showAdmin() {
	u.Loc.SetLang(u.homeLang)
	newAdminView(u).show()
}

// adminView is the administrator's screen. Each section keeps its buttons and a status line
// for the result of the last action, and rebuilds only its body, so that the screen keeps
// its scroll position and the keyboard focus stays on the button that was used.
type adminView struct {
	u *UI
	// mediaDir is where file dialogs open: the USB stick (kiosk.RemovableMediaDir).
	mediaDir func() string

	enrolBody, enrolStatus   *fyne.Container
	saveKey, loadEnrolment   *keyButton
	bankBody, bankStatus     *fyne.Container
	loadBank                 *keyButton
	rosterBody, rosterStatus *fyne.Container
	loadRoster               *keyButton
}

// newAdminView makes the screen; show puts it in the window.
func newAdminView(u *UI) *adminView {
	a := &adminView{
		u: u, mediaDir: kiosk.RemovableMediaDir,
		enrolBody: container.NewVBox(), enrolStatus: container.NewVBox(),
		bankBody: container.NewVBox(), bankStatus: container.NewVBox(),
		rosterBody: container.NewVBox(), rosterStatus: container.NewVBox(),
	}
	a.saveKey = newButton(u.t("admin.enrol.save_key", nil), a.chooseKeyFolder)
	a.loadEnrolment = newButton(u.t("admin.enrol.load", nil), a.chooseEnrolment)
	a.loadBank = newButton(u.t("admin.bank.load", nil), a.chooseBank)
	a.loadRoster = newButton(u.t("admin.roster.load", nil), a.chooseRoster)
	for _, b := range []*keyButton{a.loadEnrolment, a.loadBank, a.loadRoster} {
		b.Importance = widget.HighImportance
	}
	return a
}

// show puts the screen in the window.
func (a *adminView) show() {
	u := a.u
	back := newButton(u.t("common.back", nil), u.showTerminal)
	a.refreshEnrolment()
	a.refreshBanks()
	a.refreshRoster()
	u.show(container.NewVBox(
		container.NewBorder(nil, nil, nil, back, heading(u.t("admin.title", nil))),
		widget.NewSeparator(),
		subheading(u.t("admin.enrol.title", nil)),
		a.enrolBody,
		container.NewHBox(a.saveKey, a.loadEnrolment),
		a.enrolStatus,
		widget.NewSeparator(),
		subheading(u.t("admin.banks.title", nil)),
		container.NewHBox(a.loadBank),
		a.bankStatus,
		a.bankBody,
		widget.NewSeparator(),
		subheading(u.t("admin.roster.title", nil)),
		container.NewHBox(a.loadRoster),
		a.rosterStatus,
		a.rosterBody,
	), back)
}

// subheading heads a section of a screen.
func subheading(text string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyleSubHeading})
}

// bold is a label in bold type that wraps at words.
func bold(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

// facts lays out rows of a bold label and its value, the labels in a column of their own.
func facts(rows ...[2]fyne.CanvasObject) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	for _, r := range rows {
		c.Add(r[0])
		c.Add(r[1])
	}
	return c
}

// fact is one row of facts with a text value.
func fact(label, value string) [2]fyne.CanvasObject {
	return [2]fyne.CanvasObject{factLabel(label), wrapped(value)}
}

// factLabel is the label of a row of facts. It does not wrap: the column is as wide as the
// widest label.
func factLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// setStatus shows the result of an action in a section's status box: the first line with
// the importance (success, danger), the others plain.
func (a *adminView) setStatus(box *fyne.Container, importance widget.Importance, lines ...string) {
	var items []fyne.CanvasObject
	for i, line := range lines {
		l := wrapped(line)
		if i == 0 {
			l.Importance = importance
			l.TextStyle.Bold = importance != widget.MediumImportance
		}
		items = append(items, l)
	}
	a.setBody(box, items)
}

// setBody replaces a section's body, and lays the screen out again for its new height.
func (a *adminView) setBody(body *fyne.Container, items []fyne.CanvasObject) {
	body.Objects = items
	if c := a.u.Win.Content(); c != nil {
		c.Refresh()
	}
}
