package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/bank"
	"ispit/exam"
)

// showReview shows the review within the item screens, so that the time stays in view.
func (cv *candidateView) showReview() {
	if cv.exam == nil {
		cv.showExam(cv.a.Current())
	}
	cv.exam.showReview()
}

// showReview lists the unanswered and the flagged items, each a button that goes there, and
// offers to submit.
func (s *examScreen) showReview() {
	u := s.cv.u
	if err := s.a.FlushText(); err != nil {
		s.cv.failed(err)
		if !s.cv.current() || s.cv.exam != s {
			return
		}
	}
	nav := s.a.Navigator()
	var unanswered, flagged []int
	for _, n := range nav {
		if !n.Answered {
			unanswered = append(unanswered, n.Index)
		}
		if n.Flagged {
			flagged = append(flagged, n.Index)
		}
	}
	s.reviewing = true
	s.options, s.essay, s.nav, s.flag, s.clear, s.flagged, s.flagRow = nil, nil, nil, nil, nil, nil, nil
	s.focusables = map[string]fyne.Focusable{}
	s.cv.u.Win.Canvas().Unfocus()
	s.bar.setProgress("")
	s.bar.setSave(saveNothing)

	items := []fyne.CanvasObject{
		heading(u.t("candidate.review.title", nil)),
		wrapped(u.t("candidate.review.answered", map[string]any{"Answered": len(nav) - len(unanswered), "Total": len(nav)})),
	}
	if len(unanswered) > 0 {
		items = append(items, strong(u.Loc.N("candidate.review.unanswered", len(unanswered), nil)), s.itemButtons(unanswered))
	} else {
		items = append(items, wrapped(u.t("candidate.review.all_answered", nil)))
	}
	if len(flagged) > 0 {
		items = append(items, strong(u.Loc.N("candidate.review.flagged", len(flagged), nil)), s.itemButtons(flagged))
	} else {
		items = append(items, wrapped(u.t("candidate.review.none_flagged", nil)))
	}
	s.body.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(items...))}
	s.body.Refresh()

	back := newKeyButton(u.t("candidate.review.back", nil), nil, func() { s.goTo(s.index) }, s)
	submit := newKeyButton(u.t("candidate.submit.button", nil), nil, func() { s.confirmSubmit(len(unanswered)) }, s)
	submit.Importance = widget.HighImportance
	s.buttons.Objects = []fyne.CanvasObject{container.NewGridWithColumns(2, back, submit)}
	s.buttons.Refresh()
}

// itemButtons are buttons that go to the items at these indexes.
func (s *examScreen) itemButtons(indexes []int) fyne.CanvasObject {
	u := s.cv.u
	grid := container.NewGridWithColumns(2)
	for _, i := range indexes {
		id := "candidate.question_of"
		if v, err := s.a.Item(i); err == nil && v.Item.Kind == bank.ItemWritten {
			id = "candidate.task_of"
		}
		b := newKeyButton(u.t(id, map[string]any{"N": i + 1, "Total": s.total}), nil, func() { s.goTo(i) }, s)
		grid.Add(b)
	}
	return grid
}

// confirmSubmit asks whether to submit; "No", the safe choice, is where the focus starts.
func (s *examScreen) confirmSubmit(unanswered int) {
	u := s.cv.u
	msg := u.t("candidate.submit.confirm", nil)
	if unanswered > 0 {
		msg = u.Loc.N("candidate.submit.confirm_unanswered", unanswered, nil)
	}
	var d *kioskDialog
	no := newKeyButton(u.t("candidate.submit.no", nil), nil, func() { d.Hide() }, nil)
	yes := newKeyButton(u.t("candidate.submit.yes", nil), nil, func() {
		d.Hide()
		s.submit()
	}, nil)
	yes.Importance = widget.HighImportance
	d = newDialog(u.Win, u.t("candidate.submit.confirm_title", nil), wrapped(msg), no, yes)
	s.cv.showDialog(d, nil)
}

// submit submits the attempt and shows the receipt.
func (s *examScreen) submit() {
	cv := s.cv
	u := cv.u
	cv.page(container.NewVBox(heading(u.t("candidate.submit.submitting", nil)), wrapped(u.t("common.please_wait", nil))), nil)
	var err error
	u.background(func() { _, err = cv.a.Submit() }, func() {
		if u.cand != cv {
			return
		}
		if state, _ := cv.a.State(); err != nil && !errors.Is(err, exam.ErrSubmitted) && state != exam.StateSubmitted {
			u.showAttempt(cv.a)
			if cv.exam != nil {
				cv.exam.banner.showError(u.t("error.save_failed", nil))
			}
			return
		}
		cv.showFinished()
	})
}
