package sheet

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// Hand-over formats and namespace.
const (
	// FormatHandover is the version of handover.json, the scorer's leave for a spare terminal
	// to continue an attempt.
	FormatHandover = "ispit-handover/1"
	// FormatHandoverRequest is the version of a spare terminal's request for a hand-over.
	FormatHandoverRequest = "ispit-handover-request/1"
	// NamespaceHandover is the namespace of handover.json.sig, the scorer's signature (by its
	// receipt key) over handover.json.
	NamespaceHandover = "handover@ispit"
)

const (
	memberHandover    = "handover.json"
	memberHandoverSig = "handover.json.sig"
)

// Handover is the scorer's leave for the terminal To to continue the attempt from the
// checkpoint it carries, which the terminal From made.
type Handover struct {
	Format           string `json:"format"`
	AttemptID        string `json:"attempt_id"`
	From             string `json:"from"`
	To               string `json:"to"`
	Seq              int64  `json:"seq"`
	CheckpointSHA256 string `json:"checkpoint_sha256"` // of checkpoint.json
	// CheckpointReceivedAt is when the scorer received the checkpoint: the spare shows the
	// proctor how old it is.
	CheckpointReceivedAt time.Time `json:"checkpoint_received_at"`
	HandedAt             time.Time `json:"handed_at"`
	// ConfirmedBy is the secretary who confirmed the move on the console, or "" when the old
	// terminal had been silent long enough.
	ConfirmedBy string `json:"confirmed_by,omitempty"`
	// Request is the nonce of the spare's request, so that the spare knows this is the answer
	// to its own.
	Request string `json:"request"`
}

// HandoverRequest is what a spare terminal sends, signed like any upload, to continue the
// running attempt of a candidate.
type HandoverRequest struct {
	Format    string    `json:"format"`
	Candidate string    `json:"candidate"`
	Nonce     string    `json:"nonce"` // 32 hex digits, new for every request
	At        time.Time `json:"at"`
}

// HandoverRefusal is the JSON body of a refused hand-over request (404, 409): the reason's
// code, the attempt's terminal, and how long it has been silent and must be, so that the spare
// terminal can say it in the proctor's language.
type HandoverRefusal struct {
	Error    string `json:"error"`
	Reason   string `json:"reason"`
	Terminal string `json:"terminal,omitempty"`
	SilentS  int64  `json:"silent_s,omitempty"`
	NeededS  int64  `json:"needed_s,omitempty"`
}

// The reasons of a HandoverRefusal.
const (
	HandoverNoAttempt  = "no-attempt"  // the scorer has no checkpoint of a running attempt of the candidate
	HandoverSubmitted  = "submitted"   // the attempt was submitted: nothing to continue
	HandoverStillAlive = "still-alive" // its terminal sent a checkpoint lately
	HandoverSameTerm   = "same-terminal"
	HandoverReplayed   = "replayed"
	HandoverChanged    = "changed" // a newer checkpoint arrived while the hand-over was made
)

// MaxHandoverRequestSize bounds a hand-over request.
const MaxHandoverRequestSize = 4 << 10

// ReadHandoverRequest decodes a hand-over request strictly and checks its fields.
func ReadHandoverRequest(data []byte) (*HandoverRequest, error) {
	if len(data) > MaxHandoverRequestSize {
		return nil, errorf(ErrTooLarge, "the hand-over request is %d bytes, more than %d", len(data), MaxHandoverRequestSize)
	}
	var r HandoverRequest
	if err := decodeStrict(data, "hand-over request", &r); err != nil {
		return nil, err
	}
	switch {
	case r.Format != FormatHandoverRequest:
		return nil, errorf(ErrUnsupportedFormat, "the hand-over request is %q; this program reads %q", clip(r.Format), FormatHandoverRequest)
	case r.Candidate == "" || len(r.Candidate) > 128:
		return nil, errorf(ErrMalformed, "the hand-over request names no candidate, or one longer than 128 bytes")
	case !isNonce(r.Nonce):
		return nil, errorf(ErrMalformed, "the hand-over request's nonce %q is not 32 lower-case hex digits", clip(r.Nonce))
	case r.At.IsZero():
		return nil, errorf(ErrMalformed, "the hand-over request has no time")
	}
	return &r, nil
}

