package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// saveState is what the save indicator says about the item shown.
type saveState int

const (
	saveNothing saveState = iota // nothing to save on this item yet
	saveSaved                    // the engine confirmed that all of it is durable
	saveSaving                   // typing not yet durable
	saveFailed                   // the engine could not save it
)

// statusBar is the top of the item screens: where the candidate is, whether the answer is
// saved, and the time left, always visible.
type statusBar struct {
	u        *UI
	box      *fyne.Container
	progress *widget.Label
	saveIcon *widget.Icon
	save     *widget.Label
	time     *widget.Label
	state    saveState
}

func newStatusBar(u *UI, language fyne.CanvasObject) (*statusBar, fyne.CanvasObject) {
	b := &statusBar{
		u:        u,
		progress: strong(""),
		saveIcon: widget.NewIcon(nil),
		save:     widget.NewLabel(""),
		time:     strong(""),
	}
	b.time.SizeName = theme.SizeNameSubHeadingText
	right := container.NewHBox(b.saveIcon, b.save, language, b.time)
	b.box = container.NewBorder(nil, nil, b.progress, right)
	b.setSave(saveNothing)
	return b, b.box
}

// setTime shows the time left.
func (b *statusBar) setTime(left time.Duration) {
	text := b.u.t("candidate.time_left", map[string]any{"Time": clockTime(left)})
	importance := widget.MediumImportance
	switch {
	case left <= time.Minute:
		importance = widget.DangerImportance
	case left <= 5*time.Minute:
		importance = widget.WarningImportance
	}
	if text != b.time.Text || importance != b.time.Importance {
		b.time.Importance = importance
		b.time.SetText(text)
		relayout(b.box)
	}
}

// setSave shows what the engine confirmed about the item.
func (b *statusBar) setSave(st saveState) {
	if st == b.state && b.save.Text != "" {
		return
	}
	b.state = st
	b.save.Importance = widget.MediumImportance
	switch st {
	case saveNothing:
		b.saveIcon.SetResource(nil)
		b.save.SetText("")
		b.saveIcon.Hide()
		b.save.Hide()
		relayout(b.box)
		return
	case saveSaved:
		b.saveIcon.SetResource(theme.ConfirmIcon())
		b.save.SetText(b.u.t("candidate.save.saved", nil))
	case saveSaving:
		b.saveIcon.SetResource(theme.UploadIcon())
		b.save.SetText(b.u.t("candidate.save.saving", nil))
	case saveFailed:
		b.saveIcon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		b.save.Importance = widget.DangerImportance
		b.save.SetText(b.u.t("candidate.save.not_saved", nil))
	}
	b.saveIcon.Show()
	b.save.Show()
	b.save.Refresh()
	relayout(b.box)
}

// setProgress says which item is shown.
func (b *statusBar) setProgress(text string) {
	b.progress.SetText(text)
	relayout(b.box)
}

// clockTime writes a duration as a clock does: 29:59, or 1:59:59 from an hour up. It rounds
// up, so that 0:00 is shown only when the time is up.
func clockTime(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s < 0 {
		s = 0
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// banner is a message under the status bar: a time warning, a resumption, an extension, or a
// failure to save. Messages other than failures go away after a while of exam time.
type banner struct {
	u      *UI
	icon   *widget.Icon
	text   *widget.Label
	detail *widget.Label
	box    *fyne.Container
	// until is the time left at which the message goes; 0 keeps it.
	until time.Duration
	left  time.Duration
	err   bool
	// layout lays out what is around the banner when it is shown or hidden.
	layout func()
}

func newBanner(u *UI) *banner {
	b := &banner{u: u, icon: widget.NewIcon(theme.WarningIcon()), text: wrapped(""), detail: wrapped(""), layout: func() {}}
	b.text.TextStyle = fyne.TextStyle{Bold: true}
	b.box = container.NewBorder(nil, nil, b.icon, nil, container.NewVBox(b.text, b.detail))
	b.box.Hide()
	return b
}

func (b *banner) set(icon fyne.Resource, importance widget.Importance, text, detail string, keep time.Duration) {
	b.icon.SetResource(icon)
	b.text.Importance = importance
	b.text.SetText(text)
	b.detail.SetText(detail)
	if detail == "" {
		b.detail.Hide()
	} else {
		b.detail.Show()
	}
	b.until = 0
	if keep > 0 {
		b.until = max(b.left-keep, time.Nanosecond)
	}
	b.box.Show()
	b.box.Refresh()
	b.layout()
}

// warn says how many minutes are left, for a minute of exam time.
func (b *banner) warn(minutes int) {
	b.err = false
	b.set(theme.WarningIcon(), widget.WarningImportance, b.u.Loc.N("candidate.warning", minutes, nil),
		b.u.t("candidate.warning.detail", nil), time.Minute)
}

// show shows a message for seconds of exam time, or until cleared when seconds is 0.
func (b *banner) show(text string, seconds int) {
	b.err = false
	b.set(theme.InfoIcon(), widget.MediumImportance, text, "", time.Duration(seconds)*time.Second)
}

// showError shows a failure until clear.
func (b *banner) showError(text string) {
	b.err = true
	b.set(theme.NewErrorThemedResource(theme.ErrorIcon()), widget.DangerImportance, text, "", 0)
}

// clearError hides a failure once things work again.
func (b *banner) clearError() {
	if b.err {
		b.err = false
		b.box.Hide()
		b.layout()
	}
}

// tick follows the time left and hides a message whose time is over.
func (b *banner) tick(left time.Duration) {
	b.left = left
	if b.box.Visible() && b.until > 0 && left < b.until {
		b.box.Hide()
		b.layout()
	}
}
