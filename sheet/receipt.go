package sheet

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// Receipt is the scorer's acknowledgement of a sealed sheet: it names the sheet and the exact
// sealed bytes it received, and carries the short code the candidate writes down.
type Receipt struct {
	// Format is FormatReceipt (SignReceipt fills it in when empty).
	Format string
	// SheetID is the id of the sheet received.
	SheetID string
	// SealedSHA256 is the SHA-256 of the sealed sheet file as received (32 bytes).
	SealedSHA256 []byte
	// ReceivedAt is when the scorer first stored the sheet, in UTC, whole seconds.
	ReceivedAt time.Time
	// Code is ReceiptCode(SealedSHA256) (SignReceipt fills it in when empty).
	Code string
}

// receiptJSON is the receipt as receipt.json carries it.
type receiptJSON struct {
	Format       string `json:"format"`
	SheetID      string `json:"sheet_id"`
	SealedSHA256 string `json:"sealed_sha256"`
	ReceivedAt   string `json:"received_at"`
	Code         string `json:"code"`
}

// crockford is Crockford's base32 alphabet, the alphabet of start codes too.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// receiptCodeSymbols is the number of symbols of a receipt code: 50 bits of the digest.
const receiptCodeSymbols = 10

// ReceiptCode is the code a candidate writes down for a sealed sheet: the first 50 bits of
// the SHA-256 of the sealed file (big-endian, most significant bit first) as 10 symbols of
// Crockford's base32 alphabet, printed in two groups of five: "XXXXX-XXXXX". It returns "" for
// a digest shorter than 7 bytes.
func ReceiptCode(sealedSHA256 []byte) string {
	if len(sealedSHA256) < 7 {
		return ""
	}
	var v uint64
	for _, b := range sealedSHA256[:7] {
		v = v<<8 | uint64(b)
	}
	v >>= 56 - 5*receiptCodeSymbols // keep the first 50 bits
	var code [receiptCodeSymbols + 1]byte
	for i := receiptCodeSymbols - 1; i >= 0; i-- {
		pos := i
		if i >= 5 {
			pos++
		}
		code[pos] = crockford[v&31]
		v >>= 5
	}
	code[5] = '-'
	return string(code[:])
}

// SealedReceiptCode is the receipt code of a sealed sheet file: ReceiptCode(SealedSHA256(sealed)).
// The code depends on nothing but the sealed bytes, so the kiosk, which keeps those bytes in its
// outbox from the moment of sealing, knows the code the scorer's receipt will carry before the
// sheet leaves the terminal: it shows it at once, marked not yet delivered, and VerifyReceipt
// holds the scorer to it (a receipt whose digest is not that of these bytes is refused). The
// bytes, not the answers, decide it: sealing the same answers again encrypts them afresh and
// gives another code, so the code shown must be that of the file stored.
func SealedReceiptCode(sealed []byte) string { return ReceiptCode(SealedSHA256(sealed)) }

// NormalizeReceiptCode reads a receipt code as a person may type it: case, spaces and hyphens
// do not matter, I and L count as 1 and O as 0. It returns the code in its printed form, or an
// error wrapping ErrMalformed.
func NormalizeReceiptCode(s string) (string, error) {
	var sym []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'I' || r == 'L':
			r = '1'
		case r == 'O':
			r = '0'
		}
		if r > 0x7f || strings.IndexByte(crockford, byte(r)) < 0 {
			return "", errorf(ErrMalformed, "receipt code %q: %q is not a symbol of a receipt code", clip(s), r)
		}
		sym = append(sym, byte(r))
	}
	if len(sym) != receiptCodeSymbols {
		return "", errorf(ErrMalformed, "receipt code %q has %d symbols, not %d", clip(s), len(sym), receiptCodeSymbols)
	}
	return string(sym[:5]) + "-" + string(sym[5:]), nil
}

// NewReceipt returns the receipt for a sealed sheet received at receivedAt: its format, the
// sheet id, the digest of the sealed bytes and the receipt code.
func NewReceipt(sheetID string, sealed []byte, receivedAt time.Time) Receipt {
	digest := SealedSHA256(sealed)
	return Receipt{
		Format:       FormatReceipt,
		SheetID:      sheetID,
		SealedSHA256: digest,
		ReceivedAt:   receivedAt.UTC().Truncate(time.Second),
		Code:         ReceiptCode(digest),
	}
}

// encodeReceipt returns the canonical receipt.json.
func encodeReceipt(r *Receipt) []byte {
	return marshalCanonical(receiptJSON{
		Format:       r.Format,
		SheetID:      r.SheetID,
		SealedSHA256: hexDigest(r.SealedSHA256),
		ReceivedAt:   r.ReceivedAt.UTC().Format(timeLayout),
		Code:         r.Code,
	})
}

