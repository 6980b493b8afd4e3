package kiosk

import "ispit/exam"

// CurrentAttempt returns the attempt of session s that this terminal is showing: one that is
// not submitted yet, else nil.
func CurrentAttempt(s *exam.Session) *exam.Attempt {
	for _, a := range s.Attempts() {
		if st, _ := a.State(); st != exam.StateSubmitted {
			return a
		}
	}
	return nil
}
