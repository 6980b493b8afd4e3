package bank

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ispit/internal/sshsig"
)

// These tests check a bank with the tools an administrator has: ssh-keygen, sha256sum, tar and
// age, as docs/bank-format.md tells them to. make test installs the tools.

func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (make test installs it)", name)
	}
	return path
}

func runTool(t *testing.T, dir string, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// interopBank builds a bank signed with a key made by ssh-keygen and unpacks it with tar.
func interopBank(t *testing.T) (dir string, built *Built) {
	needTool(t, "ssh-keygen")
	needTool(t, "tar")
	dir = t.TempDir()
	runTool(t, dir, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "authority", "-f", "authority")
	signer, err := sshsig.LoadSigner(filepath.Join(dir, "authority"), nil)
	if err != nil {
		t.Fatal(err)
	}
	built = fastBuild(t, newTestDefinition(8), signer)
	if err := os.WriteFile(filepath.Join(dir, "exam.bank"), built.Bank, 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, dir, nil, "tar", "-xf", "exam.bank")
	pub, err := os.ReadFile(filepath.Join(dir, "authority.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), append([]byte("authority "), pub...), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, built
}

func TestBankChecksWithSSHKeygenAndSha256sum(t *testing.T) {
	dir, built := interopBank(t)
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := runTool(t, dir, manifest, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "authority",
		"-n", NamespaceBank, "-s", "manifest.json.sig")
	if !bytes.Contains(out, []byte("Good \""+NamespaceBank+"\" signature for authority")) {
		t.Fatalf("ssh-keygen -Y verify said: %s", out)
	}
	needTool(t, "sha256sum")
	sum := runTool(t, dir, nil, "sha256sum", "payload.age")
	m, err := DecodeManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(sum), m.Payload.SHA256+" ") {
		t.Fatalf("sha256sum says %s, manifest says %s", sum, m.Payload.SHA256)
	}
	// The wrong namespace must not verify: signatures of banks and rosters are not interchangeable.
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "authority", "-n", NamespaceRoster, "-s", "manifest.json.sig")
	cmd.Dir, cmd.Stdin = dir, bytes.NewReader(manifest)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("ssh-keygen verified the bank signature as a roster signature: %s", out)
	}
	_ = built
}

func TestManifestSignedBySSHKeygenVerifies(t *testing.T) {
	dir, built := interopBank(t)
	runTool(t, dir, nil, "ssh-keygen", "-Y", "sign", "-q", "-n", NamespaceBank, "-f", "authority", "manifest.json")
	parts, err := readContainer(built.Bank, "bank", maxBankSize, bankManifestName, bankSignatureName, bankPayloadName)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := os.ReadFile(filepath.Join(dir, "manifest.json.sig"))
	if err != nil {
		t.Fatal(err)
	}
	resigned := writeContainer([]member{{Name: bankManifestName, Data: parts[0]}, {Name: bankSignatureName, Data: sig}, {Name: bankPayloadName, Data: parts[2]}})
	pub, _ := os.ReadFile(filepath.Join(dir, "authority.pub"))
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(resigned, trust, testNow)
	if err != nil {
		t.Fatalf("a manifest signed by ssh-keygen: %v", err)
	}
	if _, err := v.Open(built.StartCode); err != nil {
		t.Fatal(err)
	}
}

// TestPayloadOpensWithAge decrypts the payload with the age command. age reads a passphrase
// only from a terminal, so script(1) gives it one.
func TestPayloadOpensWithAge(t *testing.T) {
	dir, built := interopBank(t)
	needTool(t, "age")
	needTool(t, "script")
	runTool(t, dir, []byte(built.StartCode+"\n"), "script", "-qec", "age -d -o payload.tar payload.age", "/dev/null")
	plain, err := os.ReadFile(filepath.Join(dir, "payload.tar"))
	if err != nil {
		t.Fatal(err)
	}
	members, err := readMembers(plain, "payload", maxDocumentSize, 10)
	if err != nil {
		t.Fatal(err)
	}
	if members[0].Name != payloadItemsName || !bytes.Contains(members[0].Data, []byte(`"law-003"`)) {
		t.Fatalf("age decrypted something else: first member %q", members[0].Name)
	}
	listing := runTool(t, dir, nil, "tar", "-tf", "payload.tar")
	if strings.TrimSpace(string(listing)) != payloadItemsName {
		t.Fatalf("tar -tf payload.tar: %s", listing)
	}
}

// TestAmendmentChecksWithSSHKeygen checks an amendment as docs/bank-format.md tells an
// operator to, and reads one that ssh-keygen signed.
func TestAmendmentChecksWithSSHKeygen(t *testing.T) {
	dir, built := interopBank(t)
	signer, err := sshsig.LoadSigner(filepath.Join(dir, "authority"), nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := os.ReadFile(filepath.Join(dir, "authority.pub"))
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := ReadAnswerKey(built.Answers, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	a := &Amendment{Format: AmendmentFormat, BankID: key.BankID, ManifestSHA256: key.ManifestSHA256, Sequence: 1,
		IssuedAt: testNow, Reason: "Odluka broj 01-02/2026", Changes: []AmendmentChange{{Item: "law-003", Action: AmendVoid}}}
	file, err := SignAmendment(a, signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fix.amend"), file, 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, dir, nil, "tar", "-xf", "fix.amend")
	doc, err := os.ReadFile(filepath.Join(dir, "amendment.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := runTool(t, dir, doc, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "authority",
		"-n", NamespaceAmendment, "-s", "amendment.json.sig")
	if !bytes.Contains(out, []byte("Good \""+NamespaceAmendment+"\" signature for authority")) {
		t.Fatalf("ssh-keygen -Y verify said: %s", out)
	}
	// The answer key's namespace must not verify it, nor the amendment's namespace an answer key.
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "authority", "-n", NamespaceAnswers, "-s", "amendment.json.sig")
	cmd.Dir, cmd.Stdin = dir, bytes.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("ssh-keygen verified the amendment's signature as an answer key's: %s", out)
	}

	// An amendment.json signed by ssh-keygen reads; signed in the answer key's namespace, it does not.
	for _, tt := range []struct {
		namespace string
		ok        bool
	}{{NamespaceAmendment, true}, {NamespaceAnswers, false}} {
		os.Remove(filepath.Join(dir, "amendment.json.sig"))
		runTool(t, dir, nil, "ssh-keygen", "-Y", "sign", "-q", "-n", tt.namespace, "-f", "authority", "amendment.json")
		sig, err := os.ReadFile(filepath.Join(dir, "amendment.json.sig"))
		if err != nil {
			t.Fatal(err)
		}
		resigned := writeContainer([]member{{Name: amendmentName, Data: doc}, {Name: amendmentSignatureName, Data: sig}})
		got, _, err := ReadAmendment(resigned, trust, testNow)
		if tt.ok && (err != nil || got.Check(key) != nil) {
			t.Fatalf("an amendment signed by ssh-keygen: %v", err)
		}
		if !tt.ok && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("signed by ssh-keygen in namespace %s: err = %v", tt.namespace, err)
		}
	}
}
