package sheet

import (
	"crypto/sha256"
	"encoding/hex"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// NamespaceCheckpoint is the namespace of checkpoint.json.sig, the terminal's signature over a
// plain progress checkpoint.
const NamespaceCheckpoint = "checkpoint@ispit"

// Member names of a sealed checkpoint's archive.
const (
	memberCheckpoint    = "checkpoint.json"
	memberCheckpointSig = "checkpoint.json.sig"
)

// CheckpointAnswer is the scorer's answer to a checkpoint (POST /v1/checkpoints): what it keeps
// of the attempt now.
type CheckpointAnswer struct {
	Status   string `json:"status"`   // CheckpointStatusStored, …Stale or …Moved
	Seq      int64  `json:"seq"`      // the checkpoint kept
	Terminal string `json:"terminal"` // the terminal the attempt belongs to
	Error    string `json:"error,omitempty"`
}

// The statuses of a CheckpointAnswer.
const (
	CheckpointStatusStored = "stored" // kept
	CheckpointStatusStale  = "stale"  // the scorer keeps a newer one: nothing to do
	CheckpointStatusMoved  = "moved"  // the attempt belongs to another terminal: stop it (410 Gone)
)

// MaxSealedCheckpointSize bounds a sealed checkpoint file.
const MaxSealedCheckpointSize = exam.MaxCheckpointSize + 64<<10

// SealCheckpoint signs a plain checkpoint with the terminal key and encrypts it to the scorer's
// sheet key: the sealed checkpoint is an age file whose plaintext is the archive of
// checkpoint.json and checkpoint.json.sig (docs/sheet-format.md). There is no cleartext header:
// the upload request names the terminal, and its signature authenticates the bytes before the
// scorer decrypts them.
func SealCheckpoint(cp *exam.Checkpoint, terminal ssh.Signer, scorer age.Recipient) ([]byte, error) {
	recipient, ok := scorer.(*age.HybridRecipient)
	if !ok || recipient == nil {
		return nil, errorf(ErrRecipient, "got %T", scorer)
	}
	if terminal == nil {
		return nil, errorf(ErrInvalid, "no terminal key given")
	}
	plain := cp.Marshal()
	if _, err := exam.ReadCheckpoint(plain); err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	sig, err := sshsig.Sign(terminal, NamespaceCheckpoint, plain)
	if err != nil {
		return nil, errorf(ErrSigning, "signing checkpoint.json: %w", err)
	}
	inner := container.Write([]container.Member{
		{Name: memberCheckpoint, Data: plain},
		{Name: memberCheckpointSig, Data: sig},
	})
	out, err := sealAge(inner, recipient, "the checkpoint")
	if err != nil {
		return nil, err
	}
	if len(out) > MaxSealedCheckpointSize {
		return nil, errorf(ErrTooLarge, "the sealed checkpoint would be %d bytes, more than %d", len(out), MaxSealedCheckpointSize)
	}
	return out, nil
}

// OpenedCheckpoint is a sealed checkpoint that OpenCheckpoint has decrypted and checked.
type OpenedCheckpoint struct {
	Checkpoint *exam.Checkpoint
	JSON       []byte // checkpoint.json exactly as the terminal signed it
	Sig        []byte // the terminal's armored signature over JSON
}

// OpenCheckpoint decrypts a sealed checkpoint with the scorer's sheet key and checks, in order:
// the size (ErrTooLarge); that it is encrypted to exactly one post-quantum recipient and
// decrypts (ErrDecrypt); the archive (ErrMalformed); the signature, in namespace
// NamespaceCheckpoint and by terminalKey (ErrSignature); the checkpoint itself
// (exam.ReadCheckpoint: ErrMalformed); and that it names terminalID as its terminal
// (ErrBinding). It never panics.
func OpenCheckpoint(sealed []byte, terminalID string, terminalKey ssh.PublicKey, id age.Identity) (*OpenedCheckpoint, error) {
	if len(sealed) > MaxSealedCheckpointSize {
		return nil, errorf(ErrTooLarge, "the sealed checkpoint is %d bytes, more than %d", len(sealed), MaxSealedCheckpointSize)
	}
	if id == nil {
		return nil, errorf(ErrDecrypt, "no scorer key given")
	}
	inner, err := openAge(sealed, pqOnly{id}, MaxSealedCheckpointSize, "the checkpoint", "the checkpoint is not encrypted to this scorer key")
	if err != nil {
		return nil, err
	}
	return readCheckpointArchive(inner, "decrypted checkpoint", terminalID, terminalKey)
}

// readCheckpointArchive checks the archive of checkpoint.json and its signature.
func readCheckpointArchive(inner []byte, what, terminalID string, terminalKey ssh.PublicKey) (*OpenedCheckpoint, error) {
	parts, err := container.ReadNamed(inner, what, exam.MaxCheckpointSize, memberCheckpoint, memberCheckpointSig)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	plain, sig := parts[0], parts[1]
	if len(sig) > MaxSignatureSize {
		return nil, errorf(ErrMalformed, "checkpoint.json.sig is %d bytes, more than %d", len(sig), MaxSignatureSize)
	}
	if err := checkSignature(sig, plain, NamespaceCheckpoint, memberCheckpointSig, terminalKey); err != nil {
		return nil, err
	}
	cp, err := exam.ReadCheckpoint(plain)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	if cp.Terminal != terminalID {
		return nil, errorf(ErrBinding, "the checkpoint is of terminal %q, not %q", clip(cp.Terminal), clip(terminalID))
	}
	return &OpenedCheckpoint{Checkpoint: cp, JSON: plain, Sig: sig}, nil
}

// namedCheckpoint reads checkpoint.json plain, which the document namer (export.json, the
// hand-over) names by its SHA-256 (hex), attempt, number and terminal: ErrBinding when it is
// not the one named, ErrMalformed when it is no checkpoint.
func namedCheckpoint(plain []byte, namer, sha256Hex, attempt string, seq int64, from string) (*exam.Checkpoint, error) {
	sum := sha256.Sum256(plain)
	if hex.EncodeToString(sum[:]) != sha256Hex {
		return nil, errorf(ErrBinding, "the checkpoint is not the one %s names", namer)
	}
	cp, err := exam.ReadCheckpoint(plain)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	if cp.AttemptID != attempt || cp.Seq != seq || cp.Terminal != from {
		return nil, errorf(ErrBinding, "the checkpoint is of attempt %q, number %d, from %q; %s names %q, %d, %q",
			clip(cp.AttemptID), cp.Seq, clip(cp.Terminal), namer, clip(attempt), seq, clip(from))
	}
	return cp, nil
}

// FormatAdmissionCheck is the version of a terminal's question whether a candidate sits a part
// elsewhere already (POST /v1/admissions).
const FormatAdmissionCheck = "ispit-admission-check/1"

// AdmissionCheck asks the scorer, before a candidate is admitted, whether another terminal
// holds an attempt of theirs at that part of that bank.
type AdmissionCheck struct {
	Format    string `json:"format"`
	BankID    string `json:"bank_id"`
	Candidate string `json:"candidate"`
	Part      string `json:"part"`
}

// AdmissionAnswer is the scorer's answer: the attempt elsewhere, or all fields empty.
type AdmissionAnswer struct {
	Attempt  string     `json:"attempt,omitempty"`
	Terminal string     `json:"terminal,omitempty"`
	State    exam.State `json:"state,omitempty"`
}

// ReadAdmissionCheck decodes an admission check strictly.
func ReadAdmissionCheck(data []byte) (*AdmissionCheck, error) {
	if len(data) > MaxHandoverRequestSize {
		return nil, errorf(ErrTooLarge, "the admission check is %d bytes, more than %d", len(data), MaxHandoverRequestSize)
	}
	var c AdmissionCheck
	if err := decodeStrict(data, "admission check", &c); err != nil {
		return nil, err
	}
	switch {
	case c.Format != FormatAdmissionCheck:
		return nil, errorf(ErrUnsupportedFormat, "the admission check is %q; this program reads %q", clip(c.Format), FormatAdmissionCheck)
	case c.BankID == "" || c.Candidate == "" || c.Part == "" || len(c.Candidate) > 128:
		return nil, errorf(ErrMalformed, "the admission check needs a bank, a candidate (at most 128 bytes) and a part")
	}
	return &c, nil
}
