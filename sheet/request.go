package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// HTTP headers of a signed upload request.
const (
	// HeaderTerminal carries the terminal id; the scorer looks up the terminal's key by it.
	HeaderTerminal = "Ispit-Terminal"
	// HeaderSignature carries the request signature made by SignRequest.
	HeaderSignature = "Ispit-Signature"
	// HeaderIdempotencyKey carries the sheet id: an upload is idempotent (the same sheet gets the
	// same receipt), and saying so lets an HTTP client send it again by itself when the scorer
	// closed a kept-alive connection just as the request went out.
	HeaderIdempotencyKey = "Idempotency-Key"
)

// requestFormat is the first line of the signed request message, its version.
const requestFormat = "ispit-upload/1"

// MaxRequestSignatureSize bounds the value of the Ispit-Signature header.
const MaxRequestSignatureSize = 2 << 10

// Armor lines of an SSHSIG signature; the header value is what lies between them, unwrapped.
const (
	armorBegin = "-----BEGIN SSH SIGNATURE-----\n"
	armorEnd   = "-----END SSH SIGNATURE-----\n"
	armorWidth = 70
)

var (
	methodPattern = regexp.MustCompile(`^[A-Z]{1,16}$`)
	pathPattern   = regexp.MustCompile(`^/[!-~]*$`) // printable ASCII, no spaces
)

// maxPathSize bounds the path of a signed request.
const maxPathSize = 2048

// requestMessage is the message an upload signature signs: five lines, each ending in "\n":
// the version "ispit-upload/1", the method, the URL path (without query), the terminal id,
// and the SHA-256 of the body in lower-case hex. No field can hold a line break, so the
// message is unambiguous.
func requestMessage(terminalID, method, path string, body []byte) ([]byte, error) {
	if !ValidID(terminalID) {
		return nil, errorf(ErrInvalid, "terminal id %q is not a valid id", clip(terminalID))
	}
	if !methodPattern.MatchString(method) {
		return nil, errorf(ErrInvalid, "method %q is not an upper-case HTTP method", clip(method))
	}
	if len(path) > maxPathSize || !pathPattern.MatchString(path) {
		return nil, errorf(ErrInvalid, "path %q is not a URL path (printable ASCII starting with /, at most %d bytes)", clip(path), maxPathSize)
	}
	sum := sha256.Sum256(body)
	return []byte(requestFormat + "\n" + method + "\n" + path + "\n" + terminalID + "\n" + hexDigest(sum[:]) + "\n"), nil
}

// SignRequest signs an upload request with the terminal's key and returns the value of its
// Ispit-Signature header: the SSHSIG signature (namespace NamespaceUpload) of a message that
// binds the method, the URL path without query ("/v1/sheets"; the server passes
// r.URL.Path), the terminal id and the SHA-256 of the body, written as the base64 of the
// signature blob, which is the armored signature without its first and last lines and line
// breaks. The request also carries the terminal id in Ispit-Terminal. The path must be
// printable ASCII starting with "/", the method upper-case letters, the terminal id a ValidID;
// anything else is refused with ErrInvalid.
func SignRequest(terminal ssh.Signer, terminalID, method, path string, body []byte) (string, error) {
	if terminal == nil {
		return "", errorf(ErrInvalid, "no terminal key given")
	}
	msg, err := requestMessage(terminalID, method, path, body)
	if err != nil {
		return "", err
	}
	armored, err := sshsig.Sign(terminal, NamespaceUpload, msg)
	if err != nil {
		return "", errorf(ErrSigning, "signing the request: %w", err)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(string(armored), armorBegin), armorEnd)
	return strings.ReplaceAll(inner, "\n", ""), nil
}

// VerifyRequest checks the Ispit-Signature header value of an upload request against the
// terminal's registered key: it must be a signature in namespace NamespaceUpload, by key, of
// this method, path, terminal id and body. A malformed header value or argument wraps
// ErrMalformed; a signature that does not verify, or by another key, ErrSignature.
func VerifyRequest(header, terminalID, method, path string, body []byte, key ssh.PublicKey) error {
	if header == "" {
		return errorf(ErrMalformed, "no %s header", HeaderSignature)
	}
	if len(header) > MaxRequestSignatureSize {
		return errorf(ErrMalformed, "the %s header is %d bytes, more than %d", HeaderSignature, len(header), MaxRequestSignatureSize)
	}
	if _, err := base64.StdEncoding.Strict().DecodeString(header); err != nil {
		return errorf(ErrMalformed, "the %s header is not base64: %v", HeaderSignature, err)
	}
	msg, err := requestMessage(terminalID, method, path, body)
	if err != nil {
		return errorf(ErrMalformed, "%v", err)
	}
	return checkSignature(rearmor(header), msg, NamespaceUpload, HeaderSignature, key)
}

// rearmor turns a header value back into the armored signature ssh-keygen writes.
func rearmor(b64 string) []byte {
	var out bytes.Buffer
	out.WriteString(armorBegin)
	for len(b64) > 0 {
		n := min(armorWidth, len(b64))
		out.WriteString(b64[:n])
		out.WriteByte('\n')
		b64 = b64[n:]
	}
	out.WriteString(armorEnd)
	return out.Bytes()
}
