package sheet

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

func TestSealOpenRoundTrip(t *testing.T) {
	signer, id := seedSigner(t, 1), newIdentity(t)
	h := testHeader("0197a0c2-aaaa-7000-8000-000000000001")
	plain := testSheet(h, 21)
	file, err := Seal(plain, h, signer, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	m := members(t, file)
	if len(m) != 3 || m[0].Name != "header.json" || m[1].Name != "header.json.sig" || m[2].Name != "sheet.age" {
		t.Fatalf("members %v", m)
	}
	got, err := ReadHeader(file)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(m[2].Data)
	if got.Format != FormatSealed || got.SheetID != h.SheetID || got.Terminal != h.Terminal || got.Session != h.Session ||
		got.BankID != h.BankID || !got.SealedAt.Equal(fixedTime) || !bytes.Equal(got.SheetAgeSHA256, digest[:]) {
		t.Fatalf("header %+v", got)
	}

	o, err := Open(file, signer.PublicKey(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(o.SheetJSON, plain) || !bytes.Equal(o.Sheet.Marshal(), plain) {
		t.Fatal("the plain sheet changed")
	}
	if o.Header.SheetID != h.SheetID || len(o.Sheet.Items) != 21 || o.Sheet.Candidate.Name != "Ana Anić" {
		t.Fatalf("opened %+v", o.Header)
	}
	if _, err := sshsig.Verify(o.SheetSig, o.SheetJSON, NamespaceSheet); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(o.SealedSHA256, SealedSHA256(file)) {
		t.Fatal("SealedSHA256")
	}

	// The inner archive and the rule linking the two headers.
	inner := members(t, decryptInner(t, file, id))
	if len(inner) != 3 || inner[0].Name != "header.json" || inner[1].Name != "sheet.json" || inner[2].Name != "sheet.json.sig" {
		t.Fatalf("inner members %v", inner)
	}
	outerHeader := string(m[0].Data)
	wantInner := strings.Replace(outerHeader, fmt.Sprintf(",\n  \"sheet_age_sha256\": \"%x\"\n}", digest), "\n}", 1)
	if string(inner[0].Data) != wantInner || wantInner == outerHeader {
		t.Fatalf("inner header\n%s\nis not the outer header\n%s\nwithout its digest line", inner[0].Data, outerHeader)
	}
	if !bytes.Equal(inner[1].Data, plain) {
		t.Fatal("inner sheet.json is not the plain sheet")
	}
}

func TestHeaderEncoding(t *testing.T) {
	h := testHeader("s-1")
	h.Format = FormatSealed
	h.SheetAgeSHA256 = bytes.Repeat([]byte{0xab}, 32)
	want := `{
  "format": "ispit-sealed-sheet/1",
  "sheet_id": "s-1",
  "terminal": "room-1-pc-07",
  "session": "0197a0c2-5d3e-7b1a-9f00-1c2d3e4f5a6b",
  "bank_id": "demo-2026",
  "sealed_at": "2026-06-01T09:30:00Z",
  "sheet_age_sha256": "` + strings.Repeat("ab", 32) + `"
}
`
	if got := string(encodeHeader(&h, true)); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := decodeHeader([]byte(want), true); err != nil {
		t.Fatal(err)
	}
	wantInner := strings.Replace(want, ",\n  \"sheet_age_sha256\": \""+strings.Repeat("ab", 32)+"\"", "", 1)
	if got := string(encodeHeader(&h, false)); got != wantInner {
		t.Fatalf("inner: got\n%s\nwant\n%s", got, wantInner)
	}
	if _, err := decodeHeader([]byte(wantInner), false); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeHeader([]byte(want), false); !errors.Is(err, ErrMalformed) {
		t.Fatalf("inner header with digest: %v", err)
	}
	if _, err := decodeHeader([]byte(wantInner), true); !errors.Is(err, ErrMalformed) {
		t.Fatalf("outer header without digest: %v", err)
	}

	for _, tc := range []struct {
		name, old, new string
		want           error
	}{
		{"other format", "ispit-sealed-sheet/1", "ispit-sealed-sheet/2", ErrUnsupportedFormat},
		{"format not a string", `"ispit-sealed-sheet/1"`, `1`, ErrMalformed},
		{"no format", `"format": "ispit-sealed-sheet/1",`, ``, ErrMalformed},
		{"unknown field", `"bank_id"`, `"bank": "x",  "bank_id"`, ErrMalformed},
		{"duplicate field", `"bank_id": "demo-2026",`, `"bank_id": "demo-2026", "bank_id": "demo-2026",`, ErrMalformed},
		{"missing field", `  "session": "0197a0c2-5d3e-7b1a-9f00-1c2d3e4f5a6b",` + "\n", ``, ErrMalformed},
		{"fields reordered", `  "terminal": "room-1-pc-07",` + "\n" + `  "session": "0197a0c2-5d3e-7b1a-9f00-1c2d3e4f5a6b",`, `  "session": "0197a0c2-5d3e-7b1a-9f00-1c2d3e4f5a6b",` + "\n" + `  "terminal": "room-1-pc-07",`, ErrMalformed},
		{"compact", "\n  ", "", ErrMalformed},
		{"no final newline", "}\n", "}", ErrMalformed},
		{"trailing data", "}\n", "}\n{}", ErrMalformed},
		{"CRLF", "\n", "\r\n", ErrMalformed},
		{"escaped character", `"s-1"`, `"s\u002d1"`, ErrMalformed},
		{"fractional seconds", `09:30:00Z`, `09:30:00.5Z`, ErrMalformed},
		{"offset", `09:30:00Z`, `11:30:00+02:00`, ErrMalformed},
		{"lower-case z", `09:30:00Z`, `09:30:00z`, ErrMalformed},
		{"upper-case hex", strings.Repeat("ab", 32), strings.Repeat("AB", 32), ErrMalformed},
		{"short digest", strings.Repeat("ab", 32), strings.Repeat("ab", 31), ErrMalformed},
		{"bad id", `"s-1"`, `"s 1"`, ErrMalformed},
		{"id with slash", `"s-1"`, `"s/1"`, ErrMalformed},
		{"empty id", `"s-1"`, `""`, ErrMalformed},
		{"null id", `"s-1"`, `null`, ErrMalformed},
		{"array", "{", "[{", ErrMalformed},
		{"not JSON", "{", "", ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(want, tc.old, tc.new, 1)
			if bad == want {
				t.Fatal("no change")
			}
			_, err := decodeHeader([]byte(bad), true)
			wantErr(t, err, tc.want)
			t.Log(err)
		})
	}
	big := append([]byte(want), bytes.Repeat([]byte(" "), MaxHeaderSize)...)
	_, err := decodeHeader(big, true)
	wantErr(t, err, ErrMalformed)
}

func TestSealRefuses(t *testing.T) {
	signer, id := seedSigner(t, 1), newIdentity(t)
	h := testHeader("sheet-1")
	plain := testSheet(h, 2)
	x25519, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	scrypt, err := age.NewScryptRecipient("passphrase")
	if err != nil {
		t.Fatal(err)
	}
	var nilHybrid *age.HybridRecipient
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecSigner, err := ssh.NewSignerFromKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	withHeader := func(f func(*Header)) Header { c := h; f(&c); return c }
	otherSheet := func(f func(*exam.Sheet)) []byte {
		var s exam.Sheet
		if err := json.Unmarshal(plain, &s); err != nil {
			t.Fatal(err)
		}
		f(&s)
		return s.Marshal()
	}
	for _, tc := range []struct {
		name   string
		plain  []byte
		h      Header
		signer ssh.Signer
		r      age.Recipient
		want   error
	}{
		{"X25519 recipient", plain, h, signer, x25519.Recipient(), ErrRecipient},
		{"scrypt recipient", plain, h, signer, scrypt, ErrRecipient},
		{"no recipient", plain, h, signer, nil, ErrRecipient},
		{"nil hybrid recipient", plain, h, signer, nilHybrid, ErrRecipient},
		{"no signer", plain, h, nil, id.Recipient(), ErrInvalid},
		{"ECDSA signer", plain, h, ecSigner, id.Recipient(), ErrSigning},
		{"other format", plain, withHeader(func(h *Header) { h.Format = "ispit-sealed-sheet/2" }), signer, id.Recipient(), ErrUnsupportedFormat},
		{"bad sheet id", plain, withHeader(func(h *Header) { h.SheetID = "../x" }), signer, id.Recipient(), ErrInvalid},
		{"empty terminal", plain, withHeader(func(h *Header) { h.Terminal = "" }), signer, id.Recipient(), ErrInvalid},
		{"long session", plain, withHeader(func(h *Header) { h.Session = strings.Repeat("s", 129) }), signer, id.Recipient(), ErrInvalid},
		{"bank id with space", plain, withHeader(func(h *Header) { h.BankID = "demo 2026" }), signer, id.Recipient(), ErrInvalid},
		{"year 10000", plain, withHeader(func(h *Header) { h.SealedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), signer, id.Recipient(), ErrInvalid},
		{"sheet of another terminal", plain, withHeader(func(h *Header) { h.Terminal = "room-1-pc-08" }), signer, id.Recipient(), ErrBinding},
		{"sheet of another session", otherSheet(func(s *exam.Sheet) { s.Session = "other" }), h, signer, id.Recipient(), ErrBinding},
		{"sheet of another bank", otherSheet(func(s *exam.Sheet) { s.BankID = "other" }), h, signer, id.Recipient(), ErrBinding},
		{"sheet with another id", otherSheet(func(s *exam.Sheet) { s.SheetID = "other" }), h, signer, id.Recipient(), ErrBinding},
		{"sheet of another format", otherSheet(func(s *exam.Sheet) { s.Format = "ispit-sheet/2" }), h, signer, id.Recipient(), ErrUnsupportedFormat},
		{"sheet with unknown field", bytes.Replace(plain, []byte(`"part"`), []byte(`"extra":1,"part"`), 1), h, signer, id.Recipient(), ErrMalformed},
		{"sheet with trailing data", append(bytes.Clone(plain), '{'), h, signer, id.Recipient(), ErrMalformed},
		{"not a sheet", []byte("hello"), h, signer, id.Recipient(), ErrMalformed},
		{"empty sheet", nil, h, signer, id.Recipient(), ErrMalformed},
		{"sheet too large", make([]byte, MaxSheetSize+1), h, signer, id.Recipient(), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file, err := Seal(tc.plain, tc.h, tc.signer, tc.r)
			if file != nil {
				t.Fatal("sealed anyway")
			}
			wantErr(t, err, tc.want)
			t.Log(err)
		})
	}

	// A zero sealed-at means now; times are kept in UTC to the second.
	before := time.Now().Truncate(time.Second)
	file, err := Seal(plain, withHeader(func(h *Header) { h.SealedAt = time.Time{} }), signer, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ReadHeader(file)
	if got.SealedAt.Before(before) || got.SealedAt.After(time.Now()) || got.SealedAt.Location() != time.UTC {
		t.Fatalf("sealed at %v", got.SealedAt)
	}
	local := time.Date(2026, 6, 1, 11, 30, 0, 999999999, time.FixedZone("CEST", 2*3600))
	file, err = Seal(plain, withHeader(func(h *Header) { h.SealedAt = local }), signer, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	got, _ = ReadHeader(file)
	if !got.SealedAt.Equal(fixedTime) {
		t.Fatalf("sealed at %v, want %v", got.SealedAt, fixedTime)
	}
}

// mutations returns the replacement values tried at position i of a file: three in a normal
// run, one (alternating among the three) with the race detector.
func mutations(i int, c byte) []byte {
	all := []byte{c ^ 0x01, c ^ 0x80, c ^ 0xff}
	if raceEnabled {
		return all[i%3 : i%3+1]
	}
	return all
}

// alterations calls try with every single-byte change of file, every truncation and every
// deletion of one byte (with the race detector: one change at each position, truncations and
// deletions at every 16th), and a few appended bytes.
func alterations(file []byte, try func(bad []byte, what string)) {
	for i := range file {
		for _, r := range mutations(i, file[i]) {
			bad := bytes.Clone(file)
			bad[i] = r
			try(bad, fmt.Sprintf("byte %d changed from %#x to %#x", i, file[i], r))
		}
		if !raceEnabled || i%16 == 0 {
			try(file[:i], fmt.Sprintf("truncated to %d bytes", i))
			try(append(bytes.Clone(file[:i]), file[i+1:]...), fmt.Sprintf("byte %d deleted", i))
		}
	}
	try(append(bytes.Clone(file), 0), "a byte appended")
	try(append(bytes.Clone(file), make([]byte, 512)...), "a zero block appended")
}

// refuseAll runs check on every alteration of file on all CPUs and returns how many it tried.
// check returns an error when an altered file is not refused as it must be.
func refuseAll(t *testing.T, file []byte, check func(bad []byte) error) int {
	type job struct {
		bad  []byte
		what string
	}
	jobs := make(chan job)
	failed := make(chan string, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := check(j.bad); err != nil {
					select {
					case failed <- j.what + ": " + err.Error():
					default:
					}
				}
			}
		}()
	}
	tried := 0
	alterations(file, func(bad []byte, what string) {
		tried++
		jobs <- job{bad, what}
	})
	close(jobs)
	wg.Wait()
	select {
	case msg := <-failed:
		t.Fatal(msg)
	default:
	}
	return tried
}

// sentinels are the errors a refused input must wrap one of.
var sentinels = []error{ErrMalformed, ErrTooLarge, ErrUnsupportedFormat, ErrSignature, ErrBinding, ErrDecrypt}

// refused returns nil if err wraps one of the sentinels.
func refused(err error) error {
	if err == nil {
		return errors.New("accepted")
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return nil
		}
	}
	return fmt.Errorf("error %v wraps no sentinel", err)
}

func TestOpenRefusesEverySingleByteChange(t *testing.T) {
	signer, id := seedSigner(t, 1), newIdentity(t)
	s := sealTest(t, "s", 0, signer, id)
	key := signer.PublicKey()
	if _, err := Open(s.file, key, id); err != nil {
		t.Fatal(err)
	}
	tried := refuseAll(t, s.file, func(bad []byte) error {
		o, err := Open(bad, key, id)
		if o != nil {
			return errors.New("returned a sheet")
		}
		return refused(err)
	})
	t.Logf("%d altered copies of a %d-byte sealed sheet refused", tried, len(s.file))
}

func TestOpenRefusesOtherTerminal(t *testing.T) {
	a, b, id := seedSigner(t, 1), seedSigner(t, 2), newIdentity(t)
	s := sealTest(t, "sheet-a", 3, a, id)
	m := members(t, s.file)

	// The scorer checks with the key registered for the terminal the header names.
	_, err := Open(s.file, b.PublicKey(), id)
	wantErr(t, err, ErrSignature)
	_, err = Open(s.file, nil, id)
	wantErr(t, err, ErrSignature)

	// Terminal b re-signs a's header as it is: the header signature is no longer a's ...
	resigned := wrapOuterRaw(t, m[0].Data, sign(t, b, NamespaceHeader, m[0].Data), m[2].Data)
	_, err = Open(resigned, a.PublicKey(), id)
	wantErr(t, err, ErrSignature)
	// ... and with b's key the sheet inside is still signed by a.
	_, err = Open(resigned, b.PublicKey(), id)
	wantErr(t, err, ErrSignature)
	if !strings.Contains(err.Error(), "sheet.json.sig") {
		t.Fatalf("error %v does not name sheet.json.sig", err)
	}

	// Terminal b claims a's sheet as its own: the header inside still names a.
	h := s.header
	h.Terminal = "room-1-pc-08"
	claimed := wrapOuter(t, m[2].Data, h, b)
	_, err = Open(claimed, b.PublicKey(), id)
	wantErr(t, err, ErrBinding)

	// A header signature in another namespace (a sheet signature over the header bytes).
	other := wrapOuterRaw(t, m[0].Data, sign(t, a, NamespaceSheet, m[0].Data), m[2].Data)
	_, err = Open(other, a.PublicKey(), id)
	wantErr(t, err, ErrSignature)
	wantErr(t, err, sshsig.ErrNamespace)
}

func TestOpenRefusesSwappedParts(t *testing.T) {
	signer, id := seedSigner(t, 1), newIdentity(t)
	key := signer.PublicKey()
	s1 := sealTest(t, "sheet-1", 2, signer, id)
	s2 := sealTest(t, "sheet-2", 5, signer, id)
	m1, m2 := members(t, s1.file), members(t, s2.file)

	// The outer header (and its signature) of one sheet on the encrypted part of another.
	swapped := wrapOuterRaw(t, m1[0].Data, m1[1].Data, m2[2].Data)
	_, err := Open(swapped, key, id)
	wantErr(t, err, ErrBinding)

	// A header signed for sheet 1 that names sheet 2's encrypted part (what a signing-oracle
	// or a compromised terminal could make): the header inside does not match.
	swapped = wrapOuter(t, m2[2].Data, s1.header, signer)
	_, err = Open(swapped, key, id)
	wantErr(t, err, ErrBinding)

	// Same sheet id, a different sealed-at: still refused, the inner header binds it all.
	h := s2.header
	h.SealedAt = h.SealedAt.Add(time.Second)
	_, err = Open(wrapOuter(t, m2[2].Data, h, signer), key, id)
	wantErr(t, err, ErrBinding)

	// Inner archives put together from parts of two sheets.
	in1, in2 := members(t, decryptInner(t, s1.file, id)), members(t, decryptInner(t, s2.file, id))
	r := id.Recipient()
	innerOf := func(ms ...container.Member) []byte { return container.Write(ms) }
	for _, tc := range []struct {
		name  string
		inner []byte
		want  error
	}{
		{"sheet and signature of another sheet", innerOf(in1[0], in2[1], in2[2]), ErrBinding},
		{"signature of another sheet", innerOf(in1[0], in1[1], in2[2]), ErrSignature},
		{"header of another sheet", innerOf(in2[0], in1[1], in1[2]), ErrBinding},
		{"members out of order", innerOf(in1[0], in1[2], in1[1]), ErrMalformed},
		{"member missing", innerOf(in1[0], in1[1]), ErrMalformed},
		{"extra member", innerOf(in1[0], in1[1], in1[2], in1[2]), ErrMalformed},
		{"renamed member", innerOf(in1[0], container.Member{Name: "sheet.jsn", Data: in1[1].Data}, in1[2]), ErrMalformed},
		{"inner header with the digest", innerOf(container.Member{Name: "header.json", Data: m1[0].Data}, in1[1], in1[2]), ErrBinding},
		{"not an archive", []byte("just text"), ErrMalformed},
		{"empty", nil, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(sealRaw(t, tc.inner, s1.header, signer, r), key, id)
			wantErr(t, err, tc.want)
			t.Log(err)
		})
	}

	// Signed plain sheets that are not acceptable sheets.
	resignedInner := func(plain []byte, ns string) []byte {
		return innerOf(in1[0], container.Member{Name: "sheet.json", Data: plain}, container.Member{Name: "sheet.json.sig", Data: sign(t, signer, ns, plain)})
	}
	for _, tc := range []struct {
		name  string
		plain []byte
		ns    string
		want  error
	}{
		{"sheet signed in the header namespace", s1.plain, NamespaceHeader, ErrSignature},
		{"sheet of another format", bytes.Replace(s1.plain, []byte(exam.SheetFormat), []byte("ispit-sheet/9"), 1), NamespaceSheet, ErrUnsupportedFormat},
		{"sheet with an unknown field", bytes.Replace(s1.plain, []byte(`"part"`), []byte(`"x":1,"part"`), 1), NamespaceSheet, ErrMalformed},
		{"sheet with an unknown nested field", bytes.Replace(s1.plain, []byte(`"code"`), []byte(`"x":1,"code"`), 1), NamespaceSheet, ErrMalformed},
		{"sheet with trailing data", append(bytes.Clone(s1.plain), "{}"...), NamespaceSheet, ErrMalformed},
		{"sheet of another session", bytes.Replace(s1.plain, []byte(s1.header.Session), []byte("other"), 1), NamespaceSheet, ErrBinding},
		{"sheet of another bank", bytes.Replace(s1.plain, []byte(`"bank_id":"demo-2026"`), []byte(`"bank_id":"demo-2027"`), 1), NamespaceSheet, ErrBinding},
		{"sheet of another terminal", bytes.Replace(s1.plain, []byte(`"terminal":"room-1-pc-07"`), []byte(`"terminal":"room-1-pc-08"`), 1), NamespaceSheet, ErrBinding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if bytes.Equal(tc.plain, s1.plain) && tc.ns == NamespaceSheet {
				t.Fatal("no change")
			}
			_, err := Open(sealRaw(t, resignedInner(tc.plain, tc.ns), s1.header, signer, r), key, id)
			wantErr(t, err, tc.want)
			t.Log(err)
		})
	}
	// The helpers do make sheets Open accepts.
	if _, err := Open(sealRaw(t, resignedInner(s1.plain, NamespaceSheet), s1.header, signer, r), key, id); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesOtherScorerKey(t *testing.T) {
	signer := seedSigner(t, 1)
	id, other := newIdentity(t), newIdentity(t)
	s := sealTest(t, "sheet-1", 1, signer, id)
	_, err := Open(s.file, signer.PublicKey(), other)
	wantErr(t, err, ErrDecrypt)
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		t.Fatalf("%v does not wrap the age error", err)
	}
	x25519, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(s.file, signer.PublicKey(), x25519)
	wantErr(t, err, ErrDecrypt)
	_, err = Open(s.file, signer.PublicKey(), nil)
	wantErr(t, err, ErrDecrypt)

	// A terminal that encrypted to a classic X25519 key (not post-quantum) is refused even by
	// the matching identity.
	inner := decryptInner(t, s.file, id)
	classic := sealRaw(t, inner, s.header, signer, x25519.Recipient())
	_, err = Open(classic, signer.PublicKey(), x25519)
	wantErr(t, err, ErrDecrypt)
	if !strings.Contains(err.Error(), "post-quantum") {
		t.Fatalf("error %v does not say why", err)
	}
	// And so is one encrypted to the scorer's key and another key as well.
	var enc bytes.Buffer
	w, err := age.Encrypt(&enc, id.Recipient(), newIdentity(t).Recipient())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(inner)
	w.Close()
	_, err = Open(wrapOuter(t, enc.Bytes(), s.header, signer), signer.PublicKey(), id)
	wantErr(t, err, ErrDecrypt)

	// A damaged age file under a valid signature.
	m := members(t, s.file)
	damaged := bytes.Clone(m[2].Data)
	damaged[len(damaged)-1] ^= 1
	_, err = Open(wrapOuter(t, damaged, s.header, signer), signer.PublicKey(), id)
	wantErr(t, err, ErrDecrypt)
	_, err = Open(wrapOuter(t, []byte("not age"), s.header, signer), signer.PublicKey(), id)
	wantErr(t, err, ErrDecrypt)
}

