package exam

import (
	"errors"
	"fmt"
)

// Errors of the engine. Callers test for them with errors.Is; each is wrapped with details.
var (
	ErrCorrupt         = errors.New("the exam database is damaged")
	ErrTampered        = errors.New("the exam record has been altered")
	ErrSchemaTooNew    = errors.New("the exam database was written by a newer program")
	ErrUnknownItem     = errors.New("no such item in this attempt")
	ErrUnknownOption   = errors.New("no such option for this item")
	ErrWrongItemKind   = errors.New("this kind of answer does not fit the item")
	ErrNotRunning      = errors.New("the attempt is not running")
	ErrSubmitted       = errors.New("the attempt has been submitted")
	ErrMoved           = errors.New("the attempt was moved to another terminal")
	ErrNotHere         = errors.New("the attempt is on this terminal already")
	ErrUnknownAttempt  = errors.New("no such attempt on this terminal")
	ErrBadTransition   = errors.New("the attempt cannot do that in its state")
	ErrReasonRequired  = errors.New("a reason is required")
	ErrUnknownCand     = errors.New("the candidate is not on the roster")
	ErrPartNotForCand  = errors.New("this part is not for the candidate's position")
	ErrUnknownLanguage = errors.New("the bank has no such language")
	ErrUnknownPart     = errors.New("the bank has no such part")
	ErrBadDisplay      = errors.New("no such display setting")
	ErrSessionEnded    = errors.New("the session has ended")
	ErrSessionMismatch = errors.New("this is not the bank the session was started with")
	ErrClosed          = errors.New("the engine is closed")
)

// AlreadyAttemptedError refuses a second attempt of one candidate at one part. It names where
// the first attempt is and in what state.
type AlreadyAttemptedError struct {
	Candidate string
	Part      string
	Terminal  string
	State     State
}

func (e *AlreadyAttemptedError) Error() string {
	return fmt.Sprintf("candidate %s already has an attempt at part %s on terminal %s (%s)", e.Candidate, e.Part, e.Terminal, e.State)
}
