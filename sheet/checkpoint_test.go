package sheet

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/container"
)

// testCheckpoint is a checkpoint of terminal "room-1-pc-07" with two items, one answered.
func testCheckpoint(seq int64) *exam.Checkpoint {
	return &exam.Checkpoint{
		Format: exam.CheckpointFormat, AttemptID: "0197a0c2-0000-7000-8000-000000000001", Seq: seq,
		Terminal: "room-1-pc-07", Session: "s-1", ProgramVersion: "test",
		Candidate: exam.SheetPerson{Code: "C-001", Name: "Ana Anić", Position: "DEMO-12/2026"},
		BankID:    "demo-2026", ManifestSHA256: "00", Part: "public", Language: "sr-Cyrl", State: exam.StateRunning,
		AllowanceMS: 1_800_000, UsedMS: 600_000, Current: 1, MadeAt: fixedTime,
		Items: []exam.SheetItem{{ID: "q1", Options: []string{"a", "b"}, Answer: "b"}, {ID: "q2", Options: []string{"a", "b"}, Flagged: true}},
	}
}

// spareKey returns the spare terminal's key as a signer and as an age identity.
func spareKey(t testing.TB) (ssh.Signer, age.Identity) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	id, err := agessh.NewEd25519Identity(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, id
}

func TestCheckpointRoundTrip(t *testing.T) {
	terminal, id := seedSigner(t, 1), newIdentity(t)
	cp := testCheckpoint(7)
	sealed, err := SealCheckpoint(cp, terminal, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	o, err := OpenCheckpoint(sealed, "room-1-pc-07", terminal.PublicKey(), id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Checkpoint.Seq != 7 || o.Checkpoint.Answered() != 1 || o.Checkpoint.TimeLeft() != 20*time.Minute || !bytes.Equal(o.JSON, cp.Marshal()) {
		t.Fatalf("opened %+v", o.Checkpoint)
	}
}

func TestCheckpointRefusals(t *testing.T) {
	terminal, other, id := seedSigner(t, 1), seedSigner(t, 2), newIdentity(t)
	sealed, err := SealCheckpoint(testCheckpoint(7), terminal, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	// A checkpoint signed in the sheet's namespace must not pass for a checkpoint.
	plain := testCheckpoint(7).Marshal()
	wrongNS := encryptTo(t, id.Recipient(), container.Write([]container.Member{
		{Name: memberCheckpoint, Data: plain}, {Name: memberCheckpointSig, Data: sign(t, terminal, NamespaceSheet, plain)}}))
	bad := testCheckpoint(7)
	bad.Items[0].Answer = "z"
	badPlain := bad.Marshal()
	invalid := encryptTo(t, id.Recipient(), container.Write([]container.Member{
		{Name: memberCheckpoint, Data: badPlain}, {Name: memberCheckpointSig, Data: sign(t, terminal, NamespaceCheckpoint, badPlain)}}))
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-20] ^= 1
	for _, c := range []struct {
		name     string
		sealed   []byte
		terminal string
		key      ssh.PublicKey
		id       age.Identity
		want     error
	}{
		{"another terminal's key", sealed, "room-1-pc-07", other.PublicKey(), id, ErrSignature},
		{"another terminal's id", sealed, "room-1-pc-08", terminal.PublicKey(), id, ErrBinding},
		{"another scorer", sealed, "room-1-pc-07", terminal.PublicKey(), newIdentity(t), ErrDecrypt},
		{"tampered", tampered, "room-1-pc-07", terminal.PublicKey(), id, ErrDecrypt},
		{"truncated", sealed[:len(sealed)/2], "room-1-pc-07", terminal.PublicKey(), id, ErrDecrypt},
		{"the sheet's namespace", wrongNS, "room-1-pc-07", terminal.PublicKey(), id, ErrSignature},
		{"an answer that is not an option", invalid, "room-1-pc-07", terminal.PublicKey(), id, ErrMalformed},
		{"too large", make([]byte, MaxSealedCheckpointSize+1), "room-1-pc-07", terminal.PublicKey(), id, ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenCheckpoint(c.sealed, c.terminal, c.key, c.id)
			wantErr(t, err, c.want)
		})
	}
	if _, err := SealCheckpoint(bad, terminal, id.Recipient()); err == nil {
		t.Error("sealed a checkpoint whose answer is not an option")
	}
}

// encryptTo encrypts data to r.
func encryptTo(t testing.TB, r age.Recipient, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return out.Bytes()
}

func TestHandoverRoundTripAndRefusals(t *testing.T) {
	terminal, scorerKey, id := seedSigner(t, 1), seedSigner(t, 3), newIdentity(t)
	spare, spareID := spareKey(t)
	sealed, err := SealCheckpoint(testCheckpoint(7), terminal, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	cp, err := OpenCheckpoint(sealed, "room-1-pc-07", terminal.PublicKey(), id)
	if err != nil {
		t.Fatal(err)
	}
	const nonce = "00112233445566778899aabbccddeeff"
	h := Handover{AttemptID: cp.Checkpoint.AttemptID, From: "room-1-pc-07", To: "room-1-spare", Seq: 7,
		CheckpointReceivedAt: fixedTime, HandedAt: fixedTime.Add(time.Minute), Request: nonce}
	file, err := SealHandover(h, cp, scorerKey, spare.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	o, err := OpenHandover(file, spareID, "room-1-spare", nonce, scorerKey.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if o.Checkpoint.Seq != 7 || o.Handover.From != "room-1-pc-07" || !bytes.Equal(o.CheckpointRaw, cp.JSON) {
		t.Fatalf("opened %+v", o.Handover)
	}
	_, otherID := func() (ssh.Signer, age.Identity) {
		priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize))
		s, _ := ssh.NewSignerFromKey(priv)
		i, _ := agessh.NewEd25519Identity(priv)
		return s, i
	}()
	wrongFrom := h
	wrongFrom.From = "room-1-pc-09"
	forged, err := SealHandover(wrongFrom, cp, scorerKey, spare.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		file     []byte
		id       age.Identity
		terminal string
		nonce    string
		key      ssh.PublicKey
		want     error
	}{
		{"another terminal", file, otherID, "room-1-spare", nonce, scorerKey.PublicKey(), ErrDecrypt},
		{"named for another terminal", file, spareID, "room-1-spare-2", nonce, scorerKey.PublicKey(), ErrBinding},
		{"another request", file, spareID, "room-1-spare", "ffeeddccbbaa99887766554433221100", scorerKey.PublicKey(), ErrBinding},
		{"not the scorer's signature", file, spareID, "room-1-spare", nonce, terminal.PublicKey(), ErrSignature},
		{"a checkpoint of another terminal", forged, spareID, "room-1-spare", nonce, scorerKey.PublicKey(), ErrBinding},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenHandover(c.file, c.id, c.terminal, c.nonce, c.key)
			wantErr(t, err, c.want)
		})
	}
}

