package app

import (
	"errors"
	"fmt"
	"log"
	"math"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/bank"
	"ispit/exam"
	"ispit/i18n"
)

// UI is the kiosk's one window and the screens shown in it.
type UI struct {
	App fyne.App
	Win fyne.Window
	K   *kiosk.Kiosk // nil when the kiosk could not be opened: the window shows why
	Loc *i18n.Localizer

	theme Theme
	now   func() time.Time
	// quit ends the program once closing is allowed.
	quit func()
	// background runs slow work (a PIN check) off the UI thread, then done on it.
	background func(work, done func())
	// closeDialog is the PIN dialog of a close request while it is shown.
	closeDialog dialog.Dialog
	// follow keeps the focused control in view.
	follow *focusFollower

	// session is the session running on this terminal, nil before a proctor starts one.
	session *exam.Session
	// part is the id of the bank part candidates sit in this session.
	part string
	// cand is the candidate's screens while a candidate is signed in.
	cand *candidateView
	// homeLang is the terminal's interface language, which the proctor's and administrator's
	// screens keep whatever language the candidate chose.
	homeLang string
}

// New makes the kiosk's window on k, with text from loc, and shows the terminal screen. The
// window is not shown yet; closing it asks for a PIN.
func New(a fyne.App, k *kiosk.Kiosk, loc *i18n.Localizer) *UI {
	u := newUI(a, loc)
	u.K = k
	u.showStart()
	return u
}

// NewError makes the kiosk's window showing why the kiosk could not be opened: for a damaged
// exam database the damaged terminal's screen, else the error. There is nothing to protect
// yet, so this window may be closed.
func NewError(a fyne.App, loc *i18n.Localizer, err error) *UI {
	u := newUI(a, loc)
	var damaged *kiosk.DamagedError
	if errors.As(err, &damaged) {
		u.showDamaged(damaged, "")
		return u
	}
	msg := widget.NewLabel(loc.T("error.unexpected", map[string]any{"Error": err.Error()}))
	msg.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(loc.T("error.tell_proctor", nil))
	hint.Wrapping = fyne.TextWrapWord
	closeBtn := newButton(loc.T("common.close", nil), u.quit)
	u.Win.SetContent(container.NewPadded(container.NewVBox(heading(loc.T("common.error", nil)), msg, hint, closeBtn)))
	u.Win.Canvas().Focus(closeBtn)
	return u
}

func newUI(a fyne.App, loc *i18n.Localizer) *UI {
	u := &UI{App: a, Loc: loc, now: time.Now, quit: a.Quit, homeLang: loc.Lang()}
	u.background = func(work, done func()) {
		go func() {
			work()
			fyne.Do(done)
		}()
	}
	a.Settings().SetTheme(&Theme{})
	u.Win = a.NewWindow(loc.T("common.app_title", nil))
	u.Win.SetCloseIntercept(u.RequestClose)
	u.follow = followFocus(u.Win.Canvas())
	return u
}

// t is short for the Localizer's T.
func (u *UI) t(id string, data map[string]any) string { return u.Loc.T(id, data) }

// setTheme applies a new text size or contrast. On a candidate's screen it is kept with the
// candidate's attempt, so that a resume after a crash shows it again.
func (u *UI) setTheme(th Theme) {
	u.applyTheme(th)
	if cv := u.cand; cv != nil && cv.a != nil && cv.current() {
		cv.keepDisplay()
	}
}

// applyTheme shows the window in a text size and contrast.
func (u *UI) applyTheme(th Theme) {
	th.Text = th.Text.clamp()
	u.theme = th
	u.App.Settings().SetTheme(&th)
}

func heading(text string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyleHeading})
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// show puts a screen in the window, in a column of readable width, scrolled if it does not
// fit, and focuses first.
func (u *UI) show(content fyne.CanvasObject, first fyne.Focusable) { u.showPage(content, nil, first) }

