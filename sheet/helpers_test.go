package sheet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// fixedTime is the sealed-at time of test sheets.
var fixedTime = time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)

// seedSigner returns a deterministic Ed25519 signer.
func seedSigner(t testing.TB, seed byte) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newIdentity returns a fresh scorer sheet key.
func newIdentity(t testing.TB) *age.HybridIdentity {
	t.Helper()
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// testHeader is the header of the test sheet with the given id.
func testHeader(sheetID string) Header {
	return Header{SheetID: sheetID, Terminal: "room-1-pc-07", Session: "0197a0c2-5d3e-7b1a-9f00-1c2d3e4f5a6b", BankID: "demo-2026", SealedAt: fixedTime}
}

// testSheet is a plain sheet of the header's ids; items > 0 adds answered items and events.
func testSheet(h Header, items int) []byte {
	s := &exam.Sheet{
		Format:         exam.SheetFormat,
		SheetID:        h.SheetID,
		Terminal:       h.Terminal,
		Session:        h.Session,
		ProgramVersion: "test",
		Candidate:      exam.SheetPerson{Code: "C-001", Name: "Ana Anić", Position: "DEMO-12/2026"},
		BankID:         h.BankID,
		ManifestSHA256: "c036ef5e" + string(bytes.Repeat([]byte("0"), 56)),
		Part:           "public",
		Language:       "bs",
		AllowanceMS:    1800000,
		UsedMS:         1799000,
		SubmittedAt:    fixedTime.Add(-time.Minute),
		SubmitReason:   exam.SubmitTimeOut,
		Items:          []exam.SheetItem{},
		Events:         []exam.Event{},
	}
	for i := range items {
		id := string(rune('a'+i%26)) + "-item"
		s.Items = append(s.Items, exam.SheetItem{ID: id, Options: []string{"a", "b", "c", "d"}, Answer: "b", Flagged: i%3 == 0})
		s.Events = append(s.Events, exam.Event{Seq: i + 1, At: fixedTime.Add(time.Duration(i) * time.Second), UsedMS: int64(i) * 1000,
			Kind: exam.EventChoose, Data: json.RawMessage(`{"item":"` + id + `","option":"b"}`)})
	}
	return s.Marshal()
}

// sealed is a sealed test sheet with what made it.
type sealed struct {
	file   []byte
	plain  []byte
	header Header
}

// sealTest seals a test sheet with id sheetID by signer to id's recipient.
func sealTest(t testing.TB, sheetID string, items int, signer ssh.Signer, id *age.HybridIdentity) sealed {
	t.Helper()
	h := testHeader(sheetID)
	plain := testSheet(h, items)
	file, err := Seal(plain, h, signer, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadHeader(file)
	if err != nil {
		t.Fatal(err)
	}
	return sealed{file: file, plain: plain, header: *got}
}

// members returns the members of an archive.
func members(t testing.TB, file []byte) []container.Member {
	t.Helper()
	m, err := container.Read(file, "test", MaxSealedSize, 10)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// decryptInner decrypts the sheet.age of a sealed sheet.
func decryptInner(t testing.TB, file []byte, id age.Identity) []byte {
	t.Helper()
	inner, err := decrypt(members(t, file)[2].Data, id)
	if err != nil {
		t.Fatal(err)
	}
	return inner
}

// sealRaw builds a sealed sheet around arbitrary inner bytes, encrypted to r, with a valid
// outer header h (its digest filled in) signed by signer: what an attacker holding a
// terminal key, or a buggy terminal, could make.
func sealRaw(t testing.TB, inner []byte, h Header, signer ssh.Signer, r age.Recipient) []byte {
	t.Helper()
	var enc bytes.Buffer
	w, err := age.Encrypt(&enc, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(inner)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return wrapOuter(t, enc.Bytes(), h, signer)
}

// wrapOuter writes a sealed sheet of sheetAge under header h (its digest set to sheetAge's),
// signed by signer.
func wrapOuter(t testing.TB, sheetAge []byte, h Header, signer ssh.Signer) []byte {
	t.Helper()
	if h.Format == "" {
		h.Format = FormatSealed
	}
	sum := sha256.Sum256(sheetAge)
	h.SheetAgeSHA256 = sum[:]
	header := encodeHeader(&h, true)
	return wrapOuterRaw(t, header, sign(t, signer, NamespaceHeader, header), sheetAge)
}

// wrapOuterRaw writes a sealed sheet from its three members.
func wrapOuterRaw(t testing.TB, header, sig, sheetAge []byte) []byte {
	t.Helper()
	return container.Write([]container.Member{{Name: memberHeader, Data: header}, {Name: memberHeaderSig, Data: sig}, {Name: memberSheetAge, Data: sheetAge}})
}

// sign makes an SSHSIG signature.
func sign(t testing.TB, signer ssh.Signer, ns string, msg []byte) []byte {
	t.Helper()
	sig, err := sshsig.Sign(signer, ns, msg)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// wantErr fails unless err wraps sentinel.
func wantErr(t testing.TB, err, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("got error %v, want %v", err, sentinel)
	}
}
