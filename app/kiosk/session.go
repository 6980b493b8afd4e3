package kiosk

import "ispit/exam"

// CurrentAttempt returns the attempt of session s that this terminal is showing: one that is
// not submitted and has not moved to another terminal, else nil.
func CurrentAttempt(s *exam.Session) *exam.Attempt {
	for _, a := range s.Attempts() {
		if st, _ := a.State(); st != exam.StateSubmitted && st != exam.StateMoved {
			return a
		}
	}
	return nil
}

// MovedAttempts returns the attempts of session s that moved to another terminal, in the
// order they were admitted.
func MovedAttempts(s *exam.Session) []*exam.Attempt {
	var out []*exam.Attempt
	for _, a := range s.Attempts() {
		if st, _ := a.State(); st == exam.StateMoved {
			out = append(out, a)
		}
	}
	return out
}

// LastMoved returns the attempt whose candidate the terminal should tell, after a restart,
// that the exam goes on elsewhere: the session's last attempt, if it moved; else nil.
func LastMoved(s *exam.Session) *exam.Attempt {
	list := s.Attempts()
	if len(list) == 0 {
		return nil
	}
	last := list[len(list)-1]
	if st, _ := last.State(); st == exam.StateMoved {
		return last
	}
	return nil
}
