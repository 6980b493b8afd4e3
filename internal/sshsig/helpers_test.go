package sshsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// fixedNow is the time trust checks use in tests.
var fixedNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// seedPrivate returns a deterministic Ed25519 private key.
func seedPrivate(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func pemEncode(b *pem.Block) []byte { return pem.EncodeToMemory(b) }

// seedSigner returns a deterministic Ed25519 signer.
func seedSigner(t testing.TB, seed byte) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(seedPrivate(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// skKey is a software stand-in for a hardware-token sk-ssh-ed25519 key: it
// produces signatures in the PROTOCOL.u2f format that a token would.
type skKey struct {
	priv  ed25519.PrivateKey
	app   string
	flags byte
	pub   ssh.PublicKey
}

func newSKKey(t testing.TB, seed byte, flags byte) *skKey {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	wire := ssh.Marshal(struct {
		Name        string
		KeyBytes    []byte
		Application string
	}{KeyTypeSKEd25519, priv.Public().(ed25519.PublicKey), "ssh:"})
	pub, err := ssh.ParsePublicKey(wire)
	if err != nil {
		t.Fatal(err)
	}
	return &skKey{priv: priv, app: "ssh:", flags: flags, pub: pub}
}

func (k *skKey) PublicKey() ssh.PublicKey { return k.pub }

func (k *skKey) Sign(_ io.Reader, data []byte) (*ssh.Signature, error) {
	appHash := sha256.Sum256([]byte(k.app))
	dataHash := sha256.Sum256(data)
	const counter = 42
	var msg []byte
	msg = append(msg, appHash[:]...)
	msg = append(msg, k.flags)
	msg = binary.BigEndian.AppendUint32(msg, counter)
	msg = append(msg, dataHash[:]...)
	rest := binary.BigEndian.AppendUint32([]byte{k.flags}, counter)
	return &ssh.Signature{Format: KeyTypeSKEd25519, Blob: ed25519.Sign(k.priv, msg), Rest: rest}, nil
}

// pubLine returns the authorized_keys line of key without newline.
func pubLine(key ssh.PublicKey) string {
	return strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(key)), "\n")
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return p
}

// run runs a command and returns its combined output and error.
func run(t testing.TB, stdin []byte, env []string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustRun(t testing.TB, stdin []byte, env []string, name string, args ...string) string {
	t.Helper()
	out, err := run(t, stdin, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func wantErr(t testing.TB, err, sentinel error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", sentinel)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("got error %q, want one wrapping %q", err, sentinel)
	}
}
