package app

import (
	"log"

	"ispit/exam"
)

// The candidate's text size and contrast are kept with the attempt by the engine, so that an
// attempt resumed after a crash comes back as the candidate chose to see it.

// takeDisplay shows the view's attempt in the display settings kept with it; an attempt with
// none kept yet keeps the ones on the screen now, which its candidate starts with.
func (cv *candidateView) takeDisplay() {
	if d, ok := cv.a.Display(); ok {
		cv.u.applyTheme(Theme{Text: TextSize(d.TextSize), HighContrast: d.HighContrast})
		return
	}
	cv.keepDisplay()
}

// keepDisplay keeps the display settings on the screen with the view's attempt. Should that
// fail, the screen keeps them all the same: only a resume would lose them.
func (cv *candidateView) keepDisplay() {
	th := cv.u.theme
	if err := cv.a.SetDisplay(exam.Display{TextSize: int(th.Text), HighContrast: th.HighContrast}); err != nil {
		log.Printf("kiosk: keeping the display settings of attempt %s: %v", cv.a.ID(), err)
	}
}
