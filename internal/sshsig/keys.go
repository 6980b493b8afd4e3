package sshsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/term"
)

// maxKeyFileSize bounds the key files LoadSigner reads.
const maxKeyFileSize = 1 << 20

// Timeouts for talking to ssh-agent. Signing may wait for a touch of a
// hardware token, so it gets a generous limit.
const (
	agentDialTimeout = 5 * time.Second
	agentListTimeout = 10 * time.Second
	agentSignTimeout = 2 * time.Minute
)

// Fingerprint returns the SHA256 fingerprint of key as OpenSSH prints it,
// e.g. "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s".
func Fingerprint(key ssh.PublicKey) string {
	return ssh.FingerprintSHA256(key)
}

// GenerateKey creates a new Ed25519 key pair. private is the private key
// in the OpenSSH private key format (PEM "OPENSSH PRIVATE KEY",
// unencrypted, as `ssh-keygen -t ed25519` writes it with an empty
// passphrase); public is the authorized_keys style line
// "ssh-ed25519 AAAA... comment\n" of a .pub file. The comment must not
// contain a line break or a NUL byte.
func GenerateKey(comment string) (private []byte, public []byte, err error) {
	if strings.ContainsAny(comment, "\r\n\x00") {
		return nil, nil, fmt.Errorf("sshsig: key comment must not contain line breaks or NUL bytes")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("sshsig: generating Ed25519 key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, nil, fmt.Errorf("sshsig: encoding private key: %w", err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("sshsig: encoding public key: %w", err)
	}
	return pem.EncodeToMemory(block), authorizedLine(sshPub, comment), nil
}

// authorizedLine returns "type base64[ comment]\n".
func authorizedLine(key ssh.PublicKey, comment string) []byte {
	line := bytes.TrimSuffix(ssh.MarshalAuthorizedKey(key), []byte("\n"))
	if comment != "" {
		line = append(line, ' ')
		line = append(line, comment...)
	}
	return append(line, '\n')
}

// WriteKeyPair generates a key pair with GenerateKey and writes the private
// key to privPath (mode 0600) and the public key line to pubPath (mode
// 0644). It refuses to overwrite: if either file exists, nothing is written
// and the error wraps fs.ErrExist. If writing fails half-way, the files it
// created are removed.
func WriteKeyPair(privPath, pubPath, comment string) error {
	if privPath == pubPath {
		return fmt.Errorf("sshsig: private and public key paths are both %q", privPath)
	}
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("sshsig: refusing to overwrite %s: %w", p, fs.ErrExist)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sshsig: checking %s: %w", p, err)
		}
	}
	private, public, err := GenerateKey(comment)
	if err != nil {
		return err
	}
	if err := writeNewFile(privPath, private, 0o600); err != nil {
		return err
	}
	if err := writeNewFile(pubPath, public, 0o644); err != nil {
		_ = os.Remove(privPath)
		return err
	}
	return nil
}

// writeNewFile creates path exclusively with mode perm and writes data durably.
func writeNewFile(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("sshsig: creating %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm) // umask may have cleared bits; never adds to 0600
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("sshsig: writing %s: %w", path, err)
	}
	return nil
}

// LoadSigner returns a signer for the key file at path, like the -f
// argument of `ssh-keygen -Y sign`:
//
//   - If the file is a private key (the OpenSSH format, or another PEM
//     format that golang.org/x/crypto/ssh reads), it is parsed. When it is
//     passphrase-protected, passphrase is called to get the passphrase; a
//     nil passphrase gives ErrPassphraseRequired, a wrong one
//     ErrWrongPassphrase.
//   - If the file is a public key ("ssh-ed25519 AAAA... comment"), the
//     matching private key is looked up in the ssh-agent reached through
//     SSH_AUTH_SOCK, and the returned signer signs through the agent (this
//     is how keys on hardware tokens, sk-ssh-ed25519@openssh.com, are used).
//     Without an agent the error wraps ErrNoAgent; when the agent does not
//     hold the key, ErrAgentKeyNotFound.
//
// Only Ed25519 keys are accepted (ErrKeyType otherwise).
func LoadSigner(path string, passphrase func() ([]byte, error)) (ssh.Signer, error) {
	data, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	if block, _ := pem.Decode(data); block != nil {
		return loadPrivateKey(path, data, passphrase)
	}
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		return nil, errorf(ErrKeyFile, "%s is neither a PEM private key nor a public key line: %v", path, err)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, errorf(ErrKeyFile, "%s holds more than one public key", path)
	}
	if !supportedKeyType(pub.Type()) {
		return nil, errorf(ErrKeyType, "%s is a %s key: only %s and %s keys are supported",
			path, pub.Type(), KeyTypeEd25519, KeyTypeSKEd25519)
	}
	return agentSigner(path, pub, comment)
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeyFile, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrKeyFile, path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, errorf(ErrKeyFile, "%s is larger than %d bytes: not a key file", path, maxKeyFileSize)
	}
	return data, nil
}

