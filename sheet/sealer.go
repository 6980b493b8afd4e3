package sheet

import (
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
)

// Sealer seals the kiosk's sheets at submission and its progress checkpoints: the exam engine
// calls it (exam.Sealer, exam.ProgressSealer).
type Sealer struct {
	Terminal ssh.Signer    // the terminal key
	Scorer   age.Recipient // the scorer's hybrid recipient, from the enrolment file
}

var (
	_ exam.Sealer         = (*Sealer)(nil)
	_ exam.ProgressSealer = (*Sealer)(nil)
)

// SealCheckpoint implements exam.ProgressSealer.
func (s *Sealer) SealCheckpoint(cp *exam.Checkpoint) ([]byte, error) {
	return SealCheckpoint(cp, s.Terminal, s.Scorer)
}

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
