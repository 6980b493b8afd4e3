package sheet

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// Attempt export format and namespace: an attempt a proctor carries on removable media to a
// spare terminal while the scorer cannot be reached.
const (
	// FormatAttemptExport is the version of export.json.
	FormatAttemptExport = "ispit-attempt-export/1"
	// NamespaceAttemptExport is the namespace of export.json.sig, the old terminal's
	// signature over export.json.
	NamespaceAttemptExport = "attempt-export@ispit"
	// AttemptExportExt is the file name extension of an exported attempt.
	AttemptExportExt = ".attempt"
)

const (
	memberExport    = "export.json"
	memberExportSig = "export.json.sig"
	// maxExportWorkFactor is the most an import spends on the start code (log2 N), as a
	// bank's opening does.
	maxExportWorkFactor = 22
)

// AttemptExport is export.json: which checkpoint of which attempt the terminal From exported,
// when and by whom.
type AttemptExport struct {
	Format           string    `json:"format"`
	AttemptID        string    `json:"attempt_id"`
	From             string    `json:"from"`
	Seq              int64     `json:"seq"`
	CheckpointSHA256 string    `json:"checkpoint_sha256"` // of checkpoint.json
	ExportedAt       time.Time `json:"exported_at"`
	ExportedBy       string    `json:"exported_by"`
}

// SealAttemptExport writes an exported attempt: the archive of export.json (signed with the
// terminal key in NamespaceAttemptExport) and the checkpoint, encrypted with age's scrypt
// recipient to the session's start code at the bank's work factor. Only a terminal that knows
// the start code — one of the same exam, in the room — can read it. by is the proctor who
// exported it; at the time.
func SealAttemptExport(cp *exam.Checkpoint, by string, at time.Time, terminal ssh.Signer, startCode string) ([]byte, error) {
	if terminal == nil || cp == nil {
		return nil, errorf(ErrInvalid, "an export needs the checkpoint and the terminal key")
	}
	code, err := bank.ParseStartCode(startCode)
	if err != nil {
		return nil, errorf(ErrInvalid, "the start code: %v", err)
	}
	if at.IsZero() || by == "" {
		return nil, errorf(ErrInvalid, "an export needs its time and who made it")
	}
	plain := cp.Marshal()
	if _, err := exam.ReadCheckpoint(plain); err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	sum := sha256.Sum256(plain)
	doc, err := json.Marshal(AttemptExport{Format: FormatAttemptExport, AttemptID: cp.AttemptID, From: cp.Terminal, Seq: cp.Seq,
		CheckpointSHA256: hex.EncodeToString(sum[:]), ExportedAt: at.UTC(), ExportedBy: by})
	if err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	sig, err := sshsig.Sign(terminal, NamespaceAttemptExport, doc)
	if err != nil {
		return nil, errorf(ErrSigning, "signing export.json: %w", err)
	}
	recipient, err := age.NewScryptRecipient(code)
	if err != nil {
		return nil, errorf(ErrRecipient, "%v", err)
	}
	recipient.SetWorkFactor(bank.DefaultWorkFactor)
	inner := container.Write([]container.Member{
		{Name: memberExport, Data: doc},
		{Name: memberExportSig, Data: sig},
		{Name: memberCheckpoint, Data: plain},
	})
	out, err := sealAge(inner, recipient, "the export")
	if err != nil {
		return nil, err
	}
	if len(out) > MaxSealedCheckpointSize {
		return nil, errorf(ErrTooLarge, "the export would be %d bytes, more than %d", len(out), MaxSealedCheckpointSize)
	}
	return out, nil
}

// OpenedAttemptExport is an exported attempt that OpenAttemptExport has decrypted and checked.
type OpenedAttemptExport struct {
	Export     AttemptExport
	Checkpoint *exam.Checkpoint
	// Signer is the fingerprint of the key that signed export.json: the old terminal's, which
	// the scorer's operator can compare with the key enrolled for Export.From.
	Signer string
	// Proof is export.json as signed and its signature, which the spare keeps with the attempt
	// and sends to the scorer (CheckExportProof).
	Proof exam.ExportProof
}