func loadPrivateKey(path string, data []byte, passphrase func() ([]byte, error)) (ssh.Signer, error) {
	signer, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if missing.PublicKey != nil && !supportedKeyType(missing.PublicKey.Type()) {
			return nil, errorf(ErrKeyType, "%s is a %s key: only %s keys can be loaded from a file",
				path, missing.PublicKey.Type(), KeyTypeEd25519)
		}
		if passphrase == nil {
			return nil, errorf(ErrPassphraseRequired, "%s needs a passphrase and none can be asked for", path)
		}
		pw, perr := passphrase()
		if perr != nil {
			return nil, fmt.Errorf("sshsig: reading the passphrase for %s: %w", path, perr)
		}
		signer, err = ssh.ParsePrivateKeyWithPassphrase(data, pw)
		clear(pw)
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, errorf(ErrWrongPassphrase, "%s", path)
		}
	}
	if err != nil {
		hint := ""
		if strings.Contains(err.Error(), "unhandled key type") {
			hint = " (a hardware-token key cannot be used from its file: add it to ssh-agent with ssh-add and give the .pub file instead)"
		}
		return nil, errorf(ErrKeyFile, "%s: cannot read private key: %v%s", path, err, hint)
	}
	if t := signer.PublicKey().Type(); t != KeyTypeEd25519 {
		return nil, errorf(ErrKeyType, "%s is a %s key: only %s keys can be loaded from a file", path, t, KeyTypeEd25519)
	}
	return signer, nil
}

// agentSignerT signs through ssh-agent, opening a new connection for each
// signature so that no connection is left open.
type agentSignerT struct {
	sock string
	pub  ssh.PublicKey
}

func (s *agentSignerT) PublicKey() ssh.PublicKey { return s.pub }

func (s *agentSignerT) Sign(_ io.Reader, data []byte) (*ssh.Signature, error) {
	conn, err := net.DialTimeout("unix", s.sock, agentDialTimeout)
	if err != nil {
		return nil, errorf(ErrNoAgent, "connecting to ssh-agent at %s: %v", s.sock, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(agentSignTimeout))
	sig, err := agent.NewClient(conn).Sign(s.pub, data)
	if err != nil {
		return nil, fmt.Errorf("sshsig: ssh-agent refused to sign with %s: %w", ssh.FingerprintSHA256(s.pub), err)
	}
	return sig, nil
}

func agentSigner(path string, pub ssh.PublicKey, comment string) (ssh.Signer, error) {
	sock := os.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		return nil, errorf(ErrNoAgent, "%s is a public key, so its private key must be in ssh-agent, "+
			"but SSH_AUTH_SOCK is not set", path)
	}
	conn, err := net.DialTimeout("unix", sock, agentDialTimeout)
	if err != nil {
		return nil, errorf(ErrNoAgent, "%s is a public key, so its private key must be in ssh-agent, "+
			"but the agent at SSH_AUTH_SOCK=%s cannot be reached: %v", path, sock, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(agentListTimeout))
	keys, err := agent.NewClient(conn).List()
	if err != nil {
		return nil, errorf(ErrNoAgent, "listing the keys of ssh-agent at %s: %v", sock, err)
	}
	want := pub.Marshal()
	for _, k := range keys {
		if bytes.Equal(k.Marshal(), want) {
			return &agentSignerT{sock: sock, pub: pub}, nil
		}
	}
	name := ssh.FingerprintSHA256(pub)
	if comment != "" {
		name += " " + comment
	}
	return nil, errorf(ErrAgentKeyNotFound, "ssh-agent at %s does not hold the private key of %s (%s); add it with ssh-add",
		sock, path, name)
}

// TerminalPassphrase returns a passphrase callback for LoadSigner that
// writes prompt to the controlling terminal and reads a line from it without
// echo. It uses /dev/tty, so it works when standard input is redirected;
// without a terminal it returns an error instead of blocking.
func TerminalPassphrase(prompt string) func() ([]byte, error) {
	return func() ([]byte, error) {
		tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
		if err != nil {
			if term.IsTerminal(int(os.Stdin.Fd())) {
				fmt.Fprint(os.Stderr, prompt)
				pw, rerr := term.ReadPassword(int(os.Stdin.Fd()))
				fmt.Fprintln(os.Stderr)
				if rerr != nil {
					return nil, fmt.Errorf("sshsig: reading passphrase: %w", rerr)
				}
				return pw, nil
			}
			return nil, fmt.Errorf("sshsig: no terminal to ask for the passphrase: %w", err)
		}
		defer tty.Close()
		fmt.Fprint(tty, prompt)
		pw, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		if err != nil {
			return nil, fmt.Errorf("sshsig: reading passphrase from terminal: %w", err)
		}
		return pw, nil
	}
}
