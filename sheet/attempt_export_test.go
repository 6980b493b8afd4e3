package sheet

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	"filippo.io/age"

	"ispit/bank"
	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// encryptToCode encrypts an archive to a start code as an export is, at a small work factor.
func encryptToCode(t *testing.T, inner []byte, code string) []byte {
	t.Helper()
	passphrase, err := bank.ParseStartCode(code)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(4)
	var out bytes.Buffer
	w, _ := age.Encrypt(&out, r)
	w.Write(inner)
	w.Close()
	return out.Bytes()
}

func TestAttemptExportRoundTrip(t *testing.T) {
	terminal := seedSigner(t, 1)
	code := bank.NewStartCode()
	cp := testCheckpoint(9)
	at := fixedTime.Add(time.Minute)
	file, err := SealAttemptExport(cp, "proctor", at, terminal, code)
	if err != nil {
		t.Fatal(err)
	}
	// Typed as the proctor typed it, grouped or not, the code opens it.
	o, err := OpenAttemptExport(file, bank.GroupTypedStartCode(code))
	if err != nil {
		t.Fatal(err)
	}
	if o.Export.From != "room-1-pc-07" || o.Export.Seq != 9 || o.Export.ExportedBy != "proctor" || !o.Export.ExportedAt.Equal(at) ||
		o.Checkpoint.Answered() != 1 || o.Signer != sshsig.Fingerprint(terminal.PublicKey()) {
		t.Fatalf("opened %+v, checkpoint %+v", o, o.Checkpoint)
	}
	if !bytes.Equal(o.Checkpoint.Marshal(), cp.Marshal()) {
		t.Fatal("the checkpoint changed on the way")
	}
	// The file is an age file with one scrypt stanza at the bank's work factor: `age -d` opens it.
	if !bytes.HasPrefix(file, []byte("age-encryption.org/v1\n-> scrypt ")) || !bytes.Contains(file, []byte(" 15\n")) {
		t.Fatalf("not an age scrypt file at work factor 15: %q", file[:min(len(file), 120)])
	}
}

func TestAttemptExportRefusals(t *testing.T) {
	terminal := seedSigner(t, 1)
	code := bank.NewStartCode()
	cp := testCheckpoint(9)
	plain := cp.Marshal()
	doc := func(change func(*AttemptExport)) []byte {
		x := AttemptExport{Format: FormatAttemptExport, AttemptID: cp.AttemptID, From: cp.Terminal, Seq: cp.Seq,
			CheckpointSHA256: sha256Hex(plain), ExportedAt: fixedTime, ExportedBy: "proctor"}
		if change != nil {
			change(&x)
		}
		data, _ := json.Marshal(x)
		return data
	}
	archive := func(doc, sig, plain []byte) []byte {
		return container.Write([]container.Member{{Name: memberExport, Data: doc}, {Name: memberExportSig, Data: sig}, {Name: memberCheckpoint, Data: plain}})
	}
	good := doc(nil)
	other := testCheckpoint(10).Marshal()
	for _, c := range []struct {
		name string
		file []byte
		want error
	}{
		{"another session's start code", encryptToCode(t, archive(good, sign(t, terminal, NamespaceAttemptExport, good), plain), bank.NewStartCode()), ErrDecrypt},
		{"not an age file", []byte("a sheet, perhaps"), ErrDecrypt},
		{"too large", make([]byte, MaxSealedCheckpointSize+1), ErrTooLarge},
		{"a member missing", encryptToCode(t, container.Write([]container.Member{{Name: memberExport, Data: good}}), code), ErrMalformed},
		{"signed in another namespace", encryptToCode(t, archive(good, sign(t, terminal, NamespaceCheckpoint, good), plain), code), ErrSignature},
		{"export.json changed after signing", encryptToCode(t, archive(doc(func(x *AttemptExport) { x.ExportedBy = "someone" }), sign(t, terminal, NamespaceAttemptExport, good), plain), code), ErrSignature},
		{"another format", func() []byte {
			d := doc(func(x *AttemptExport) { x.Format = "ispit-attempt-export/2" })
			return encryptToCode(t, archive(d, sign(t, terminal, NamespaceAttemptExport, d), plain), code)
		}(), ErrUnsupportedFormat},
		{"another checkpoint than named", encryptToCode(t, archive(good, sign(t, terminal, NamespaceAttemptExport, good), other), code), ErrBinding},
		{"a checkpoint of another number", func() []byte {
			d := doc(func(x *AttemptExport) { x.CheckpointSHA256 = sha256Hex(other) })
			return encryptToCode(t, archive(d, sign(t, terminal, NamespaceAttemptExport, d), other), code)
		}(), ErrBinding},
		{"not a checkpoint", func() []byte {
			bad := []byte(`{"format":"ispit-checkpoint/1"}`)
			d := doc(func(x *AttemptExport) { x.CheckpointSHA256 = sha256Hex(bad) })
			return encryptToCode(t, archive(d, sign(t, terminal, NamespaceAttemptExport, d), bad), code)
		}(), ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenAttemptExport(c.file, code)
			wantErr(t, err, c.want)
		})
	}
	for name, call := range map[string]func() error{
		"no terminal key": func() error { _, err := SealAttemptExport(cp, "p", fixedTime, nil, code); return err },
		"a mistyped code": func() error { _, err := SealAttemptExport(cp, "p", fixedTime, terminal, "ABCD"); return err },
		"nobody made it":  func() error { _, err := SealAttemptExport(cp, "", fixedTime, terminal, code); return err },
		"a bad checkpoint": func() error {
			_, err := SealAttemptExport(&exam.Checkpoint{Format: exam.CheckpointFormat}, "p", fixedTime, terminal, code)
			return err
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s: sealed", name)
		} else {
			wantErr(t, err, ErrInvalid)
		}
	}
}