// SignReceipt signs a receipt with the scorer's receipt key and returns the receipt file: a
// canonical archive of receipt.json and its SSHSIG signature receipt.json.sig (namespace
// NamespaceReceipt). Empty Format and Code are filled in; ReceivedAt is kept in UTC to the
// second. The same receipt signed twice gives the same bytes (Ed25519 is deterministic).
func SignReceipt(r Receipt, scorer ssh.Signer) ([]byte, error) {
	if scorer == nil {
		return nil, errorf(ErrInvalid, "no scorer receipt key given")
	}
	switch r.Format {
	case "":
		r.Format = FormatReceipt
	case FormatReceipt:
	default:
		return nil, errorf(ErrUnsupportedFormat, "cannot sign a receipt as %q, only as %q", clip(r.Format), FormatReceipt)
	}
	if !ValidID(r.SheetID) {
		return nil, errorf(ErrInvalid, "receipt: sheet id %q is not a valid id", clip(r.SheetID))
	}
	if len(r.SealedSHA256) != sha256.Size {
		return nil, errorf(ErrInvalid, "receipt: the digest of the sealed sheet is %d bytes, not %d", len(r.SealedSHA256), sha256.Size)
	}
	if r.ReceivedAt.IsZero() {
		return nil, errorf(ErrInvalid, "receipt: no received-at time")
	}
	r.ReceivedAt = r.ReceivedAt.UTC().Truncate(time.Second)
	if _, err := parseTime(r.ReceivedAt.Format(timeLayout)); err != nil {
		return nil, errorf(ErrInvalid, "receipt: received-at %v cannot be written as %s", r.ReceivedAt, timeLayout)
	}
	want := ReceiptCode(r.SealedSHA256)
	switch r.Code {
	case "":
		r.Code = want
	case want:
	default:
		return nil, errorf(ErrInvalid, "receipt: code %q is not the code of the digest (%s)", clip(r.Code), want)
	}
	doc := encodeReceipt(&r)
	sig, err := sshsig.Sign(scorer, NamespaceReceipt, doc)
	if err != nil {
		return nil, errorf(ErrSigning, "signing receipt.json: %w", err)
	}
	return container.Write([]container.Member{
		{Name: memberReceipt, Data: doc},
		{Name: memberReceiptSig, Data: sig},
	}), nil
}

// VerifyReceipt checks a receipt file against the scorer's receipt key and the sealed sheet
// it acknowledges: the size and canonical archive (ErrTooLarge, ErrMalformed), the signature
// in namespace NamespaceReceipt by scorerKey (ErrSignature), the strict and canonical
// receipt.json (ErrUnsupportedFormat, ErrMalformed), and that its digest is the SHA-256 of
// sealed, its sheet id the one in sealed's header and its code the code of the digest
// (ErrBinding). It never panics.
func VerifyReceipt(data []byte, scorerKey ssh.PublicKey, sealed []byte) (*Receipt, error) {
	if len(data) > MaxReceiptSize {
		return nil, errorf(ErrTooLarge, "the receipt is %d bytes, more than %d", len(data), MaxReceiptSize)
	}
	parts, err := container.ReadNamed(data, "receipt", MaxReceiptSize, memberReceipt, memberReceiptSig)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	doc, sig := parts[0], parts[1]
	if err := checkSignature(sig, doc, NamespaceReceipt, memberReceiptSig, scorerKey); err != nil {
		return nil, err
	}
	r, err := decodeReceipt(doc)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(r.SealedSHA256, SealedSHA256(sealed)) {
		return nil, errorf(ErrBinding, "the receipt is for sealed bytes with SHA-256 %x, not for this sheet (%x)", r.SealedSHA256, SealedSHA256(sealed))
	}
	h, err := ReadHeader(sealed)
	if err != nil {
		return nil, err
	}
	if r.SheetID != h.SheetID {
		return nil, errorf(ErrBinding, "the receipt names sheet %q, the sealed sheet is %q", r.SheetID, h.SheetID)
	}
	if want := ReceiptCode(r.SealedSHA256); r.Code != want {
		return nil, errorf(ErrBinding, "the receipt code %q is not the code of its digest (%s)", clip(r.Code), want)
	}
	return r, nil
}

// decodeReceipt reads receipt.json strictly, in canonical form only.
func decodeReceipt(doc []byte) (*Receipt, error) {
	if err := checkFormat(doc, "receipt.json", FormatReceipt); err != nil {
		return nil, err
	}
	var j receiptJSON
	if err := decodeStrict(doc, "receipt.json", &j); err != nil {
		return nil, err
	}
	if !ValidID(j.SheetID) {
		return nil, errorf(ErrMalformed, "receipt.json: sheet_id %q is not a valid id", clip(j.SheetID))
	}
	digest, err := parseDigest(j.SealedSHA256)
	if err != nil {
		return nil, errorf(ErrMalformed, "receipt.json: sealed_sha256: %v", err)
	}
	at, err := parseTime(j.ReceivedAt)
	if err != nil {
		return nil, errorf(ErrMalformed, "receipt.json: received_at %q is not a UTC time of the form %s", clip(j.ReceivedAt), timeLayout)
	}
	r := &Receipt{Format: j.Format, SheetID: j.SheetID, SealedSHA256: digest, ReceivedAt: at, Code: j.Code}
	if !bytes.Equal(encodeReceipt(r), doc) {
		return nil, errorf(ErrMalformed, "receipt.json is not in canonical form (two-space indented JSON, fields in order, final newline)")
	}
	return r, nil
}
