package sheet

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"
)

// The test vectors in testdata/ pin the format: a sheet sealed once must open with every later
// version of this package. Run `go test ./sheet -run TestVectors -update-vectors` to make them
// again (only when the format version changes).
var updateVectors = flag.Bool("update-vectors", false, "write the test vectors in testdata/ anew")

// Test keys of the vectors: terminal and scorer receipt keys are Ed25519 keys whose seeds are
// 32 bytes of 0x01 and 0x09; the scorer sheet key is testdata/test-vector-scorer-sheet.key.
const (
	vectorTerminalSeed = 1
	vectorScorerSeed   = 9
)

// vectorReceiptCode is the receipt code of testdata/vector.sheet.
const vectorReceiptCode = "8RJ38-0QD7V"

// vectorHeader is the header of testdata/vector.sheet.
func vectorHeader() Header {
	return Header{SheetID: "0197a0c2-aaaa-7000-8000-000000000001", Terminal: "room-1-pc-07",
		Session: "0197a0c2-5d3e-7b1a-9f00-1c2d3e4f5a6b", BankID: "demo-2026", SealedAt: fixedTime}
}

// vectors are the contents of testdata/.
type vectors struct {
	id          *age.HybridIdentity
	terminalKey ssh.PublicKey
	scorerKey   ssh.PublicKey
	plain       []byte
	sealed      []byte
	receipt     []byte
}

func readVector(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func loadVectors(t testing.TB) *vectors {
	t.Helper()
	ids, err := age.ParseIdentities(bytes.NewReader(readVector(t, "test-vector-scorer-sheet.key")))
	if err != nil || len(ids) != 1 {
		t.Fatalf("test-vector-scorer-sheet.key: %v", err)
	}
	id, ok := ids[0].(*age.HybridIdentity)
	if !ok {
		t.Fatalf("test-vector-scorer-sheet.key holds a %T", ids[0])
	}
	parseKey := func(name string) ssh.PublicKey {
		key, _, _, _, err := ssh.ParseAuthorizedKey(readVector(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return key
	}
	return &vectors{
		id:          id,
		terminalKey: parseKey("terminal.pub"),
		scorerKey:   parseKey("scorer-receipt.pub"),
		plain:       readVector(t, "sheet.json"),
		sealed:      readVector(t, "vector.sheet"),
		receipt:     readVector(t, "vector.receipt"),
	}
}

func writeVectors(t *testing.T) {
	id := newIdentity(t)
	terminal, scorer := seedSigner(t, vectorTerminalSeed), seedSigner(t, vectorScorerSeed)
	h := vectorHeader()
	plain := testSheet(h, 3)
	sealed, err := Seal(plain, h, terminal, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := SignReceipt(NewReceipt(h.SheetID, sealed, fixedTime.Add(2*time.Second)), scorer)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"test-vector-scorer-sheet.key": []byte("# the scorer sheet key of the test vectors; public key: " + id.Recipient().String() + "\n" + id.String() + "\n"),
		"terminal.pub":                 ssh.MarshalAuthorizedKey(terminal.PublicKey()),
		"scorer-receipt.pub":           ssh.MarshalAuthorizedKey(scorer.PublicKey()),
		"sheet.json":                   plain,
		"vector.sheet":                 sealed,
		"vector.receipt":               receipt,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join("testdata", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("receipt code %s", ReceiptCode(SealedSHA256(sealed)))
}

func TestVectors(t *testing.T) {
	if *updateVectors {
		writeVectors(t)
	}
	v := loadVectors(t)
	o, err := Open(v.sealed, v.terminalKey, v.id)
	if err != nil {
		t.Fatal(err)
	}
	want := vectorHeader()
	if !bytes.Equal(o.SheetJSON, v.plain) || o.Header.SheetID != want.SheetID || !o.Header.SealedAt.Equal(want.SealedAt) {
		t.Fatalf("opened %+v", o.Header)
	}
	r, err := VerifyReceipt(v.receipt, v.scorerKey, v.sealed)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != vectorReceiptCode || !strings.HasPrefix(string(v.receipt), "receipt.json\x00") {
		t.Fatalf("receipt code %s, want %s", r.Code, vectorReceiptCode)
	}
	// The keys are the documented test keys.
	if !bytes.Equal(v.terminalKey.Marshal(), seedSigner(t, vectorTerminalSeed).PublicKey().Marshal()) ||
		!bytes.Equal(v.scorerKey.Marshal(), seedSigner(t, vectorScorerSeed).PublicKey().Marshal()) {
		t.Fatal("the vector keys are not the seeded test keys")
	}
}