// OpenAttemptExport decrypts an exported attempt with the session's start code and checks, in
// order: the size (ErrTooLarge); that it opens with the start code (ErrDecrypt: another exam's
// export, or a damaged file); the archive (ErrMalformed); the signature over export.json in
// NamespaceAttemptExport (ErrSignature; the key is the one in the signature, which the spare
// cannot know is enrolled — the start code is what vouches for the file here); export.json
// itself (ErrUnsupportedFormat, ErrMalformed); that the checkpoint is the one it names, of its
// attempt, number and terminal (ErrBinding); and the checkpoint (exam.ReadCheckpoint:
// ErrMalformed). It never panics.
func OpenAttemptExport(data []byte, startCode string) (*OpenedAttemptExport, error) {
	if len(data) > MaxSealedCheckpointSize {
		return nil, errorf(ErrTooLarge, "the export is %d bytes, more than %d", len(data), MaxSealedCheckpointSize)
	}
	code, err := bank.ParseStartCode(startCode)
	if err != nil {
		return nil, errorf(ErrInvalid, "the start code: %v", err)
	}
	id, err := age.NewScryptIdentity(code)
	if err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	id.SetMaxWorkFactor(maxExportWorkFactor)
	inner, err := openAge(data, id, MaxSealedCheckpointSize, "the export", "the export does not open with this session's start code")
	if err != nil {
		return nil, err
	}
	parts, err := container.ReadNamed(inner, "exported attempt", exam.MaxCheckpointSize, memberExport, memberExportSig, memberCheckpoint)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	doc, sig, plain := parts[0], parts[1], parts[2]
	if len(sig) > MaxSignatureSize {
		return nil, errorf(ErrMalformed, "export.json.sig is %d bytes, more than %d", len(sig), MaxSignatureSize)
	}
	signer, err := sshsig.Verify(sig, doc, NamespaceAttemptExport)
	if err != nil {
		return nil, errorf(ErrSignature, "export.json.sig: %w", err)
	}
	x, err := readExportDoc(doc)
	if err != nil {
		return nil, err
	}
	cp, err := namedCheckpoint(plain, "export.json", x.CheckpointSHA256, x.AttemptID, x.Seq, x.From)
	if err != nil {
		return nil, err
	}
	return &OpenedAttemptExport{Export: x, Checkpoint: cp, Signer: sshsig.Fingerprint(signer),
		Proof: exam.ExportProof{Export: doc, Signature: sig}}, nil
}

// readExportDoc decodes export.json strictly (ErrMalformed) and checks its format version
// (ErrUnsupportedFormat).
func readExportDoc(doc []byte) (AttemptExport, error) {
	var x AttemptExport
	if err := decodeStrict(doc, memberExport, &x); err != nil {
		return x, err
	}
	if x.Format != FormatAttemptExport {
		return x, errorf(ErrUnsupportedFormat, "export.json is %q; this program reads %q", clip(x.Format), FormatAttemptExport)
	}
	return x, nil
}

// CheckExportProof checks that p is an export of attempt attemptID made by terminal from, whose
// enrolled key is key: the signature in NamespaceAttemptExport by that key (ErrSignature), and
// export.json (ErrUnsupportedFormat, ErrMalformed; ErrBinding when it names another attempt or
// terminal). The scorer asks it before it lets a spare take over an attempt it did not hand
// over. It never panics.
func CheckExportProof(p *exam.ExportProof, key ssh.PublicKey, attemptID, from string) error {
	if p == nil {
		return errorf(ErrSignature, "no export of attempt %s from terminal %s was sent", clip(attemptID), clip(from))
	}
	if len(p.Export) > exam.MaxCheckpointSize || len(p.Signature) > MaxSignatureSize {
		return errorf(ErrTooLarge, "the export's proof is %d + %d bytes, more than %d + %d", len(p.Export), len(p.Signature), exam.MaxCheckpointSize, MaxSignatureSize)
	}
	if err := checkSignature(p.Signature, p.Export, NamespaceAttemptExport, memberExportSig+" of terminal "+clip(from), key); err != nil {
		return err
	}
	x, err := readExportDoc(p.Export)
	if err != nil {
		return err
	}
	if x.AttemptID != attemptID || x.From != from {
		return errorf(ErrBinding, "the export is of attempt %q from %q, not of %q from %q", clip(x.AttemptID), clip(x.From), clip(attemptID), clip(from))
	}
	return nil
}
