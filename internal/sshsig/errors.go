package sshsig

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them
// (test with errors.Is) and adds a human-readable reason.
var (
	// ErrMalformed reports a signature file that is not a well-formed,
	// canonically armored SSHSIG signature: bad armor, bad base64, a blob
	// that does not parse, trailing data, or an oversized input.
	ErrMalformed = errors.New("sshsig: malformed signature")

	// ErrUnsupported reports a well-formed signature that uses something
	// this package does not accept: a signature version other than 1, a hash
	// algorithm other than sha256/sha512, or a non-empty reserved field.
	ErrUnsupported = errors.New("sshsig: unsupported signature")

	// ErrKeyType reports a key of a type other than ssh-ed25519 or
	// sk-ssh-ed25519@openssh.com, wherever a key is read or used.
	ErrKeyType = errors.New("sshsig: unsupported key type")

	// ErrNamespace reports a signature made for another namespace than the
	// one expected, or an empty or otherwise invalid namespace argument.
	ErrNamespace = errors.New("sshsig: wrong signature namespace")

	// ErrBadSignature reports a signature that does not verify: the
	// message, the signature or the key was altered.
	ErrBadSignature = errors.New("sshsig: signature does not verify")

	// ErrSigning reports that Sign could not produce a valid signature: the
	// signer (a key, an agent, a hardware token) failed or misbehaved.
	ErrSigning = errors.New("sshsig: signing failed")

	// ErrNotTrusted reports a key that a trust list does not accept: not
	// listed, not allowed for the namespace, or outside its validity period.
	ErrNotTrusted = errors.New("sshsig: key not trusted")

	// ErrTrustSyntax reports a trust list (allowed_signers or public key
	// file) that cannot be parsed. The wrapping *TrustError names the line.
	ErrTrustSyntax = errors.New("sshsig: invalid trust list")

	// ErrPassphraseRequired reports a passphrase-protected private key for
	// which no passphrase callback was given.
	ErrPassphraseRequired = errors.New("sshsig: private key is protected by a passphrase")

	// ErrWrongPassphrase reports a passphrase that does not decrypt the key.
	ErrWrongPassphrase = errors.New("sshsig: wrong passphrase for private key")

	// ErrNoAgent reports that a public key file was given for signing but no
	// ssh-agent could be reached through SSH_AUTH_SOCK.
	ErrNoAgent = errors.New("sshsig: no ssh-agent available")

	// ErrAgentKeyNotFound reports that the ssh-agent does not hold the
	// private key matching the given public key file.
	ErrAgentKeyNotFound = errors.New("sshsig: key not found in ssh-agent")

	// ErrKeyFile reports a key file that is neither an OpenSSH private key
	// nor a public key line.
	ErrKeyFile = errors.New("sshsig: unreadable key file")
)

// TrustError describes a syntax error in a trust list. It wraps ErrTrustSyntax.
type TrustError struct {
	// Line is the 1-based line number of the offending line, or 0 when the
	// error concerns the whole input (for example, no keys at all).
	Line int
	// Reason says what is wrong with the line.
	Reason string
}

// Error returns the reason with the line number.
func (e *TrustError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%v: %s", ErrTrustSyntax, e.Reason)
	}
	return fmt.Sprintf("%v: line %d: %s", ErrTrustSyntax, e.Line, e.Reason)
}

// Unwrap returns ErrTrustSyntax.
func (e *TrustError) Unwrap() error { return ErrTrustSyntax }

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