func isNonce(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 16 && hex.EncodeToString(b) == s
}

// SealHandover signs the hand-over with the scorer's receipt key and encrypts it, with the
// checkpoint as its terminal signed it, to the spare terminal's key (an ssh-ed25519 key: age's
// ssh recipient), so that only that terminal can read the candidate's answers.
func SealHandover(h Handover, cp *OpenedCheckpoint, scorer ssh.Signer, to ssh.PublicKey) ([]byte, error) {
	if scorer == nil || to == nil || cp == nil {
		return nil, errorf(ErrInvalid, "a hand-over needs the scorer's key, the spare terminal's key and the checkpoint")
	}
	recipient, err := agessh.NewEd25519Recipient(to)
	if err != nil {
		return nil, errorf(ErrRecipient, "the spare terminal's key: %v", err)
	}
	h.Format = FormatHandover
	sum := sha256.Sum256(cp.JSON)
	h.CheckpointSHA256 = hex.EncodeToString(sum[:])
	doc, err := json.Marshal(h)
	if err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	sig, err := sshsig.Sign(scorer, NamespaceHandover, doc)
	if err != nil {
		return nil, errorf(ErrSigning, "signing handover.json: %w", err)
	}
	inner := container.Write([]container.Member{
		{Name: memberHandover, Data: doc},
		{Name: memberHandoverSig, Data: sig},
		{Name: memberCheckpoint, Data: cp.JSON},
		{Name: memberCheckpointSig, Data: cp.Sig},
	})
	return sealAge(inner, recipient, "the hand-over")
}

// OpenedHandover is a hand-over the spare terminal has decrypted and checked.
type OpenedHandover struct {
	Handover      Handover
	Checkpoint    *exam.Checkpoint
	CheckpointRaw []byte // checkpoint.json as the old terminal signed it
	CheckpointSig []byte // the old terminal's signature, kept for the record
}

// OpenHandover decrypts a hand-over with the spare terminal's identity and checks: the archive
// (ErrMalformed); the scorer's signature by scorerKey in namespace NamespaceHandover
// (ErrSignature); that it is for terminalID and answers the request with nonce (ErrBinding);
// and that the checkpoint is the one it names, of its attempt, sequence number and terminal
// (ErrBinding, ErrMalformed). The old terminal's signature over the checkpoint is kept, not
// checked: the spare does not know that terminal's key, the scorer checked it on arrival.
func OpenHandover(sealed []byte, id age.Identity, terminalID, nonce string, scorerKey ssh.PublicKey) (*OpenedHandover, error) {
	if len(sealed) > MaxSealedCheckpointSize {
		return nil, errorf(ErrTooLarge, "the hand-over is %d bytes, more than %d", len(sealed), MaxSealedCheckpointSize)
	}
	inner, err := openAge(sealed, id, MaxSealedCheckpointSize, "the hand-over", "the hand-over is not encrypted to this terminal")
	if err != nil {
		return nil, err
	}
	parts, err := container.ReadNamed(inner, "hand-over", exam.MaxCheckpointSize, memberHandover, memberHandoverSig, memberCheckpoint, memberCheckpointSig)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	doc, sig, plain, cpSig := parts[0], parts[1], parts[2], parts[3]
	if err := checkSignature(sig, doc, NamespaceHandover, memberHandoverSig, scorerKey); err != nil {
		return nil, err
	}
	var h Handover
	if err := decodeStrict(doc, memberHandover, &h); err != nil {
		return nil, err
	}
	if h.Format != FormatHandover {
		return nil, errorf(ErrUnsupportedFormat, "handover.json is %q; this program reads %q", clip(h.Format), FormatHandover)
	}
	if h.To != terminalID {
		return nil, errorf(ErrBinding, "the hand-over is for terminal %q, not %q", clip(h.To), clip(terminalID))
	}
	if h.Request != nonce {
		return nil, errorf(ErrBinding, "the hand-over answers another request")
	}
	cp, err := namedCheckpoint(plain, "the hand-over", h.CheckpointSHA256, h.AttemptID, h.Seq, h.From)
	if err != nil {
		return nil, err
	}
	return &OpenedHandover{Handover: h, Checkpoint: cp, CheckpointRaw: plain, CheckpointSig: cpSig}, nil
}
