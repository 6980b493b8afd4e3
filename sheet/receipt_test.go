package sheet

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"ispit/exam"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

func TestReceiptCode(t *testing.T) {
	for _, tc := range []struct {
		digest []byte
		want   string
	}{
		{make([]byte, 32), "00000-00000"},
		{bytes.Repeat([]byte{0xff}, 32), "ZZZZZ-ZZZZZ"},
		// 0x0123456789abcd: its first 50 bits in groups of five are
		// 00000 00100 10001 10100 01010 11001 11100 01001 10101 01111.
		{[]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}, "04HMA-SW9NF"},
		{[]byte{1, 2, 3, 4, 5, 6, 7}, "04106-1050R"},
	} {
		if got := ReceiptCode(tc.digest); got != tc.want {
			t.Errorf("ReceiptCode(%x) = %s, want %s", tc.digest, got, tc.want)
		}
	}
	// Test vector: the code of the SHA-256 of the empty string, e3b0c442 98fc1c14 ….
	empty := sha256.Sum256(nil)
	if got := ReceiptCode(empty[:]); got != "WERC8-GMRZG" {
		t.Errorf("code of SHA-256(\"\") = %s", got)
	}
	if got := ReceiptCode([]byte{1, 2, 3, 4, 5, 6}); got != "" {
		t.Errorf("short digest: %q", got)
	}

	for in, want := range map[string]string{
		"WEREG-K4RZG":       "WEREG-K4RZG",
		"wereg-k4rzg":       "WEREG-K4RZG",
		"wereg k4rzg":       "WEREG-K4RZG",
		" W E R E G K4RZG ": "WEREG-K4RZG",
		"OIL00-00000":       "01100-00000",
		"oil00-oooo0":       "01100-00000",
	} {
		got, err := NormalizeReceiptCode(in)
		if err != nil || got != want {
			t.Errorf("NormalizeReceiptCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "WEREG-K4RZ", "WEREG-K4RZGG", "WEREG-K4RZU", "WEREG_K4RZG", "WEREG-K4RŽG"} {
		if _, err := NormalizeReceiptCode(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("NormalizeReceiptCode(%q): %v", in, err)
		}
	}
}

// TestKioskKnowsTheReceiptCode: the code the kiosk computes from the sealed bytes in its outbox,
// before any upload, is the code of the receipt the scorer signs for those bytes and the kiosk
// verifies; a second sealing of the same answers has another code.
func TestKioskKnowsTheReceiptCode(t *testing.T) {
	v := loadVectors(t)
	if got := SealedReceiptCode(v.sealed); got != vectorReceiptCode {
		t.Errorf("SealedReceiptCode(vector.sheet) = %s, want %s", got, vectorReceiptCode)
	}
	if r, err := VerifyReceipt(v.receipt, v.scorerKey, v.sealed); err != nil || r.Code != SealedReceiptCode(v.sealed) {
		t.Errorf("vector.receipt: %+v, %v; the kiosk computes %s", r, err, SealedReceiptCode(v.sealed))
	}

	terminal, scorer, id := seedSigner(t, 1), seedSigner(t, 9), newIdentity(t)
	kiosk := &Sealer{Terminal: terminal, Scorer: id.Recipient()}
	h := testHeader("0197a0c2-bbbb-7000-8000-000000000002")
	plain := testSheet(h, 21)
	info := exam.SealInfo{SheetID: h.SheetID, Terminal: h.Terminal, Session: h.Session, BankID: h.BankID, SealedAt: h.SealedAt}
	codes := map[string]bool{}
	for range 2 {
		file, err := kiosk.Seal(plain, info)
		if err != nil {
			t.Fatal(err)
		}
		shown := SealedReceiptCode(file)
		if _, err := NormalizeReceiptCode(shown); err != nil || len(shown) != 11 {
			t.Fatalf("the kiosk's code %q is not a receipt code: %v", shown, err)
		}
		// The scorer's side: it receives the same bytes and answers with a signed receipt.
		signed, err := SignReceipt(NewReceipt(h.SheetID, file, fixedTime.Add(time.Hour)), scorer)
		if err != nil {
			t.Fatal(err)
		}
		r, err := VerifyReceipt(signed, scorer.PublicKey(), file)
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != shown {
			t.Errorf("the kiosk showed %s, the scorer's receipt says %s", shown, r.Code)
		}
		codes[shown] = true
	}
	if len(codes) != 2 {
		t.Errorf("two sealings of the same answers have the same code %v: the code would not name the bytes", codes)
	}
}

func TestReceiptRoundTrip(t *testing.T) {
	terminal, scorer, id := seedSigner(t, 1), seedSigner(t, 9), newIdentity(t)
	s := sealTest(t, "sheet-1", 2, terminal, id)
	at := time.Date(2026, 6, 1, 9, 31, 2, 123456789, time.FixedZone("CEST", 2*3600))
	r := NewReceipt("sheet-1", s.file, at)
	data, err := SignReceipt(r, scorer)
	if err != nil {
		t.Fatal(err)
	}
	again, err := SignReceipt(r, scorer)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatal("the same receipt signed twice differs")
	}
	got, err := VerifyReceipt(data, scorer.PublicKey(), s.file)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(s.file)
	if got.Format != FormatReceipt || got.SheetID != "sheet-1" || !bytes.Equal(got.SealedSHA256, digest[:]) ||
		!got.ReceivedAt.Equal(time.Date(2026, 6, 1, 7, 31, 2, 0, time.UTC)) || got.Code != ReceiptCode(digest[:]) {
		t.Fatalf("receipt %+v", got)
	}
	m := members(t, data)
	if len(m) != 2 || m[0].Name != "receipt.json" || m[1].Name != "receipt.json.sig" {
		t.Fatalf("members %v", m)
	}
	want := `{
  "format": "ispit-receipt/1",
  "sheet_id": "sheet-1",
  "sealed_sha256": "` + hexDigest(digest[:]) + `",
  "received_at": "2026-06-01T07:31:02Z",
  "code": "` + got.Code + `"
}
`
	if string(m[0].Data) != want {
		t.Fatalf("receipt.json\n%s\nwant\n%s", m[0].Data, want)
	}
	// Filled in when left empty.
	bare := Receipt{SheetID: "sheet-1", SealedSHA256: digest[:], ReceivedAt: at}
	if filled, err := SignReceipt(bare, scorer); err != nil || !bytes.Equal(filled, data) {
		t.Fatalf("format and code not filled in: %v", err)
	}
}

