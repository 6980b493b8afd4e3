package sshsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Format constants from OpenSSH's PROTOCOL.sshsig and ssh-keygen's sshsig.c.
const (
	magicPreamble = "SSHSIG"
	sigVersion    = 1
	armorBegin    = "-----BEGIN SSH SIGNATURE-----"
	armorEnd      = "-----END SSH SIGNATURE-----"
	armorWidth    = 70 // ssh-keygen wraps the base64 body at 70 columns
	hashSHA256    = "sha256"
	hashSHA512    = "sha512"

	// MaxSignatureSize is the largest armored signature Verify accepts, in
	// bytes. An Ed25519 signature file is well under 1 KiB.
	MaxSignatureSize = 64 << 10
)

// Key types accepted for signing, verifying and in trust lists.
const (
	KeyTypeEd25519   = ssh.KeyAlgoED25519   // "ssh-ed25519"
	KeyTypeSKEd25519 = ssh.KeyAlgoSKED25519 // "sk-ssh-ed25519@openssh.com"
)

func supportedKeyType(t string) bool {
	return t == KeyTypeEd25519 || t == KeyTypeSKEd25519
}

func checkNamespace(namespace string) error {
	if namespace == "" {
		return errorf(ErrNamespace, "the namespace must not be empty")
	}
	if strings.IndexByte(namespace, 0) >= 0 {
		return errorf(ErrNamespace, "the namespace must not contain a NUL byte")
	}
	return nil
}

// Sign signs message for namespace with signer and returns the armored
// signature exactly as `ssh-keygen -Y sign -n namespace` writes it: the
// "-----BEGIN SSH SIGNATURE-----" line, the base64 blob wrapped at 70
// columns, the "-----END SSH SIGNATURE-----" line and a final newline. The
// message is hashed with sha512.
//
// Only Ed25519 signers are accepted: ssh-ed25519 keys, and
// sk-ssh-ed25519@openssh.com keys held by a hardware token (through
// ssh-agent, see LoadSigner). Other key types are refused with ErrKeyType;
// an empty namespace is refused with ErrNamespace. A signature made
// elsewhere (through ssh-agent, by a hardware token) is checked with Verify
// before it is returned; a key held in memory is trusted to sign correctly.
func Sign(signer ssh.Signer, namespace string, message []byte) ([]byte, error) {
	if signer == nil {
		return nil, errorf(ErrKeyType, "no signer given")
	}
	if err := checkNamespace(namespace); err != nil {
		return nil, err
	}
	pub := signer.PublicKey()
	if pub == nil {
		return nil, errorf(ErrKeyType, "signer has no public key")
	}
	if !supportedKeyType(pub.Type()) {
		return nil, errorf(ErrKeyType, "cannot sign with a %s key: only %s and %s keys are supported",
			pub.Type(), KeyTypeEd25519, KeyTypeSKEd25519)
	}
	h := sha512.Sum512(message)
	sig, err := signer.Sign(rand.Reader, signedData(namespace, hashSHA512, h[:]))
	if err != nil {
		return nil, errorf(ErrSigning, "%v", err)
	}
	if sig == nil || sig.Format != pub.Type() {
		return nil, errorf(ErrSigning, "the signer returned no signature or one of the wrong type")
	}

	var b []byte
	b = append(b, magicPreamble...)
	b = binary.BigEndian.AppendUint32(b, sigVersion)
	b = appendString(b, pub.Marshal())
	b = appendString(b, []byte(namespace))
	b = appendString(b, nil) // reserved
	b = appendString(b, []byte(hashSHA512))
	b = appendString(b, ssh.Marshal(sig))
	armored := armor(b)

	if _, viaAgent := signer.(*agentSignerT); !viaAgent && pub.Type() == KeyTypeEd25519 {
		return armored, nil
	}
	if _, err := Verify(armored, message, namespace); err != nil {
		return nil, errorf(ErrSigning, "the signer produced a signature that does not verify: %v", err)
	}
	return armored, nil
}

