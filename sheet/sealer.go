package sheet

import (
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
)

// Sealer seals the kiosk's sheets at submission: the exam engine calls it (exam.Sealer).
type Sealer struct {
	Terminal ssh.Signer    // the terminal key
	Scorer   age.Recipient // the scorer's hybrid recipient, from the enrolment file
}

var _ exam.Sealer = (*Sealer)(nil)

// Seal implements exam.Sealer.
func (s *Sealer) Seal(plain []byte, info exam.SealInfo) ([]byte, error) {
	return Seal(plain, Header{
		SheetID:  info.SheetID,
		Terminal: info.Terminal,
		Session:  info.Session,
		BankID:   info.BankID,
		SealedAt: info.SealedAt.UTC().Truncate(time.Second),
	}, s.Terminal, s.Scorer)
}