func TestVerifyReceiptRefuses(t *testing.T) {
	terminal, scorer, id := seedSigner(t, 1), seedSigner(t, 9), newIdentity(t)
	s1 := sealTest(t, "sheet-1", 2, terminal, id)
	s2 := sealTest(t, "sheet-2", 2, terminal, id)
	r := NewReceipt("sheet-1", s1.file, fixedTime)
	data, err := SignReceipt(r, scorer)
	if err != nil {
		t.Fatal(err)
	}
	key := scorer.PublicKey()

	_, err = VerifyReceipt(data, terminal.PublicKey(), s1.file)
	wantErr(t, err, ErrSignature)
	_, err = VerifyReceipt(data, nil, s1.file)
	wantErr(t, err, ErrSignature)
	_, err = VerifyReceipt(data, key, s2.file)
	wantErr(t, err, ErrBinding)
	// The same sheet with one byte changed is not the sheet the scorer received.
	changed := bytes.Clone(s1.file)
	changed[len(changed)-1] ^= 1
	_, err = VerifyReceipt(data, key, changed)
	wantErr(t, err, ErrBinding)

	// Receipts the scorer signed but that do not fit the sheet.
	signed := func(doc string) []byte {
		return container.Write([]container.Member{{Name: "receipt.json", Data: []byte(doc)}, {Name: "receipt.json.sig", Data: sign(t, scorer, NamespaceReceipt, []byte(doc))}})
	}
	doc := string(encodeReceipt(&r))
	for _, tc := range []struct {
		name, old, new string
		want           error
	}{
		{"other sheet id", `"sheet-1"`, `"sheet-2"`, ErrBinding},
		{"other code", r.Code, "00000-00000", ErrBinding},
		{"lower-case code", r.Code, strings.ToLower(r.Code), ErrBinding},
		{"other format", "ispit-receipt/1", "ispit-receipt/2", ErrUnsupportedFormat},
		{"unknown field", `"code"`, `"note": "", "code"`, ErrMalformed},
		{"not canonical", `": "`, `":"`, ErrMalformed},
		{"fractional time", `Z"`, `.5Z"`, ErrMalformed},
		{"upper-case digest", hexDigest(r.SealedSHA256), strings.ToUpper(hexDigest(r.SealedSHA256)), ErrMalformed},
		{"bad sheet id", `"sheet-1"`, `"sheet 1"`, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(doc, tc.old, tc.new, 1)
			if bad == doc {
				t.Fatal("no change")
			}
			_, err := VerifyReceipt(signed(bad), key, s1.file)
			wantErr(t, err, tc.want)
			t.Log(err)
		})
	}
	if _, err := VerifyReceipt(signed(doc), key, s1.file); err != nil {
		t.Fatal(err)
	}
	// A receipt signature in another namespace.
	other := container.Write([]container.Member{{Name: "receipt.json", Data: []byte(doc)}, {Name: "receipt.json.sig", Data: sign(t, scorer, NamespaceHeader, []byte(doc))}})
	_, err = VerifyReceipt(other, key, s1.file)
	wantErr(t, err, ErrSignature)
	wantErr(t, err, sshsig.ErrNamespace)
	_, err = VerifyReceipt(make([]byte, MaxReceiptSize+1), key, s1.file)
	wantErr(t, err, ErrTooLarge)
	_, err = VerifyReceipt(data, key, []byte("not a sheet"))
	wantErr(t, err, ErrBinding)

	tried := refuseAll(t, data, func(bad []byte) error {
		got, err := VerifyReceipt(bad, key, s1.file)
		if got != nil {
			return errors.New("returned a receipt")
		}
		return refused(err)
	})
	t.Logf("%d altered copies of a %d-byte receipt refused", tried, len(data))
}

func TestSignReceiptRefuses(t *testing.T) {
	scorer := seedSigner(t, 9)
	good := NewReceipt("sheet-1", []byte("sealed"), fixedTime)
	for _, tc := range []struct {
		name string
		f    func(*Receipt)
		want error
	}{
		{"other format", func(r *Receipt) { r.Format = "ispit-receipt/2" }, ErrUnsupportedFormat},
		{"bad sheet id", func(r *Receipt) { r.SheetID = "a b" }, ErrInvalid},
		{"short digest", func(r *Receipt) { r.SealedSHA256 = r.SealedSHA256[:31] }, ErrInvalid},
		{"no time", func(r *Receipt) { r.ReceivedAt = time.Time{} }, ErrInvalid},
		{"year 10000", func(r *Receipt) { r.ReceivedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, ErrInvalid},
		{"wrong code", func(r *Receipt) { r.Code = "00000-00000" }, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			r.SealedSHA256 = bytes.Clone(good.SealedSHA256)
			tc.f(&r)
			_, err := SignReceipt(r, scorer)
			wantErr(t, err, tc.want)
		})
	}
	_, err := SignReceipt(good, nil)
	wantErr(t, err, ErrInvalid)
}