func TestReadHeaderIsUnverified(t *testing.T) {
	signer, id := seedSigner(t, 1), newIdentity(t)
	s := sealTest(t, "sheet-1", 1, signer, id)
	m := members(t, s.file)
	// A broken signature does not stop routing ...
	bad := wrapOuterRaw(t, m[0].Data, []byte("not a signature"), m[2].Data)
	h, err := ReadHeader(bad)
	if err != nil || h.SheetID != "sheet-1" || h.Terminal != "room-1-pc-07" {
		t.Fatalf("%+v %v", h, err)
	}
	// ... but Open refuses it.
	_, err = Open(bad, signer.PublicKey(), id)
	wantErr(t, err, ErrSignature)

	for _, tc := range []struct {
		name string
		file []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"not tar", []byte("hello"), ErrMalformed},
		{"members out of order", container.Write([]container.Member{m[1], m[0], m[2]}), ErrMalformed},
		{"other format", wrapOuterRaw(t, bytes.Replace(m[0].Data, []byte("sheet/1"), []byte("sheet/2"), 1), m[1].Data, m[2].Data), ErrUnsupportedFormat},
		{"header not canonical", wrapOuterRaw(t, bytes.Replace(m[0].Data, []byte(": "), []byte(":"), 1), m[1].Data, m[2].Data), ErrMalformed},
		{"huge signature", wrapOuterRaw(t, m[0].Data, make([]byte, MaxSignatureSize+1), m[2].Data), ErrMalformed},
		{"too large", make([]byte, MaxSealedSize+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadHeader(tc.file)
			wantErr(t, err, tc.want)
			_, err = Open(tc.file, signer.PublicKey(), id)
			wantErr(t, err, tc.want)
		})
	}
}

func TestLargeSheet(t *testing.T) {
	signer, id := seedSigner(t, 1), newIdentity(t)
	h := testHeader("big")
	plain := testSheet(h, 1)
	// Pad the sheet to the limit with a long written-task text.
	pad := MaxSheetSize - len(plain) - len(`,"text":""`)
	plain = bytes.Replace(plain, []byte(`"flagged":true`), []byte(`"flagged":true,"text":"`+strings.Repeat("x", pad)+`"`), 1)
	if len(plain) != MaxSheetSize {
		t.Fatalf("sheet is %d bytes", len(plain))
	}
	file, err := Seal(plain, h, signer, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a %d-byte plain sheet seals to %d bytes (limit %d)", len(plain), len(file), MaxSealedSize)
	o, err := Open(file, signer.PublicKey(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Sheet.Items[0].Text) != pad {
		t.Fatal("text lost")
	}
}