// Verify checks an armored SSHSIG signature (as written by Sign or by
// `ssh-keygen -Y sign`) over message for namespace and returns the public
// key that made it. It does NOT decide whether that key is trusted: the
// caller must check the returned key against a trust list (see Trust.Check).
//
// Verify is strict, so that any alteration of a signature file is refused:
//
//   - The input must be at most MaxSignatureSize bytes.
//   - It must be in canonical armor: after decoding, the blob is re-armored
//     exactly as ssh-keygen writes it (header line, base64 with padding
//     wrapped at 70 columns, footer line, one final newline, no CR, no
//     other whitespace or text) and the input must be byte-identical to
//     that. Any change of a single byte of a valid signature file is
//     therefore refused, even where a lenient base64 or armor reader would
//     decode the same blob.
//   - The blob must start with "SSHSIG", have version 1, and contain exactly
//     the fields publickey, namespace, reserved, hash_algorithm, signature,
//     with no trailing data; the reserved field must be empty.
//   - The key must be ssh-ed25519 or sk-ssh-ed25519@openssh.com (ErrKeyType);
//     for hardware-token keys the user-presence flag must be set.
//   - The namespace must equal namespace (ErrNamespace); the hash algorithm
//     must be sha256 or sha512 (ErrUnsupported).
//   - The signature must verify over the SSHSIG signed data
//     (ErrBadSignature).
//
// Errors wrap ErrMalformed, ErrUnsupported, ErrKeyType, ErrNamespace or
// ErrBadSignature. Verify never panics, whatever the input.
func Verify(armored, message []byte, namespace string) (ssh.PublicKey, error) {
	if err := checkNamespace(namespace); err != nil {
		return nil, err
	}
	blob, err := dearmor(armored)
	if err != nil {
		return nil, err
	}
	p, err := parseBlob(blob)
	if err != nil {
		return nil, err
	}
	if p.namespace != namespace {
		return nil, errorf(ErrNamespace, "the signature is for namespace %q, expected %q",
			truncate(p.namespace), truncate(namespace))
	}
	var digest []byte
	switch p.hashAlg {
	case hashSHA512:
		h := sha512.Sum512(message)
		digest = h[:]
	case hashSHA256:
		h := sha256.Sum256(message)
		digest = h[:]
	}
	if err := p.key.Verify(signedData(p.namespace, p.hashAlg, digest), p.sig); err != nil {
		return nil, errorf(ErrBadSignature, "signature by %s: %v", ssh.FingerprintSHA256(p.key), err)
	}
	return p.key, nil
}

// signedData builds the data that is signed, per PROTOCOL.sshsig section 3.
func signedData(namespace, hashAlg string, digest []byte) []byte {
	var b []byte
	b = append(b, magicPreamble...)
	b = appendString(b, []byte(namespace))
	b = appendString(b, nil) // reserved
	b = appendString(b, []byte(hashAlg))
	b = appendString(b, digest)
	return b
}

