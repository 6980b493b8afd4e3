package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// hybridStanza is the age recipient stanza type of a HybridRecipient.
const hybridStanza = "mlkem768x25519"

// Seal signs the plain sheet with the terminal key and encrypts it to the scorer's sheet key,
// and returns the sealed sheet file (docs/sheet-format.md).
//
// plain must be an exam.Sheet (`ispit-sheet/1`) as exam.Sheet.Marshal writes it, of at most
// MaxSheetSize bytes, whose sheet id, terminal, session and bank id are those of h. h.Format
// may be empty (it is FormatSealed); a zero h.SealedAt means now; the time is kept in UTC to
// the second. Seal fills in h.SheetAgeSHA256. terminal must be an Ed25519 key; scorer must be
// an *age.HybridRecipient (ML-KEM-768+X25519): any other recipient is refused with
// ErrRecipient, so that a sheet is never readable by a future quantum computer.
//
// Seal refuses what Open would refuse, so a sealed sheet that leaves a terminal opens at the
// scorer.
func Seal(plain []byte, h Header, terminal ssh.Signer, scorer age.Recipient) ([]byte, error) {
	recipient, ok := scorer.(*age.HybridRecipient)
	if ok && recipient == nil {
		return nil, errorf(ErrRecipient, "got a nil *age.HybridRecipient")
	}
	if !ok {
		return nil, errorf(ErrRecipient, "got %T; make the scorer's sheet key with `scorer keygen` or `age-keygen -pq` (an age1pq1… recipient)", scorer)
	}
	if terminal == nil {
		return nil, errorf(ErrInvalid, "no terminal key given")
	}
	if len(plain) > MaxSheetSize {
		return nil, errorf(ErrTooLarge, "the plain sheet is %d bytes, more than %d", len(plain), MaxSheetSize)
	}
	switch h.Format {
	case "":
		h.Format = FormatSealed
	case FormatSealed:
	default:
		return nil, errorf(ErrUnsupportedFormat, "cannot seal as %q, only as %q", clip(h.Format), FormatSealed)
	}
	if h.SealedAt.IsZero() {
		h.SealedAt = time.Now()
	}
	h.SealedAt = h.SealedAt.UTC().Truncate(time.Second)
	if err := checkHeaderFields(&h); err != nil {
		return nil, errorf(ErrInvalid, "header: %v", err)
	}
	s, err := decodeSheet(plain)
	if err != nil {
		return nil, err
	}
	if err := checkSheetBinding(s, &h); err != nil {
		return nil, err
	}

	sheetSig, err := sshsig.Sign(terminal, NamespaceSheet, plain)
	if err != nil {
		return nil, errorf(ErrSigning, "signing sheet.json: %w", err)
	}
	inner := container.Write([]container.Member{
		{Name: memberHeader, Data: encodeHeader(&h, false)},
		{Name: memberSheet, Data: plain},
		{Name: memberSheetSig, Data: sheetSig},
	})
	encrypted, err := sealAge(inner, recipient, "sheet.age")
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(encrypted)
	h.SheetAgeSHA256 = digest[:]
	header := encodeHeader(&h, true)
	headerSig, err := sshsig.Sign(terminal, NamespaceHeader, header)
	if err != nil {
		return nil, errorf(ErrSigning, "signing header.json: %w", err)
	}
	sealed := container.Write([]container.Member{
		{Name: memberHeader, Data: header},
		{Name: memberHeaderSig, Data: headerSig},
		{Name: memberSheetAge, Data: encrypted},
	})
	if len(sealed) > MaxSealedSize {
		return nil, errorf(ErrTooLarge, "the sealed sheet would be %d bytes, more than %d", len(sealed), MaxSealedSize)
	}
	return sealed, nil
}

// ReadHeader returns the cleartext header of a sealed sheet, WITHOUT checking its signature:
// it is for routing (which terminal's key to Open the sheet with) and for showing, never for
// trusting. It checks the archive and the header's format as Open does.
func ReadHeader(sealed []byte) (*Header, error) {
	h, _, err := readOuter(sealed)
	return h, err
}

// outerParts are the members of a sealed sheet.
type outerParts struct {
	header, headerSig, sheetAge []byte
}

