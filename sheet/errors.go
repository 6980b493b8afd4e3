package sheet

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error of the format functions (Seal, ReadHeader, Open, receipts and
// request signatures) wraps one of them (test with errors.Is) and adds the reason; errors from
// the signature checks also wrap the sshsig error, and decryption errors the age error.
var (
	// ErrMalformed reports input that is not in the exact format: not a canonical archive,
	// members missing, extra or out of order, JSON with unknown fields, trailing data or a
	// non-canonical encoding, a field out of its range.
	ErrMalformed = errors.New("sheet: malformed")

	// ErrTooLarge reports a sealed sheet, a plain sheet, a receipt or a request signature
	// larger than its limit (MaxSealedSize, MaxSheetSize, …).
	ErrTooLarge = errors.New("sheet: too large")

	// ErrUnsupportedFormat reports a document whose "format" names a version this package
	// does not know.
	ErrUnsupportedFormat = errors.New("sheet: unsupported format")

	// ErrSignature reports a signature that does not verify, is in the wrong namespace, or
	// was made by another key than the one expected.
	ErrSignature = errors.New("sheet: signature not valid")

	// ErrBinding reports parts that are each well signed but do not belong together: an
	// encrypted part whose digest is not the header's, an inner header that is not the outer
	// one, a plain sheet of another sheet, terminal, session or bank, a receipt for other
	// sealed bytes.
	ErrBinding = errors.New("sheet: parts do not belong together")

	// ErrDecrypt reports a sealed sheet that the given scorer key cannot decrypt: it was
	// encrypted to another key or not to a post-quantum key, or the age file is damaged.
	ErrDecrypt = errors.New("sheet: cannot decrypt")

	// ErrRecipient reports a scorer key that is not an age hybrid post-quantum recipient
	// (*age.HybridRecipient, ML-KEM-768+X25519): Seal encrypts to nothing else.
	ErrRecipient = errors.New("sheet: the scorer key is not an age post-quantum (ML-KEM-768+X25519) recipient")

	// ErrSigning reports that the terminal's or the scorer's key could not sign: a key of
	// another type than Ed25519, or a failing agent or token.
	ErrSigning = errors.New("sheet: signing failed")

	// ErrInvalid reports arguments that cannot be sealed or signed: an id with characters
	// outside the allowed set, a missing time, a digest of the wrong length.
	ErrInvalid = errors.New("sheet: invalid argument")
)

// errorf returns an error wrapping sentinel with a reason; %w in format wraps further errors.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
