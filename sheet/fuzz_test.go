package sheet

import (
	"bytes"
	"testing"
)

// FuzzOpen feeds Open arbitrary sealed sheets, and the part of Open after decryption
// (openInner) arbitrary inner archives, since random bytes hardly ever get past the
// signature and the encryption. Neither may panic, and what they accept must be consistent.
func FuzzOpen(f *testing.F) {
	v := loadVectors(f)
	h, err := ReadHeader(v.sealed)
	if err != nil {
		f.Fatal(err)
	}
	inner, err := decrypt(members(f, v.sealed)[2].Data, v.id)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(v.sealed)
	f.Add(inner)
	f.Add(v.sealed[:1024])
	f.Add(v.plain)
	f.Add(v.receipt)
	f.Fuzz(func(t *testing.T, data []byte) {
		if o, err := Open(data, v.terminalKey, v.id); err == nil {
			if !bytes.Equal(data, v.sealed) {
				t.Fatalf("Open accepted a sealed sheet that is not the vector")
			}
			if o.Sheet == nil || o.Header.SheetID != h.SheetID {
				t.Fatal("Open returned an incomplete sheet")
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
		if o, err := openInner(data, h, v.terminalKey); err == nil {
			if !bytes.Equal(o.SheetJSON, v.plain) || o.Sheet.SheetID != h.SheetID {
				t.Fatal("openInner accepted another sheet")
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
	})
}

// FuzzReadHeader feeds ReadHeader arbitrary files and the header decoder arbitrary JSON: no
// panic, and an accepted header is exactly its canonical encoding.
func FuzzReadHeader(f *testing.F) {
	v := loadVectors(f)
	m := members(f, v.sealed)
	f.Add(v.sealed)
	f.Add(m[0].Data)
	inner, err := decrypt(m[2].Data, v.id)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(members(f, inner)[0].Data)
	f.Add([]byte(`{"format":"ispit-sealed-sheet/1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := ReadHeader(data); err == nil {
			if h2, err := ReadHeader(data); err != nil || h2.SheetID != h.SheetID {
				t.Fatal("ReadHeader is not deterministic")
			}
			if !bytes.Equal(encodeHeader(h, true), members(t, data)[0].Data) {
				t.Fatal("ReadHeader accepted a header that is not canonical")
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
		for _, withDigest := range []bool{true, false} {
			if h, err := decodeHeader(data, withDigest); err == nil {
				if !bytes.Equal(encodeHeader(h, withDigest), data) {
					t.Fatalf("decodeHeader accepted a header that is not canonical: %q", data)
				}
			} else if refused(err) != nil {
				t.Fatal(refused(err))
			}
		}
	})
}

// FuzzVerifyReceipt feeds VerifyReceipt arbitrary receipt files and the receipt decoder
// arbitrary JSON: no panic, and an accepted receipt.json is exactly its canonical encoding.
func FuzzVerifyReceipt(f *testing.F) {
	v := loadVectors(f)
	f.Add(v.receipt)
	f.Add(members(f, v.receipt)[0].Data)
	f.Add(v.sealed)
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := VerifyReceipt(data, v.scorerKey, v.sealed); err == nil {
			if !bytes.Equal(data, v.receipt) || r.Code != vectorReceiptCode {
				t.Fatal("VerifyReceipt accepted another receipt")
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
		if r, err := decodeReceipt(data); err == nil {
			if !bytes.Equal(encodeReceipt(r), data) {
				t.Fatalf("decodeReceipt accepted a receipt that is not canonical: %q", data)
			}
		} else if refused(err) != nil {
			t.Fatal(refused(err))
		}
	})
}