// readOuter checks the size and the archive of a sealed sheet and decodes its header.
func readOuter(sealed []byte) (*Header, *outerParts, error) {
	if len(sealed) > MaxSealedSize {
		return nil, nil, errorf(ErrTooLarge, "the sealed sheet is %d bytes, more than %d", len(sealed), MaxSealedSize)
	}
	parts, err := container.ReadNamed(sealed, "sealed sheet", MaxSealedSize, memberHeader, memberHeaderSig, memberSheetAge)
	if err != nil {
		return nil, nil, errorf(ErrMalformed, "%v", err)
	}
	p := &outerParts{header: parts[0], headerSig: parts[1], sheetAge: parts[2]}
	if len(p.headerSig) > MaxSignatureSize {
		return nil, nil, errorf(ErrMalformed, "header.json.sig is %d bytes, more than %d", len(p.headerSig), MaxSignatureSize)
	}
	h, err := decodeHeader(p.header, true)
	if err != nil {
		return nil, nil, err
	}
	return h, p, nil
}

// Opened is a sealed sheet that Open has checked and decrypted.
type Opened struct {
	// Header is the checked header (the same outside and inside).
	Header Header
	// Sheet is the decoded plain sheet.
	Sheet *exam.Sheet
	// SheetJSON is the plain sheet exactly as the terminal signed it.
	SheetJSON []byte
	// SheetSig is the terminal's armored SSHSIG signature over SheetJSON (namespace
	// NamespaceSheet), to keep with it for appeals.
	SheetSig []byte
	// SealedSHA256 is the SHA-256 of the whole sealed file, as receipts carry it.
	SealedSHA256 []byte
}

// Open checks and decrypts a sealed sheet at the scorer. terminalKey must be the registered
// key of the terminal the header names (see ReadHeader); id is the scorer's sheet key.
//
// In order, Open checks: the size and the canonical archive (ErrTooLarge, ErrMalformed); the
// header's format (ErrUnsupportedFormat) and exact encoding (ErrMalformed); the header
// signature, in namespace NamespaceHeader and by terminalKey (ErrSignature); that sheet.age is
// the file the header's digest names (ErrBinding); that sheet.age has exactly one
// mlkem768x25519 recipient stanza and decrypts with id (ErrDecrypt); the inner archive
// (ErrMalformed); that the inner header is the outer one without its digest (ErrBinding); the
// sheet signature, in namespace NamespaceSheet and by terminalKey (ErrSignature); the plain
// sheet, decoded strictly (ErrUnsupportedFormat, ErrMalformed); and that its sheet id,
// terminal, session and bank id are the header's (ErrBinding). Open never panics.
func Open(sealed []byte, terminalKey ssh.PublicKey, id age.Identity) (*Opened, error) {
	return OpenLookup(sealed, func(*Header) (ssh.PublicKey, error) { return terminalKey, nil }, id)
}

// OpenLookup is Open for a scorer that knows many terminals: keyFor gets the unverified
// header and returns the key of the terminal it names, or an error that OpenLookup returns as
// it is. The sealed sheet is parsed once.
func OpenLookup(sealed []byte, keyFor func(*Header) (ssh.PublicKey, error), id age.Identity) (*Opened, error) {
	h, p, err := readOuter(sealed)
	if err != nil {
		return nil, err
	}
	terminalKey, err := keyFor(h)
	if err != nil {
		return nil, err
	}
	if err := checkSignature(p.headerSig, p.header, NamespaceHeader, memberHeaderSig, terminalKey); err != nil {
		return nil, err
	}
	if digest := sha256.Sum256(p.sheetAge); !bytes.Equal(digest[:], h.SheetAgeSHA256) {
		return nil, errorf(ErrBinding, "sheet.age has SHA-256 %x but the header names %x: it is not the encrypted part of this sheet", digest[:], h.SheetAgeSHA256)
	}
	inner, err := decrypt(p.sheetAge, id)
	if err != nil {
		return nil, err
	}
	o, err := openInner(inner, h, terminalKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(sealed)
	o.SealedSHA256 = sum[:]
	return o, nil
}

// decrypt decrypts sheet.age with the scorer's identity, accepting only a file encrypted to
// one post-quantum recipient.
func decrypt(sheetAge []byte, id age.Identity) ([]byte, error) {
	if id == nil {
		return nil, errorf(ErrDecrypt, "no scorer key given")
	}
	inner, err := openAge(sheetAge, pqOnly{id}, MaxSealedSize, "sheet.age", "sheet.age is not encrypted to this scorer key")
	if err != nil {
		return nil, err
	}
	if len(inner) > MaxSealedSize {
		return nil, errorf(ErrTooLarge, "the decrypted sheet.age is more than %d bytes", MaxSealedSize)
	}
	return inner, nil
}

// pqOnly lets age use an identity only for a file with exactly one ML-KEM-768+X25519
// recipient stanza, as Seal writes it.
type pqOnly struct{ id age.Identity }

// Unwrap refuses any other stanzas (a fatal error for age.Decrypt) and unwraps with the
// identity.
func (p pqOnly) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	if len(stanzas) != 1 || stanzas[0].Type != hybridStanza {
		types := make([]string, len(stanzas))
		for i, s := range stanzas {
			types[i] = clip(s.Type)
		}
		return nil, fmt.Errorf("sheet.age must be encrypted to exactly one %s (post-quantum) recipient; it has [%s]", hybridStanza, strings.Join(types, ", "))
	}
	return p.id.Unwrap(stanzas)
}

