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
// a recipient of the file, what names the file otherwise. The file is in memory, so it is
// opened at an offset (age.DecryptReaderAt): the plaintext's size is known before it is read,
// and a small file is not read through the stream reader's two 64 KiB buffers.
func openAge(data []byte, id age.Identity, limit int64, what, noMatch string) ([]byte, error) {
	r, size, err := age.DecryptReaderAt(bytes.NewReader(data), int64(len(data)), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, errorf(ErrDecrypt, "%s: %w", noMatch, err)
		}
		return nil, errorf(ErrDecrypt, "%s is damaged: %w", what, err)
	}
	inner := make([]byte, min(size, limit+1))
	if _, err := r.ReadAt(inner, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, errorf(ErrDecrypt, "%s is damaged: %w", what, err)
	}
	return inner, nil
}