func appendString(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// armor returns the canonical armor of blob, as ssh-keygen writes it.
func armor(blob []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(blob)
	var out bytes.Buffer
	out.Grow(len(armorBegin) + len(armorEnd) + len(enc) + len(enc)/armorWidth + 4)
	out.WriteString(armorBegin)
	out.WriteByte('\n')
	for len(enc) > 0 {
		n := min(armorWidth, len(enc))
		out.WriteString(enc[:n])
		out.WriteByte('\n')
		enc = enc[n:]
	}
	out.WriteString(armorEnd)
	out.WriteByte('\n')
	return out.Bytes()
}

// dearmor decodes armored and requires it to be in canonical armor.
func dearmor(armored []byte) ([]byte, error) {
	if len(armored) > MaxSignatureSize {
		return nil, errorf(ErrMalformed, "signature file is %d bytes, more than the %d allowed",
			len(armored), MaxSignatureSize)
	}
	rest, ok := bytes.CutPrefix(armored, []byte(armorBegin+"\n"))
	if !ok {
		return nil, errorf(ErrMalformed, "missing %q header line", armorBegin)
	}
	body, ok := bytes.CutSuffix(rest, []byte(armorEnd+"\n"))
	if !ok {
		return nil, errorf(ErrMalformed, "the file does not end with the %q line and one newline", armorEnd)
	}
	if len(body) == 0 || body[len(body)-1] != '\n' {
		return nil, errorf(ErrMalformed, "missing signature body before the footer line")
	}
	b64 := bytes.ReplaceAll(body, []byte("\n"), nil)
	blob := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
	n, err := base64.StdEncoding.Strict().Decode(blob, b64)
	if err != nil {
		return nil, errorf(ErrMalformed, "invalid base64 in signature body: %v", err)
	}
	blob = blob[:n]
	if !bytes.Equal(armor(blob), armored) {
		return nil, errorf(ErrMalformed, "signature file is not in canonical ssh-keygen armor "+
			"(lines must be 70 base64 characters, with no extra whitespace or text): it was altered")
	}
	return blob, nil
}

type parsedSig struct {
	key       ssh.PublicKey
	namespace string
	hashAlg   string
	sig       *ssh.Signature
}

// reader reads SSH wire-format fields from a byte slice without panicking.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uint32(field string) uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 4 {
		r.err = errorf(ErrMalformed, "signature blob truncated in %s", field)
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) string(field string) []byte {
	n := r.uint32(field)
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(len(r.b)) {
		r.err = errorf(ErrMalformed, "signature blob truncated in %s (length %d, %d bytes left)", field, n, len(r.b))
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// parseBlob parses and checks the SSHSIG blob (PROTOCOL.sshsig section 2).
func parseBlob(blob []byte) (*parsedSig, error) {
	if !bytes.HasPrefix(blob, []byte(magicPreamble)) {
		return nil, errorf(ErrMalformed, "signature blob does not start with %q", magicPreamble)
	}
	r := &reader{b: blob[len(magicPreamble):]}
	version := r.uint32("version")
	if r.err != nil {
		return nil, r.err
	}
	if version != sigVersion {
		return nil, errorf(ErrUnsupported, "signature version %d (only version %d is supported)", version, sigVersion)
	}
	rawKey := r.string("public key")
	namespace := r.string("namespace")
	reserved := r.string("reserved field")
	hashAlg := r.string("hash algorithm")
	rawSig := r.string("signature")
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errorf(ErrMalformed, "signature blob has %d bytes of trailing data", len(r.b))
	}

	key, err := ssh.ParsePublicKey(rawKey)
	if err != nil {
		if t, ok := keyTypeName(rawKey); ok && !supportedKeyType(t) {
			return nil, errorf(ErrKeyType, "signature made with a %s key: only %s and %s keys are supported",
				truncate(t), KeyTypeEd25519, KeyTypeSKEd25519)
		}
		return nil, errorf(ErrMalformed, "invalid public key in signature: %v", err)
	}
	if !supportedKeyType(key.Type()) {
		return nil, errorf(ErrKeyType, "signature made with a %s key: only %s and %s keys are supported",
			key.Type(), KeyTypeEd25519, KeyTypeSKEd25519)
	}
	if !bytes.Equal(key.Marshal(), rawKey) {
		return nil, errorf(ErrMalformed, "public key in signature is not canonically encoded")
	}
	if len(namespace) == 0 || bytes.IndexByte(namespace, 0) >= 0 {
		return nil, errorf(ErrMalformed, "signature namespace is empty or contains a NUL byte")
	}
	if len(reserved) != 0 {
		return nil, errorf(ErrUnsupported, "signature has a non-empty reserved field (%d bytes)", len(reserved))
	}
	switch string(hashAlg) {
	case hashSHA256, hashSHA512:
	default:
		return nil, errorf(ErrUnsupported, "hash algorithm %q (only %s and %s are supported)",
			truncate(string(hashAlg)), hashSHA256, hashSHA512)
	}

	sig := new(ssh.Signature)
	if err := ssh.Unmarshal(rawSig, sig); err != nil {
		return nil, errorf(ErrMalformed, "invalid signature field: %v", err)
	}
	if sig.Format != key.Type() {
		return nil, errorf(ErrMalformed, "signature of type %q for a %s key", truncate(sig.Format), key.Type())
	}
	if len(sig.Blob) != ed25519.SignatureSize {
		return nil, errorf(ErrMalformed, "Ed25519 signature is %d bytes, want %d", len(sig.Blob), ed25519.SignatureSize)
	}
	wantRest := 0
	if key.Type() == KeyTypeSKEd25519 {
		wantRest = 5 // byte flags, uint32 counter (PROTOCOL.u2f)
	}
	if len(sig.Rest) != wantRest {
		return nil, errorf(ErrMalformed, "signature field has %d extra bytes, want %d", len(sig.Rest), wantRest)
	}
	if !bytes.Equal(ssh.Marshal(sig), rawSig) {
		return nil, errorf(ErrMalformed, "signature field is not canonically encoded")
	}
	return &parsedSig{key: key, namespace: string(namespace), hashAlg: string(hashAlg), sig: sig}, nil
}

// keyTypeName returns the leading key type string of a wire-format key, if
// it is printable, so that an unsupported key type can be named in errors.
func keyTypeName(raw []byte) (string, bool) {
	r := &reader{b: raw}
	t := r.string("key type")
	if r.err != nil || len(t) == 0 {
		return "", false
	}
	for _, c := range t {
		if c < 0x21 || c > 0x7e {
			return "", false
		}
	}
	return string(t), true
}

// truncate shortens attacker-controlled strings for error messages.
func truncate(s string) string {
	const maxLen = 100
	if len(s) > maxLen {
		return s[:maxLen] + "..."
	}
	return s
}
