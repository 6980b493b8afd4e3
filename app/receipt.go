package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
)

// receiptScreen is the end of an attempt: what to write down, and a "Done" that makes the
// terminal ready for the next candidate.
type receiptScreen struct {
	cv   *candidateView
	box  *fyne.Container // the receipt, which the scorer's confirmation changes
	page *fyne.Container // the whole screen, laid out again when the receipt changes size
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
	r.fill(cv.receipt())
	done := newKeyButton(u.t("candidate.receipt.done", nil), nil, u.showSignIn, nil)
	done.Importance = widget.HighImportance
	items = append(items, heading(u.t("candidate.receipt.title", nil)), r.box, widget.NewSeparator(),
		wrapped(u.t("candidate.finished", nil)), done)
	r.page = container.NewVBox(items...)
	// No focus on "Done": a stray Enter must not take the receipt away before it is written down.
	cv.page(r.page, nil)
	cv.finished = r
}

// receipt is the receipt of the attempt's sheet from the outbox: its code is known from the
// moment the sheet is sealed, delivered or not. Should the outbox not answer, it is the sheet's
// number alone, with no code.
func (cv *candidateView) receipt() kiosk.SheetReceipt {
	r, ok, err := cv.u.K.Receipt(cv.a.ID())
	if err != nil || !ok {
		return kiosk.SheetReceipt{SheetID: cv.a.ID()}
	}
	return r
}

// fill shows the receipt code, confirmed by the scorer or not yet delivered; without a code,
// that the sheet waits for delivery and its number.
func (r *receiptScreen) fill(rc kiosk.SheetReceipt) {
	u := r.cv.u
	switch {
	case rc.Code == "":
		r.box.Objects = []fyne.CanvasObject{
			wrapped(u.t("candidate.receipt.pending", nil)),
			strong(u.t("candidate.receipt.sheet_label", nil)),
			bigCode(rc.SheetID),
			wrapped(u.t("candidate.receipt.sheet_write_down", nil)),
		}
	case rc.Delivered:
		r.box.Objects = []fyne.CanvasObject{
			strong(u.t("candidate.receipt.code_label", nil)),
			bigCode(rc.Code),
			wrapped(u.t("candidate.receipt.write_down", nil)),
			wrapped(u.t("candidate.receipt.delivered", nil)),
		}
	default:
		status := wrapped(u.t("candidate.receipt.unconfirmed", nil))
		status.TextStyle = fyne.TextStyle{Bold: true}
		r.box.Objects = []fyne.CanvasObject{
			strong(u.t("candidate.receipt.code_label", nil)),
			bigCode(rc.Code),
			wrapped(u.t("candidate.receipt.write_down", nil)),
			status,
			wrapped(u.t("candidate.receipt.pending", nil)),
		}
	}
	if r.page != nil {
		r.page.Refresh() // the box and what follows it, in their new places
	} else {
		r.box.Refresh()
	}
}

// delivered shows the receipt code the scorer confirmed: the code shown since sealing, since
// the uploader accepts no receipt for other bytes.
func (r *receiptScreen) delivered(code string) {
	if code != "" {
		r.fill(kiosk.SheetReceipt{SheetID: r.cv.a.ID(), Code: code, Delivered: true})
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
