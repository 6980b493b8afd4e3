package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/exam"
)

// receiptScreen is the end of an attempt: what to write down, and a "Done" that makes the
// terminal ready for the next candidate.
type receiptScreen struct {
	cv    *candidateView
	sheet string
	box   *fyne.Container
}

// showFinished shows the receipt of a submitted attempt, after a time-out message if the time
// ran out.
func (cv *candidateView) showFinished() {
	u := cv.u
	var items []fyne.CanvasObject
	if _, reason := cv.a.State(); reason == exam.SubmitTimeOut || cv.timedOut {
		msg := wrapped(u.t("candidate.timeout.message", nil))
		msg.TextStyle = fyne.TextStyle{Bold: true}
		items = append(items, heading(u.t("candidate.timeout.title", nil)), msg, widget.NewSeparator())
	}
	r := &receiptScreen{cv: cv, box: container.NewVBox()}
	code, sheet := cv.receipt()
	r.sheet = sheet
	r.fill(code)
	done := newKeyButton(u.t("candidate.receipt.done", nil), nil, u.showSignIn, nil)
	done.Importance = widget.HighImportance
	items = append(items, heading(u.t("candidate.receipt.title", nil)), r.box, widget.NewSeparator(),
		wrapped(u.t("candidate.finished", nil)), done)
	// No focus on "Done": a stray Enter must not take the receipt away before it is written down.
	cv.page(container.NewVBox(items...), nil)
	cv.finished = r
}

// receipt is the receipt code of the attempt's sheet once the scorer confirmed it (else ""),
// and the sheet's number.
func (cv *candidateView) receipt() (code, sheet string) {
	sheet = cv.a.ID()
	entries, err := cv.u.K.Engine.Outbox()
	if err != nil {
		return "", sheet
	}
	for _, e := range entries {
		if e.AttemptID == cv.a.ID() {
			if e.Delivered() {
				return e.ReceiptCode, e.SheetID
			}
			return "", e.SheetID
		}
	}
	return "", sheet
}

// fill shows the receipt code, or that the sheet waits for delivery and its number.
func (r *receiptScreen) fill(code string) {
	u := r.cv.u
	if code != "" {
		r.box.Objects = []fyne.CanvasObject{
			strong(u.t("candidate.receipt.code_label", nil)),
			bigCode(code),
			wrapped(u.t("candidate.receipt.write_down", nil)),
			wrapped(u.t("candidate.receipt.delivered", nil)),
		}
	} else {
		r.box.Objects = []fyne.CanvasObject{
			wrapped(u.t("candidate.receipt.pending", nil)),
			strong(u.t("candidate.receipt.sheet_label", nil)),
			bigCode(r.sheet),
			wrapped(u.t("candidate.receipt.sheet_write_down", nil)),
		}
	}
	r.box.Refresh()
}

// delivered shows the receipt code the scorer sent.
func (r *receiptScreen) delivered(code string) {
	if code != "" {
		r.fill(code)
	}
}

// bigCode is a code to copy by hand: large, in a font that tells 0 from O.
func bigCode(code string) *widget.Label {
	l := widget.NewLabelWithStyle(code, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	return l
}
