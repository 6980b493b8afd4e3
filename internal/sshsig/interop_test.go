package sshsig

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// sshKeygenVerify runs ssh-keygen -Y verify and reports whether it accepted.
func sshKeygenVerify(t *testing.T, dir, allowed, principal, ns string, sig, msg []byte, extra ...string) (bool, string) {
	t.Helper()
	sigPath := filepath.Join(dir, "sig")
	if err := os.WriteFile(sigPath, sig, 0o600); err != nil {
		t.Fatal(err)
	}
	allowedPath := writeFile(t, dir, "allowed_signers", allowed)
	args := append([]string{"-Y", "verify", "-f", allowedPath, "-I", principal, "-n", ns, "-s", sigPath}, extra...)
	out, err := run(t, msg, nil, "ssh-keygen", args...)
	return err == nil, out
}

func TestInteropSignThenSSHKeygenVerifies(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	msg := []byte("bank manifest v1\nquestions: 40\n")
	for _, tc := range []struct {
		name   string
		signer ssh.Signer
	}{
		{"ed25519", seedSigner(t, 20)},
		{"sk-ed25519", newSKKey(t, 21, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := Sign(tc.signer, "ispit-bank", msg)
			if err != nil {
				t.Fatal(err)
			}
			allowed := "authority@exam " + pubLine(tc.signer.PublicKey()) + "\n"
			if ok, out := sshKeygenVerify(t, dir, allowed, "authority@exam", "ispit-bank", sig, msg); !ok {
				t.Fatalf("ssh-keygen refused our signature:\n%s\n%s", out, sig)
			}
			if ok, out := sshKeygenVerify(t, dir, allowed, "authority@exam", "ispit-sheet", sig, msg); ok {
				t.Fatalf("ssh-keygen accepted our signature for another namespace:\n%s", out)
			}
			if ok, _ := sshKeygenVerify(t, dir, allowed, "authority@exam", "ispit-bank", sig, append(msg, '!')); ok {
				t.Fatal("ssh-keygen accepted our signature over another message")
			}
		})
	}
}

// sshKeygenKey makes a key with ssh-keygen and returns its path.
func sshKeygenKey(t *testing.T, dir, name, passphrase string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	mustRun(t, nil, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name+"@test", "-f", p)
	return p
}

