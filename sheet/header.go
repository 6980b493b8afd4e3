package sheet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"time"
)

// Format versions.
const (
	// FormatSealed is the version of the sealed sheet and of its header.
	FormatSealed = "ispit-sealed-sheet/1"
	// FormatReceipt is the version of the scorer's receipt.
	FormatReceipt = "ispit-receipt/1"
)

// SSHSIG namespaces: each kind of signature has its own, so that none can pass for another.
const (
	// NamespaceHeader is the namespace of header.json.sig, the terminal's signature over the
	// cleartext header.
	NamespaceHeader = "sheet-header@ispit"
	// NamespaceSheet is the namespace of sheet.json.sig, the terminal's signature over the
	// plain sheet.
	NamespaceSheet = "sheet@ispit"
	// NamespaceReceipt is the namespace of receipt.json.sig, the scorer's signature over a
	// receipt.
	NamespaceReceipt = "receipt@ispit"
	// NamespaceUpload is the namespace of the Ispit-Signature header of an upload request.
	NamespaceUpload = "upload@ispit"
)

// Size limits, in bytes. Readers refuse anything larger with ErrTooLarge (or, for a member of
// an archive, ErrMalformed) before they parse it.
const (
	// MaxSealedSize bounds a sealed sheet file, and the decrypted inner archive.
	MaxSealedSize = 16 << 20
	// MaxSheetSize bounds the plain sheet (sheet.json). It leaves room within MaxSealedSize
	// for the archives, the signatures and age's overhead.
	MaxSheetSize = 15 << 20
	// MaxHeaderSize bounds header.json.
	MaxHeaderSize = 4 << 10
	// MaxSignatureSize bounds an armored signature member (*.sig). An Ed25519 SSHSIG
	// signature is about 300 bytes.
	MaxSignatureSize = 4 << 10
	// MaxReceiptSize bounds a signed receipt file.
	MaxReceiptSize = 16 << 10
)

// Member names of the archives.
const (
	memberHeader     = "header.json"
	memberHeaderSig  = "header.json.sig"
	memberSheetAge   = "sheet.age"
	memberSheet      = "sheet.json"
	memberSheetSig   = "sheet.json.sig"
	memberReceipt    = "receipt.json"
	memberReceiptSig = "receipt.json.sig"
)

// timeLayout is the one form of times in headers and receipts: UTC, whole seconds.
const timeLayout = "2006-01-02T15:04:05Z"

// idPattern is what sheet, terminal, session and bank ids may be. The set is safe in file
// names (also on a FAT-formatted USB stick), in HTTP header values and in JSON without escapes.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidID reports whether s may be used as a sheet, terminal, session or bank id: 1 to 128
// characters from A–Z, a–z, 0–9, '.', '_' and '-', starting with a letter or digit. Seal
// refuses a header with any other id, so enrolment should check terminal ids with it.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// Header is the cleartext header of a sealed sheet. It says, without decrypting anything,
// which sheet this is and which terminal sealed it, so that the scorer can pick the terminal
// key to check it with.
type Header struct {
	// Format is FormatSealed (Seal fills it in when empty).
	Format string
	// SheetID is the sheet's id, the attempt id of the plain sheet.
	SheetID string
	// Terminal is the id of the terminal that sealed and signed the sheet.
	Terminal string
	// Session is the id of the exam session.
	Session string
	// BankID is the id of the bank the sheet answers.
	BankID string
	// SealedAt is when the sheet was sealed, in UTC, whole seconds.
	SealedAt time.Time
	// SheetAgeSHA256 is the SHA-256 of the sheet.age member (32 bytes). Seal fills it in.
	SheetAgeSHA256 []byte
}

// headerJSON is the header as header.json carries it.
type headerJSON struct {
	Format         string `json:"format"`
	SheetID        string `json:"sheet_id"`
	Terminal       string `json:"terminal"`
	Session        string `json:"session"`
	BankID         string `json:"bank_id"`
	SealedAt       string `json:"sealed_at"`
	SheetAgeSHA256 string `json:"sheet_age_sha256,omitempty"`
}

// encodeHeader returns the canonical header.json: JSON indented by two spaces with the fields
// in a fixed order and a final newline. The inner header (withDigest false) is the outer one
// without the sheet_age_sha256 line.
func encodeHeader(h *Header, withDigest bool) []byte {
	j := headerJSON{
		Format:   h.Format,
		SheetID:  h.SheetID,
		Terminal: h.Terminal,
		Session:  h.Session,
		BankID:   h.BankID,
		SealedAt: h.SealedAt.UTC().Format(timeLayout),
	}
	if withDigest {
		j.SheetAgeSHA256 = hex.EncodeToString(h.SheetAgeSHA256)
	}
	return marshalCanonical(j)
}