// TestCheckExportProof: the proof a spare sends verifies with the old terminal's key for its
// attempt and terminal, and nothing else does.
func TestCheckExportProof(t *testing.T) {
	terminal, other := seedSigner(t, 1), seedSigner(t, 2)
	code := bank.NewStartCode()
	cp := testCheckpoint(9)
	file, err := SealAttemptExport(cp, "proctor", fixedTime, terminal, code)
	if err != nil {
		t.Fatal(err)
	}
	o, err := OpenAttemptExport(file, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckExportProof(&o.Proof, terminal.PublicKey(), cp.AttemptID, cp.Terminal); err != nil {
		t.Fatal(err)
	}
	resigned := func(change func(*AttemptExport)) *exam.ExportProof {
		x := o.Export
		change(&x)
		doc, _ := json.Marshal(x)
		return &exam.ExportProof{Export: doc, Signature: sign(t, terminal, NamespaceAttemptExport, doc)}
	}
	tampered := bytes.Replace(o.Proof.Export, []byte(`"proctor"`), []byte(`"someone"`), 1)
	for _, c := range []struct {
		name          string
		proof         *exam.ExportProof
		other         bool // checked with another terminal's key
		attempt, from string
		want          error
	}{
		{name: "none", proof: nil, want: ErrSignature},
		{name: "checked with another terminal's key", proof: &o.Proof, other: true, want: ErrSignature},
		{name: "changed after signing", proof: &exam.ExportProof{Export: tampered, Signature: o.Proof.Signature}, want: ErrSignature},
		{name: "signed in another namespace", proof: &exam.ExportProof{Export: o.Proof.Export, Signature: sign(t, terminal, NamespaceCheckpoint, o.Proof.Export)}, want: ErrSignature},
		{name: "of another attempt", proof: &o.Proof, attempt: "another-attempt", want: ErrBinding},
		{name: "from another terminal", proof: &o.Proof, from: "room-1-pc-08", want: ErrBinding},
		{name: "another format", proof: resigned(func(x *AttemptExport) { x.Format = "ispit-attempt-export/2" }), want: ErrUnsupportedFormat},
		{name: "not JSON", proof: &exam.ExportProof{Export: []byte("{"), Signature: sign(t, terminal, NamespaceAttemptExport, []byte("{"))}, want: ErrMalformed},
		{name: "too large", proof: &exam.ExportProof{Export: make([]byte, exam.MaxCheckpointSize+1)}, want: ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := terminal.PublicKey()
			if c.other {
				key = other.PublicKey()
			}
			attempt, from := cmp.Or(c.attempt, cp.AttemptID), cmp.Or(c.from, cp.Terminal)
			wantErr(t, CheckExportProof(c.proof, key, attempt, from), c.want)
		})
	}
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hexDigest(sum[:])
}