func TestInteropSSHKeygenSignsThenVerify(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	keyPath := sshKeygenKey(t, dir, "authority", "")
	pubData, err := os.ReadFile(keyPath + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(pubData)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("roster\nalice\nbob\n")
	msgPath := writeFile(t, dir, "roster", string(msg))

	for _, hashAlg := range []string{"", "sha512", "sha256"} {
		t.Run("hash="+hashAlg, func(t *testing.T) {
			args := []string{"-q", "-Y", "sign", "-n", "ispit-roster", "-f", keyPath}
			if hashAlg != "" {
				args = append(args, "-O", "hashalg="+hashAlg)
			}
			_ = os.Remove(msgPath + ".sig")
			out, err := run(t, nil, nil, "ssh-keygen", append(args, msgPath)...)
			if err != nil {
				if hashAlg == "sha256" {
					t.Skipf("this ssh-keygen cannot sign with sha256: %s", out)
				}
				t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, out)
			}
			sig, err := os.ReadFile(msgPath + ".sig")
			if err != nil {
				t.Fatal(err)
			}
			key, err := Verify(sig, msg, "ispit-roster")
			if err != nil {
				t.Fatalf("Verify refused ssh-keygen's signature: %v\n%s", err, sig)
			}
			if !bytes.Equal(key.Marshal(), pub.Marshal()) {
				t.Fatal("Verify returned another key")
			}
			_, err = Verify(sig, msg, "ispit-bank")
			wantErr(t, err, ErrNamespace)
			_, err = Verify(sig, []byte("roster\nalice\nmallory\n"), "ispit-roster")
			wantErr(t, err, ErrBadSignature)
		})
	}

	// LoadSigner reads ssh-keygen's private key file and signs.
	signer, err := LoadSigner(keyPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(signer.PublicKey().Marshal(), pub.Marshal()) {
		t.Fatal("LoadSigner: public key differs from the .pub file")
	}
	sig, err := Sign(signer, "ispit-roster", msg)
	if err != nil {
		t.Fatal(err)
	}
	allowed := "authority@exam namespaces=\"ispit-*\" " + strings.TrimSpace(string(pubData)) + "\n"
	if ok, out := sshKeygenVerify(t, dir, allowed, "authority@exam", "ispit-roster", sig, msg); !ok {
		t.Fatalf("ssh-keygen refused: %s", out)
	}
	// ssh-keygen signs the same bytes with the same key: Ed25519 is
	// deterministic, so the files must be identical.
	_ = os.Remove(msgPath + ".sig")
	mustRun(t, nil, nil, "ssh-keygen", "-q", "-Y", "sign", "-n", "ispit-roster", "-f", keyPath, msgPath)
	theirs, err := os.ReadFile(msgPath + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sig, theirs) {
		t.Fatalf("our signature file differs from ssh-keygen's:\nours:\n%s\ntheirs:\n%s", sig, theirs)
	}
}

func TestInteropPassphraseProtectedKey(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	keyPath := sshKeygenKey(t, dir, "locked", "correct horse battery")

	_, err := LoadSigner(keyPath, nil)
	wantErr(t, err, ErrPassphraseRequired)
	if !strings.Contains(err.Error(), keyPath) {
		t.Errorf("error %q does not name the file", err)
	}

	_, err = LoadSigner(keyPath, func() ([]byte, error) { return []byte("wrong"), nil })
	wantErr(t, err, ErrWrongPassphrase)

	errTTY := errors.New("no terminal")
	_, err = LoadSigner(keyPath, func() ([]byte, error) { return nil, errTTY })
	wantErr(t, err, errTTY)

	calls := 0
	signer, err := LoadSigner(keyPath, func() ([]byte, error) {
		calls++
		return []byte("correct horse battery"), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("passphrase callback called %d times", calls)
	}
	msg := []byte("m")
	sig, err := Sign(signer, "ns", msg)
	if err != nil {
		t.Fatal(err)
	}
	pubData, err := os.ReadFile(keyPath + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if ok, out := sshKeygenVerify(t, dir, "x@y "+string(pubData), "x@y", "ns", sig, msg); !ok {
		t.Fatalf("ssh-keygen refused: %s", out)
	}
}

func TestInteropUnprotectedKeyNeedsNoCallback(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	keyPath := sshKeygenKey(t, dir, "open", "")
	if _, err := LoadSigner(keyPath, func() ([]byte, error) {
		t.Fatal("passphrase asked for an unprotected key")
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestInteropNonEd25519KeyFilesRefused(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	for _, typ := range []string{"ecdsa", "rsa"} {
		p := filepath.Join(dir, typ)
		mustRun(t, nil, nil, "ssh-keygen", "-q", "-t", typ, "-N", "", "-f", p)
		_, err := LoadSigner(p, nil)
		wantErr(t, err, ErrKeyType)
		_, err = LoadSigner(p+".pub", nil)
		wantErr(t, err, ErrKeyType)
		pub, err := os.ReadFile(p + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseTrust(pub)
		wantErr(t, err, ErrTrustSyntax)
	}
}

func TestInteropWriteKeyPairReadBySSHKeygen(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "terminal"), filepath.Join(dir, "terminal.pub")
	if err := WriteKeyPair(priv, pub, "kiosk-07"); err != nil {
		t.Fatal(err)
	}
	derived := mustRun(t, nil, nil, "ssh-keygen", "-y", "-f", priv)
	written, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	// ssh-keygen -y prints "type base64 comment".
	if strings.TrimSpace(derived) != strings.TrimSpace(string(written)) {
		t.Fatalf("ssh-keygen -y gives %q, we wrote %q", derived, written)
	}
	msgPath := writeFile(t, dir, "sheet", "answers")
	mustRun(t, nil, nil, "ssh-keygen", "-q", "-Y", "sign", "-n", "ispit-sheet", "-f", priv, msgPath)
	sig, err := os.ReadFile(msgPath + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(sig, []byte("answers"), "ispit-sheet"); err != nil {
		t.Fatal(err)
	}
}

// TestInteropTrustAgreesWithSSHKeygen checks Trust.Check against
// ssh-keygen -Y verify for allowed_signers options, at fixed verify times.
func TestInteropTrustAgreesWithSSHKeygen(t *testing.T) {
	needTool(t, "ssh-keygen")
	dir := t.TempDir()
	signer := seedSigner(t, 30)
	key := pubLine(signer.PublicKey())
	msg := []byte("m")
	at := time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		options string
		ns      string
		want    bool
	}{
		{``, "bank", true},
		{`namespaces="bank"`, "bank", true},
		{`namespaces="bank"`, "sheet", false},
		{`namespaces="ispit-*"`, "ispit-bank", true},
		{`namespaces="ispit-*"`, "bank", false},
		{`namespaces="ispit-?ank"`, "ispit-bank", true},
		{`namespaces="ispit-?ank"`, "ispit-bbank", false},
		{`namespaces="*,!ispit-sheet"`, "ispit-sheet", false},
		{`namespaces="*,!ispit-sheet"`, "ispit-bank", true},
		{`namespaces="a,b,c"`, "b", true},
		{`NAMESPACES="bank"`, "bank", true},
		{`valid-after="20300615Z"`, "bank", true},
		{`valid-after="20300616Z"`, "bank", false},
		{`valid-after="203006151200Z"`, "bank", true},
		{`valid-after="20300615120001Z"`, "bank", false},
		{`valid-before="20300615120000Z"`, "bank", true},
		{`valid-before="20300615115959Z"`, "bank", false},
		{`valid-before="20300614Z"`, "bank", false},
		{`valid-after="20300101Z",valid-before="20310101Z",namespaces="bank"`, "bank", true},
		{`valid-after="20300101Z",valid-before="20310101Z",namespaces="bank"`, "sheet", false},
		{`valid-after="20310101Z",valid-before="20320101Z"`, "bank", false},
	}
	for _, tc := range tests {
		t.Run(tc.options+"/"+tc.ns, func(t *testing.T) {
			line := "p@x " + tc.options + " " + key + "\n"
			if tc.options == "" {
				line = "p@x " + key + "\n"
			}
			sig, err := Sign(signer, tc.ns, msg)
			if err != nil {
				t.Fatal(err)
			}
			theirs, out := sshKeygenVerify(t, dir, line, "p@x", tc.ns, sig, msg,
				"-O", "verify-time="+at.Format("20060102150405")+"Z")
			trust, err := ParseTrust([]byte(line))
			if err != nil {
				t.Fatal(err)
			}
			_, cerr := trust.Check(signer.PublicKey(), tc.ns, at)
			ours := cerr == nil
			if ours != theirs || ours != tc.want {
				t.Fatalf("Check says %v (%v), ssh-keygen says %v, want %v:\n%s", ours, cerr, theirs, tc.want, out)
			}
		})
	}
}