// marshalCanonical encodes v (a struct of plain strings) as JSON indented by two spaces, with
// a final newline.
func marshalCanonical(v any) []byte {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic("sheet: encoding JSON: " + err.Error()) // only plain strings
	}
	return append(data, '\n')
}

// checkHeaderFields checks the ids of h and that its time can be written. The error wraps no
// sentinel: callers add theirs.
func checkHeaderFields(h *Header) error {
	for _, f := range []struct{ name, value string }{
		{"sheet_id", h.SheetID}, {"terminal", h.Terminal}, {"session", h.Session}, {"bank_id", h.BankID},
	} {
		if !ValidID(f.value) {
			return fmt.Errorf("%s %q is not a valid id (1 to 128 of A-Z a-z 0-9 . _ -, starting with a letter or digit)", f.name, clip(f.value))
		}
	}
	if _, err := parseTime(h.SealedAt.UTC().Format(timeLayout)); err != nil {
		return fmt.Errorf("sealed-at %v cannot be written as %s", h.SealedAt, timeLayout)
	}
	return nil
}

// decodeHeader reads a header.json. The outer header (withDigest true) must carry the digest of
// sheet.age; the inner one must not. Anything but the canonical encoding is refused.
func decodeHeader(data []byte, withDigest bool) (*Header, error) {
	if len(data) > MaxHeaderSize {
		return nil, errorf(ErrMalformed, "header.json is %d bytes, more than %d", len(data), MaxHeaderSize)
	}
	if err := checkFormat(data, "header.json", FormatSealed); err != nil {
		return nil, err
	}
	var j headerJSON
	if err := decodeStrict(data, "header.json", &j); err != nil {
		return nil, err
	}
	h := &Header{Format: j.Format, SheetID: j.SheetID, Terminal: j.Terminal, Session: j.Session, BankID: j.BankID}
	t, err := parseTime(j.SealedAt)
	if err != nil {
		return nil, errorf(ErrMalformed, "header.json: sealed_at %q is not a UTC time of the form %s", clip(j.SealedAt), timeLayout)
	}
	h.SealedAt = t
	if err := checkHeaderFields(h); err != nil {
		return nil, errorf(ErrMalformed, "header.json: %v", err)
	}
	switch {
	case withDigest:
		d, err := parseDigest(j.SheetAgeSHA256)
		if err != nil {
			return nil, errorf(ErrMalformed, "header.json: sheet_age_sha256: %v", err)
		}
		h.SheetAgeSHA256 = d
	case j.SheetAgeSHA256 != "":
		return nil, errorf(ErrMalformed, "the inner header.json must not carry sheet_age_sha256")
	}
	if !bytes.Equal(encodeHeader(h, withDigest), data) {
		return nil, errorf(ErrMalformed, "header.json is not in canonical form (two-space indented JSON, fields in order, final newline)")
	}
	return h, nil
}

// checkFormat reads just the "format" field of a JSON document and refuses any other version
// than want with ErrUnsupportedFormat, before the document is decoded strictly.
func checkFormat(data []byte, what, want string) error {
	var probe struct {
		Format *string `json:"format"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return errorf(ErrMalformed, "%s is not one JSON object: %v", what, err)
	}
	if probe.Format == nil {
		return errorf(ErrMalformed, "%s has no \"format\"", what)
	}
	if *probe.Format != want {
		return errorf(ErrUnsupportedFormat, "%s is %q; this program reads %q", what, clip(*probe.Format), want)
	}
	return nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and trailing data.
func decodeStrict(data []byte, what string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errorf(ErrMalformed, "%s: %v", what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(ErrMalformed, "%s: data after the JSON object", what)
	}
	return nil
}

// parseTime parses a time in timeLayout, and only in exactly that form. The error wraps no
// sentinel.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, err
	}
	if t.Format(timeLayout) != s {
		return time.Time{}, fmt.Errorf("time %q is not in the form %s", clip(s), timeLayout)
	}
	return t, nil
}

// parseDigest parses a SHA-256 digest written as 64 lower-case hex digits. The error wraps no
// sentinel.
func parseDigest(s string) ([]byte, error) {
	d, err := hex.DecodeString(s)
	if err != nil || len(d) != 32 || hex.EncodeToString(d) != s {
		return nil, fmt.Errorf("%q is not a SHA-256 digest in 64 lower-case hex digits", clip(s))
	}
	return d, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