func TestReadHandoverRequest(t *testing.T) {
	good := `{"format":"ispit-handover-request/1","candidate":"C-001","nonce":"00112233445566778899aabbccddeeff","at":"2026-06-01T09:30:00Z"}`
	if r, err := ReadHandoverRequest([]byte(good)); err != nil || r.Candidate != "C-001" {
		t.Fatalf("%v %+v", err, r)
	}
	for _, c := range []struct{ name, doc string }{
		{"unknown field", `{"format":"ispit-handover-request/1","candidate":"C-001","nonce":"00112233445566778899aabbccddeeff","at":"2026-06-01T09:30:00Z","x":1}`},
		{"short nonce", `{"format":"ispit-handover-request/1","candidate":"C-001","nonce":"0011","at":"2026-06-01T09:30:00Z"}`},
		{"upper-case nonce", `{"format":"ispit-handover-request/1","candidate":"C-001","nonce":"00112233445566778899AABBCCDDEEFF","at":"2026-06-01T09:30:00Z"}`},
		{"no candidate", `{"format":"ispit-handover-request/1","candidate":"","nonce":"00112233445566778899aabbccddeeff","at":"2026-06-01T09:30:00Z"}`},
		{"other format", `{"format":"ispit-handover-request/2","candidate":"C-001","nonce":"00112233445566778899aabbccddeeff","at":"2026-06-01T09:30:00Z"}`},
		{"no time", `{"format":"ispit-handover-request/1","candidate":"C-001","nonce":"00112233445566778899aabbccddeeff"}`},
		{"trailing", good + `{}`},
	} {
		if _, err := ReadHandoverRequest([]byte(c.doc)); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

// FuzzOpenCheckpoint feeds OpenCheckpoint arbitrary files and the part after decryption
// arbitrary archives: neither may panic, and only the genuine checkpoint is accepted.
func FuzzOpenCheckpoint(f *testing.F) {
	terminal, id := seedSigner(f, 1), newIdentity(f)
	sealed, err := SealCheckpoint(testCheckpoint(7), terminal, id.Recipient())
	if err != nil {
		f.Fatal(err)
	}
	plain := testCheckpoint(7).Marshal()
	archive := container.Write([]container.Member{{Name: memberCheckpoint, Data: plain}, {Name: memberCheckpointSig, Data: sign(f, terminal, NamespaceCheckpoint, plain)}})
	continued := testCheckpoint(7)
	continued.ContinuedFrom = "room-1-pc-03"
	continued.ContinuedExport = &exam.ExportProof{Export: []byte(`{"format":"ispit-attempt-export/1"}`), Signature: []byte("-----BEGIN SSH SIGNATURE-----")}
	f.Add(sealed)
	f.Add(archive)
	f.Add(plain)
	f.Add(continued.Marshal())
	f.Fuzz(func(t *testing.T, data []byte) {
		if o, err := OpenCheckpoint(data, "room-1-pc-07", terminal.PublicKey(), id); err == nil {
			if !bytes.Equal(o.JSON, plain) {
				t.Fatal("OpenCheckpoint accepted another checkpoint")
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
		if o, err := readCheckpointArchive(data, "archive", "room-1-pc-07", terminal.PublicKey()); err == nil {
			if !bytes.Equal(o.JSON, plain) {
				t.Fatal("readCheckpointArchive accepted another checkpoint")
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
		if _, err := exam.ReadCheckpoint(data); err != nil && !bytes.Contains([]byte(err.Error()), []byte("not a valid checkpoint")) {
			t.Fatalf("ReadCheckpoint's error does not say what it refused: %v", err)
		}
		if _, err := ReadHandoverRequest(data); err != nil && refused(err) != nil {
			t.Fatal(refused(err))
		}
		if _, err := ReadAdmissionCheck(data); err != nil && refused(err) != nil {
			t.Fatal(refused(err))
		}
		if err := CheckExportProof(&exam.ExportProof{Export: data, Signature: data}, terminal.PublicKey(), "a-1", "room-1-pc-07"); err == nil {
			t.Fatal("CheckExportProof accepted arbitrary bytes")
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
	})
}

// publicExamCheckpoint is the checkpoint of a public exam with its 21 items answered.
func publicExamCheckpoint() *exam.Checkpoint {
	cp := testCheckpoint(1)
	cp.Items = nil
	for i := range 21 {
		cp.Items = append(cp.Items, exam.SheetItem{ID: fmt.Sprintf("pub-%02d", i), Options: []string{"a", "b", "c", "d"}, Answer: "c"})
	}
	return cp
}

// BenchmarkSealCheckpoint is the terminal's cost of sealing a progress checkpoint: a public
// exam of 21 answered items, and a written task of 5,000 words.
func BenchmarkSealCheckpoint(b *testing.B) {
	terminal, id := seedSigner(b, 1), newIdentity(b)
	public := publicExamCheckpoint()
	essay := testCheckpoint(1)
	essay.Current = 0
	essay.Items = []exam.SheetItem{{ID: "w1", Text: strings.Repeat("riječ ", 5000)}}
	for name, cp := range map[string]*exam.Checkpoint{"public-21": public, "essay-5000-words": essay} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				if _, err := SealCheckpoint(cp, terminal, id.Recipient()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenCheckpoint is the scorer's cryptographic floor for a progress checkpoint of a
// public exam (21 answered items): the upload request's signature, the decryption (ML-KEM-768
// with X25519), the terminal's signature inside and the strict decoding — what every
// checkpoint costs before HTTP and the store, one at a time on one core.
func BenchmarkOpenCheckpoint(b *testing.B) {
	terminal, id := seedSigner(b, 1), newIdentity(b)
	cp := publicExamCheckpoint()
	sealed, err := SealCheckpoint(cp, terminal, id.Recipient())
	if err != nil {
		b.Fatal(err)
	}
	sig, err := SignRequest(terminal, cp.Terminal, "POST", "/v1/checkpoints", sealed)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := VerifyRequest(sig, cp.Terminal, "POST", "/v1/checkpoints", sealed, terminal.PublicKey()); err != nil {
			b.Fatal(err)
		}
		if _, err := OpenCheckpoint(sealed, cp.Terminal, terminal.PublicKey(), id); err != nil {
			b.Fatal(err)
		}
	}
}