// showTerminal is the first screen: who this terminal is and what it holds.
func (u *UI) showTerminal() {
	if u.needsSetup() {
		u.showSetup()
		return
	}
	k := u.K
	items := []fyne.CanvasObject{
		heading(u.t("common.app_title", nil)),
		widget.NewLabelWithStyle(u.t("common.terminal", map[string]any{"Terminal": k.TerminalID()}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	}
	if ok, scorer := k.Enrolled(); ok {
		items = append(items,
			wrapped(u.t("admin.enrol.done", map[string]any{"Terminal": k.TerminalID()})),
			wrapped(u.t("admin.enrol.scorer_address", nil)+": "+scorer))
	} else {
		items = append(items, wrapped(u.t("admin.enrol.intro", nil)))
	}
	fp := widget.NewLabelWithStyle(k.Fingerprint(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	fp.Wrapping = fyne.TextWrapBreak
	fp.Selectable = true
	items = append(items, widget.NewLabel(u.t("admin.enrol.fingerprint", nil)+":"), fp)

	if banks, err := k.Banks(); err != nil {
		items = append(items, wrapped(u.t("error.unexpected", map[string]any{"Error": err.Error()})))
	} else if len(banks) == 0 {
		items = append(items, wrapped(u.t("admin.banks.empty", nil)))
	} else {
		items = append(items, wrapped(fmt.Sprintf("%s: %d", u.t("admin.banks.title", nil), len(banks))))
	}
	if r, err := k.Roster(); err == nil {
		items = append(items, wrapped(u.Loc.N("admin.roster.verified", len(r.Candidates), nil)))
	} else if errors.Is(err, kiosk.ErrNoRoster) {
		items = append(items, wrapped(u.t("admin.roster.none", nil)))
	} else {
		items = append(items, wrapped(u.t("admin.roster.refused", nil)+" "+u.refusal(err, nil)))
	}

	admin := newButton(u.t("admin.title", nil), func() {
		u.askPIN(exam.RoleAdmin, u.t("admin.pin.title", nil), u.t("admin.pin.prompt", nil), u.showAdmin)
	})
	proctor := newButton(u.t("proctor.title", nil), func() {
		u.askPIN(exam.RoleProctor, u.t("proctor.pin.title", nil), u.t("proctor.pin.prompt", nil), u.showProctor)
	})
	admin.Importance = widget.HighImportance
	proctor.Importance = widget.HighImportance
	items = append(items, widget.NewSeparator(), container.NewGridWithColumns(2, proctor, admin), widget.NewSeparator())
	items = append(items, u.displaySettings()...)
	u.show(container.NewVBox(items...), proctor)
}

// displaySettings are the text-size and contrast controls.
func (u *UI) displaySettings() []fyne.CanvasObject {
	sizes := []TextSize{TextNormal, TextLarge, TextLargest}
	names := make([]string, len(sizes))
	for i, s := range sizes {
		names[i] = u.t(s.TextSizeMessage(), nil)
	}
	size := widget.NewRadioGroup(names, nil)
	size.Horizontal = true
	size.Required = true
	size.SetSelected(names[u.theme.Text.clamp()])
	size.OnChanged = func(name string) {
		for i, n := range names {
			if n == name {
				th := u.theme
				th.Text = sizes[i]
				u.setTheme(th)
			}
		}
	}
	contrast := widget.NewCheck(u.t("a11y.high_contrast", nil), func(on bool) {
		th := u.theme
		th.HighContrast = on
		u.setTheme(th)
	})
	contrast.Checked = u.theme.HighContrast
	return []fyne.CanvasObject{
		widget.NewLabelWithStyle(u.t("a11y.settings", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		// The label above the sizes, not beside them: the row fits the window at the largest size.
		widget.NewLabel(u.t("a11y.text_size", nil) + ":"), size,
		contrast,
	}
}

// askPIN asks for a role's PIN in a dialog and calls ok once it is right. A wrong PIN shows the
// tries left, a locked-out role until when.
func (u *UI) askPIN(role exam.Role, title, prompt string, ok func()) dialog.Dialog {
	entry := widget.NewPasswordEntry()
	status := wrapped("")
	status.Importance = widget.DangerImportance
	var items []fyne.CanvasObject
	if prompt != "" {
		items = append(items, wrapped(prompt))
	}
	items = append(items, widget.NewLabel(u.t("proctor.pin.label", nil)), entry, status)
	content := container.NewVBox(items...)
	var d *kioskDialog
	checking := false
	submit := func() {
		if checking {
			return
		}
		checking = true
		pin := entry.Text
		var tries int
		var err error
		status.Importance = widget.MediumImportance
		status.SetText(u.t("common.please_wait", nil))
		u.background(func() {
			tries, err = u.K.Engine.CheckPIN(role, pin)
			debug.FreeOSMemory() // the PIN hash takes 64 MiB for a moment
		}, func() {
			status.Importance = widget.DangerImportance
			checking = false
			entry.SetText("")
			if err == nil {
				d.Hide()
				ok()
				return
			}
			status.SetText(u.pinError(tries, err))
			d.Refresh() // the message is taller than the empty line it replaces
			u.Win.Canvas().Focus(entry)
		})
	}
	entry.OnChanged = func(typed string) {
		// A PIN is digits; anything else (the space that pressed the button which opened
		// this dialog) is dropped as it is typed.
		if digits := onlyDigits(typed); digits != typed {
			entry.SetText(digits)
			entry.CursorColumn = len(digits)
		}
	}
	entry.OnSubmitted = func(string) { submit() }
	unlock := newButton(u.t("proctor.pin.unlock", nil), submit)
	unlock.Importance = widget.HighImportance
	cancel := newButton(u.t("common.cancel", nil), func() { d.Hide() })
	d = newDialog(u.Win, title, content, cancel, unlock)
	// The window may not have its full size yet when the kiosk starts on this dialog.
	d.open(max(u.Win.Canvas().Size().Width*0.6, pinDialogMinWidth), entry)
	return d
}

// pinDialogMinWidth keeps the PIN dialog's explanation to a few lines.
const pinDialogMinWidth = 560

// onlyDigits keeps the ASCII digits of s.
func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// pinError is what a failed PIN check shows.
func (u *UI) pinError(tries int, err error) string {
	var locked *exam.LockedOutError
	switch {
	case errors.Is(err, exam.ErrWrongPIN):
		return u.Loc.N("proctor.pin.wrong", tries, nil)
	case errors.As(err, &locked):
		minutes := int(math.Ceil(locked.Until.Sub(u.now()).Minutes()))
		return u.Loc.N("proctor.pin.locked", max(minutes, 1), nil) + " (" + locked.Until.Local().Format("15:04") + ")"
	}
	return u.t("error.unexpected", map[string]any{"Error": err.Error()})
}

// RequestClose is what closing the window does (its button, Alt+F4, the window manager): it
// asks for the proctor PIN, or the administrator's while no proctor PIN is set, and closes
// only when it is right. With no PIN set at all the kiosk cannot be closed from the window.
func (u *UI) RequestClose() {
	if u.K == nil {
		u.quit()
		return
	}
	if u.closeDialog != nil {
		return // already asking
	}
	role := exam.RoleProctor
	title, prompt := u.t("proctor.pin.title", nil), u.t("proctor.pin.close_prompt", nil)
	if has, err := u.K.Engine.HasPIN(exam.RoleProctor); err != nil || !has {
		has, err = u.K.Engine.HasPIN(exam.RoleAdmin)
		if err != nil || !has {
			log.Print("kiosk: closing refused: no proctor or administrator PIN is set")
			return
		}
		role, title, prompt = exam.RoleAdmin, u.t("admin.pin.title", nil), u.t("proctor.menu.quit", nil)
	}
	d := u.askPIN(role, title, prompt, func() {
		u.closeDialog = nil
		u.quit()
	})
	u.closeDialog = d
	d.SetOnClosed(func() { u.closeDialog = nil })
}

// title is a bank's title in the interface language, else English, else any.
func (u *UI) title(t bank.Text) string {
	if s, ok := t[u.Loc.Lang()]; ok {
		return s
	}
	if s, ok := t[i18n.Fallback]; ok {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return t[keys[0]]
}

func (u *UI) date(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// refusal says in the interface language why a bank or roster is refused.
func (u *UI) refusal(err error, m *bank.Manifest) string {
	switch {
	case errors.Is(err, bank.ErrUnsupportedFormat):
		return u.t("admin.refusal.unsupported_format", nil)
	case errors.Is(err, bank.ErrMalformed):
		return u.t("admin.refusal.malformed", nil)
	case errors.Is(err, bank.ErrUntrusted):
		return u.t("admin.refusal.untrusted", nil)
	case errors.Is(err, bank.ErrBadSignature):
		return u.t("admin.refusal.bad_signature", nil)
	case errors.Is(err, bank.ErrPayloadDigest):
		return u.t("admin.refusal.payload_digest", nil)
	case errors.Is(err, bank.ErrNotYetValid):
		from := "…"
		if m != nil {
			from = u.date(m.ValidFrom)
		}
		return u.t("admin.refusal.not_yet_valid", map[string]any{"From": from})
	case errors.Is(err, bank.ErrExpired):
		until := "…"
		if m != nil {
			until = u.date(m.ValidUntil)
		}
		return u.t("admin.refusal.expired", map[string]any{"Until": until})
	}
	return u.t("admin.refusal.unreadable", map[string]any{"Reason": err.Error()})
}

// newButton is a button that Enter presses as well as Space, as people expect of a kiosk.
func newButton(text string, tapped func()) *keyButton { return newKeyButton(text, nil, tapped, nil) }