// openInner checks the decrypted inner archive against the checked outer header h.
func openInner(inner []byte, h *Header, terminalKey ssh.PublicKey) (*Opened, error) {
	parts, err := container.ReadNamed(inner, "decrypted sheet", MaxSheetSize, memberHeader, memberSheet, memberSheetSig)
	if err != nil {
		return nil, errorf(ErrMalformed, "%v", err)
	}
	innerHeader, plain, sig := parts[0], parts[1], parts[2]
	if len(sig) > MaxSignatureSize {
		return nil, errorf(ErrMalformed, "sheet.json.sig is %d bytes, more than %d", len(sig), MaxSignatureSize)
	}
	if !bytes.Equal(innerHeader, encodeHeader(h, false)) {
		return nil, errorf(ErrBinding, "the header inside sheet.age is not the header outside it (without sheet_age_sha256): the encrypted part belongs to another sheet")
	}
	if err := checkSignature(sig, plain, NamespaceSheet, memberSheetSig, terminalKey); err != nil {
		return nil, err
	}
	s, err := decodeSheet(plain)
	if err != nil {
		return nil, err
	}
	if err := checkSheetBinding(s, h); err != nil {
		return nil, err
	}
	return &Opened{Header: *h, Sheet: s, SheetJSON: plain, SheetSig: sig}, nil
}

// checkSignature verifies an armored SSHSIG signature over msg in namespace, and that key
// made it.
func checkSignature(sig, msg []byte, namespace, what string, key ssh.PublicKey) error {
	if key == nil {
		return errorf(ErrSignature, "no key given to check %s", what)
	}
	signer, err := sshsig.Verify(sig, msg, namespace)
	if err != nil {
		return errorf(ErrSignature, "%s: %w", what, err)
	}
	if !bytes.Equal(signer.Marshal(), key.Marshal()) {
		return errorf(ErrSignature, "%s was made by %s, not by the expected key %s", what, sshsig.Fingerprint(signer), sshsig.Fingerprint(key))
	}
	return nil
}

// decodeSheet decodes a plain sheet strictly: format ispit-sheet/1, no unknown fields, no
// trailing data.
func decodeSheet(plain []byte) (*exam.Sheet, error) {
	if len(plain) > MaxSheetSize {
		return nil, errorf(ErrTooLarge, "sheet.json is %d bytes, more than %d", len(plain), MaxSheetSize)
	}
	var s exam.Sheet
	if err := decodeStrict(plain, "sheet.json", &s); err != nil {
		// A sheet of another format version fails for that reason first.
		if ferr := checkFormat(plain, "sheet.json", exam.SheetFormat); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	if s.Format != exam.SheetFormat {
		return nil, checkFormat(plain, "sheet.json", exam.SheetFormat)
	}
	return &s, nil
}

// checkSheetBinding checks that the plain sheet is the one the header describes.
func checkSheetBinding(s *exam.Sheet, h *Header) error {
	for _, f := range []struct{ name, sheet, header string }{
		{"sheet_id", s.SheetID, h.SheetID},
		{"terminal", s.Terminal, h.Terminal},
		{"session", s.Session, h.Session},
		{"bank_id", s.BankID, h.BankID},
	} {
		if f.sheet != f.header {
			return errorf(ErrBinding, "sheet.json has %s %q but the header says %q", f.name, clip(f.sheet), f.header)
		}
	}
	return nil
}

// SealedSHA256 returns the SHA-256 of a sealed sheet file, as receipts carry it.
func SealedSHA256(sealed []byte) []byte {
	sum := sha256.Sum256(sealed)
	return sum[:]
}

// hexDigest writes a digest as receipts and headers do.
func hexDigest(d []byte) string { return hex.EncodeToString(d) }
