package sshsig

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/term"
)

func TestGenerateKey(t *testing.T) {
	priv, pub, err := GenerateKey("kiosk-01@ispit")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(priv, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\n")) {
		t.Fatalf("private key is not in the OpenSSH format:\n%s", priv)
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pub), "ssh-ed25519 AAAA") || !strings.HasSuffix(string(pub), " kiosk-01@ispit\n") {
		t.Fatalf("public line %q", pub)
	}
	key, comment, _, _, err := ssh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if comment != "kiosk-01@ispit" || !bytes.Equal(key.Marshal(), signer.PublicKey().Marshal()) {
		t.Fatal("public line does not match the private key")
	}
	// Without a comment the line has two fields.
	_, pub, err = GenerateKey("")
	if err != nil {
		t.Fatal(err)
	}
	if f := strings.Fields(string(pub)); len(f) != 2 || !strings.HasSuffix(string(pub), "\n") {
		t.Fatalf("public line %q", pub)
	}
	for _, bad := range []string{"a\nb", "a\rb", "a\x00b"} {
		if _, _, err := GenerateKey(bad); err == nil {
			t.Fatalf("comment %q accepted", bad)
		}
	}
}

func TestWriteKeyPair(t *testing.T) {
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "id"), filepath.Join(dir, "id.pub")
	if err := WriteKeyPair(priv, pub, "c"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(priv)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode %v, want 0600", st.Mode().Perm())
	}
	signer, err := LoadSigner(priv, nil)
	if err != nil {
		t.Fatal(err)
	}
	pubData, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := ParseTrust(pubData)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trust.Check(signer.PublicKey(), "any", fixedNow); err != nil {
		t.Fatal(err)
	}
	if Fingerprint(signer.PublicKey()) != ssh.FingerprintSHA256(trust.Keys()[0].Key) ||
		!strings.HasPrefix(Fingerprint(signer.PublicKey()), "SHA256:") {
		t.Fatal("fingerprints differ")
	}

	before, _ := os.ReadFile(priv)
	tests := []struct{ priv, pub string }{
		{priv, filepath.Join(dir, "new.pub")},
		{filepath.Join(dir, "new"), pub},
		{priv, pub},
	}
	for _, tc := range tests {
		err := WriteKeyPair(tc.priv, tc.pub, "c")
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("WriteKeyPair(%s, %s) over existing files: %v", tc.priv, tc.pub, err)
		}
	}
	after, _ := os.ReadFile(priv)
	if !bytes.Equal(before, after) {
		t.Fatal("existing private key was changed")
	}
	for _, p := range []string{"new", "new.pub"} {
		if _, err := os.Stat(filepath.Join(dir, p)); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s was written although the call failed", p)
		}
	}
	if err := WriteKeyPair(filepath.Join(dir, "same"), filepath.Join(dir, "same"), ""); err == nil {
		t.Fatal("same path for both keys accepted")
	}
	if err := WriteKeyPair(filepath.Join(dir, "no/such/dir/k"), filepath.Join(dir, "k.pub"), ""); err == nil {
		t.Fatal("unwritable path accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "k.pub")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("public key written although the private key could not be")
	}
}

func TestLoadSignerErrors(t *testing.T) {
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "id"), filepath.Join(dir, "id.pub")
	if err := WriteKeyPair(priv, pub, ""); err != nil {
		t.Fatal(err)
	}
	pubData, _ := os.ReadFile(pub)
	tests := []struct {
		name    string
		content string
		want    error
	}{
		{"garbage", "hello world\n", ErrKeyFile},
		{"empty", "", ErrKeyFile},
		{"bad PEM", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", ErrKeyFile},
		{"two public keys", string(pubData) + string(pubData), ErrKeyFile},
		{"huge", strings.Repeat("x", maxKeyFileSize+1), ErrKeyFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "k-"+strings.ReplaceAll(tc.name, " ", "-"), tc.content)
			_, err := LoadSigner(p, nil)
			wantErr(t, err, tc.want)
		})
	}
	_, err := LoadSigner(filepath.Join(dir, "missing"), nil)
	wantErr(t, err, ErrKeyFile)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v does not wrap fs.ErrNotExist", err)
	}
}

func TestLoadSignerPassphraseWithGoKey(t *testing.T) {
	dir := t.TempDir()
	signer := seedSigner(t, 41)
	// Re-create the private key from the deterministic seed and protect it.
	block, err := ssh.MarshalPrivateKeyWithPassphrase(seedPrivate(41), "c", []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, dir, "locked", string(pemEncode(block)))
	_, err = LoadSigner(p, nil)
	wantErr(t, err, ErrPassphraseRequired)
	got, err := LoadSigner(p, func() ([]byte, error) { return []byte("pw"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.PublicKey().Marshal(), signer.PublicKey().Marshal()) {
		t.Fatal("wrong key loaded")
	}
}

func TestTerminalPassphraseWithoutTerminal(t *testing.T) {
	if f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		f.Close()
		t.Skip("a terminal is attached; reading from it would block")
	}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		t.Skip("standard input is a terminal")
	}
	pw, err := TerminalPassphrase("Passphrase: ")()
	if err == nil || pw != nil {
		t.Fatalf("got %q, %v; want an error without a terminal", pw, err)
	}
}
