package sheet

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"ispit/internal/sshsig"
)

// These tests open sealed sheets the way docs/sheet-format.md tells a scorer operator to: with
// tar, sha256sum, ssh-keygen and age 1.3. `make test` (scripts/deps.sh) installs age 1.3 into
// .tools/bin, since Debian 12's age 1.1.1 does not know post-quantum keys.

// ageTool returns the path of an age 1.3 program (age, age-keygen) in .tools/bin.
func ageTool(t *testing.T, name string) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", ".tools", "bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s 1.3 is not installed at %s: run scripts/deps.sh (or make test), which does "+
			"`GOBIN=$PWD/.tools/bin go install filippo.io/age/cmd/...@v1.3.2`", name, path)
	}
	return path
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed (make test installs it)", name)
	}
}

// runIn runs a command in dir with stdin and returns its standard output; it fails the test
// when the command fails.
func runIn(t *testing.T, dir string, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	out, err := tryIn(dir, stdin, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func tryIn(dir string, stdin []byte, name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return append(out, stderr.Bytes()...), err
	}
	return out, nil
}

func TestInteropOpenByHand(t *testing.T) {
	ageBin, keygen := ageTool(t, "age"), ageTool(t, "age-keygen")
	for _, tool := range []string{"ssh-keygen", "tar", "sha256sum"} {
		needTool(t, tool)
	}
	dir := t.TempDir()

	// The terminal key from ssh-keygen, the scorer sheet key from age-keygen -pq.
	runIn(t, dir, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "room-1-pc-07", "-f", "terminal")
	terminal, err := sshsig.LoadSigner(filepath.Join(dir, "terminal"), nil)
	if err != nil {
		t.Fatal(err)
	}
	runIn(t, dir, nil, keygen, "-pq", "-o", "test-vector-scorer-sheet.key")
	recipientLine := strings.TrimSpace(string(runIn(t, dir, nil, keygen, "-y", "test-vector-scorer-sheet.key")))
	recipient, err := age.ParseHybridRecipient(recipientLine)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, err := os.ReadFile(filepath.Join(dir, "test-vector-scorer-sheet.key"))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(keyFile))
	if err != nil {
		t.Fatal(err)
	}

	h := testHeader("0197a0c2-aaaa-7000-8000-000000000009")
	plain := testSheet(h, 5)
	sealedFile, err := Seal(plain, h, terminal, recipient)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(sealedFile, terminal.PublicKey(), ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.sheet"), sealedFile, 0o644); err != nil {
		t.Fatal(err)
	}

	// The steps of docs/sheet-format.md, "Opening a sheet by hand".
	runIn(t, dir, nil, "tar", "-xf", "x.sheet")
	pub, err := os.ReadFile(filepath.Join(dir, "terminal.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), append([]byte("room-1-pc-07 "), pub...), 0o644); err != nil {
		t.Fatal(err)
	}
	header := readFile(t, dir, "header.json")
	out := runIn(t, dir, header, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "room-1-pc-07",
		"-n", "sheet-header@ispit", "-s", "header.json.sig")
	if !strings.Contains(string(out), `Good "sheet-header@ispit" signature for room-1-pc-07`) {
		t.Fatalf("ssh-keygen: %s", out)
	}
	var hj struct {
		SheetAgeSHA256 string `json:"sheet_age_sha256"`
	}
	if err := json.Unmarshal(header, &hj); err != nil {
		t.Fatal(err)
	}
	sum := strings.Fields(string(runIn(t, dir, nil, "sha256sum", "sheet.age")))[0]
	if sum != hj.SheetAgeSHA256 {
		t.Fatalf("sha256sum %s, header says %s", sum, hj.SheetAgeSHA256)
	}
	runIn(t, dir, nil, ageBin, "-d", "-i", "test-vector-scorer-sheet.key", "-o", "inner.tar", "sheet.age")
	if err := os.Mkdir(filepath.Join(dir, "inner"), 0o755); err != nil {
		t.Fatal(err)
	}
	runIn(t, dir, nil, "tar", "-xf", "inner.tar", "-C", "inner")
	sheetJSON := readFile(t, dir, "inner/sheet.json")
	if !bytes.Equal(sheetJSON, plain) {
		t.Fatal("inner/sheet.json is not the plain sheet")
	}
	out = runIn(t, dir, sheetJSON, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "room-1-pc-07",
		"-n", "sheet@ispit", "-s", "inner/sheet.json.sig")
	if !strings.Contains(string(out), `Good "sheet@ispit" signature for room-1-pc-07`) {
		t.Fatalf("ssh-keygen: %s", out)
	}
	// The inner header is the outer one without its sheet_age_sha256 line.
	innerHeader := readFile(t, dir, "inner/header.json")
	if want := strings.Replace(string(header), ",\n  \"sheet_age_sha256\": \""+sum+"\"\n}", "\n}", 1); string(innerHeader) != want {
		t.Fatalf("inner/header.json\n%s\nwant\n%s", innerHeader, want)
	}

	// ssh-keygen refuses a signature in the wrong namespace, and a changed header.
	if out, err := tryIn(dir, header, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "room-1-pc-07",
		"-n", "sheet@ispit", "-s", "header.json.sig"); err == nil {
		t.Fatalf("ssh-keygen accepted the header signature for sheet@ispit: %s", out)
	}
	changed := bytes.Replace(header, []byte("demo-2026"), []byte("demo-2027"), 1)
	if out, err := tryIn(dir, changed, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "room-1-pc-07",
		"-n", "sheet-header@ispit", "-s", "header.json.sig"); err == nil {
		t.Fatalf("ssh-keygen accepted a changed header: %s", out)
	}
	// age refuses sheet.age with another post-quantum key.
	runIn(t, dir, nil, keygen, "-pq", "-o", "other.key")
	if out, err := tryIn(dir, nil, ageBin, "-d", "-i", "other.key", "-o", "other.tar", "sheet.age"); err == nil {
		t.Fatalf("age decrypted with another key: %s", out)
	}
}

// TestInteropReceiptAndRequest checks receipts and the request vector with ssh-keygen.
func TestInteropReceiptAndRequest(t *testing.T) {
	needTool(t, "ssh-keygen")
	needTool(t, "tar")
	dir := t.TempDir()
	v := loadVectors(t)
	if err := os.WriteFile(filepath.Join(dir, "x.receipt"), v.receipt, 0o644); err != nil {
		t.Fatal(err)
	}
	runIn(t, dir, nil, "tar", "-xf", "x.receipt")
	allowed := "scorer " + strings.TrimSpace(string(readVector(t, "scorer-receipt.pub"))) + "\n" +
		"room-1-pc-07 " + strings.TrimSpace(string(readVector(t, "terminal.pub"))) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(allowed), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runIn(t, dir, readFile(t, dir, "receipt.json"), "ssh-keygen", "-Y", "verify", "-f", "allowed_signers",
		"-I", "scorer", "-n", "receipt@ispit", "-s", "receipt.json.sig")
	if !strings.Contains(string(out), `Good "receipt@ispit" signature for scorer`) {
		t.Fatalf("ssh-keygen: %s", out)
	}

	// The request vector: its header value, armored again, is an ordinary SSHSIG signature.
	if err := os.WriteFile(filepath.Join(dir, "request.sig"), rearmor(requestVector), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := "ispit-upload/1\nPOST\n/v1/sheets\nroom-1-pc-07\n" + hexDigest(SealedSHA256([]byte("sealed sheet"))) + "\n"
	out = runIn(t, dir, []byte(msg), "ssh-keygen", "-Y", "verify", "-f", "allowed_signers",
		"-I", "room-1-pc-07", "-n", "upload@ispit", "-s", "request.sig")
	if !strings.Contains(string(out), `Good "upload@ispit" signature for room-1-pc-07`) {
		t.Fatalf("ssh-keygen: %s", out)
	}
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
