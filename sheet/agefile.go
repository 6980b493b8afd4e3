package sheet

import (
	"bytes"
	"errors"
	"io"

	"filippo.io/age"
)

// sealAge encrypts plain to r; what names the file in the error (ErrRecipient).
func sealAge(plain []byte, r age.Recipient, what string) ([]byte, error) {
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err == nil {
		_, err = w.Write(plain)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, errorf(ErrRecipient, "encrypting %s: %w", what, err)
	}
	return out.Bytes(), nil
}

// openAge decrypts an age file with id and reads at most limit+1 bytes of it, so that the
// caller sees one byte too many. Every error wraps ErrDecrypt: noMatch says why when id is not
// a recipient of the file, what names the file otherwise.
func openAge(data []byte, id age.Identity, limit int64, what, noMatch string) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, errorf(ErrDecrypt, "%s: %w", noMatch, err)
		}
		return nil, errorf(ErrDecrypt, "%s: %w", what, err)
	}
	inner, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, errorf(ErrDecrypt, "%s is damaged: %w", what, err)
	}
	return inner, nil
}
