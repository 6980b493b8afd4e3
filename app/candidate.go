package app

import "ispit/exam"

// candidateView holds the state of the candidate's screens.
type candidateView struct{}

// showSignIn is the candidate's first screen in a running session.
func (u *UI) showSignIn() {}

// showAttempt shows an attempt on its current question.
func (u *UI) showAttempt(a *exam.Attempt) { _ = a }
