package bank

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// amendmentFixture is a built bank's answer key, the key's signer and trust, and a valid
// amendment of it.
type amendmentFixture struct {
	signer ssh.Signer
	trust  *sshsig.Trust
	built  *Built
	key    *AnswerKey
}

func newAmendmentFixture(t *testing.T) *amendmentFixture {
	t.Helper()
	signer, trust := newTestSigner(t)
	built := fastBuild(t, newTestDefinition(8), signer)
	key, _, err := ReadAnswerKey(built.Answers, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return &amendmentFixture{signer: signer, trust: trust, built: built, key: key}
}

// amendment returns a valid amendment of the fixture's key: law-001 (correct b) voided and
// option a of law-002 (correct c) accepted.
func (f *amendmentFixture) amendment() *Amendment {
	return &Amendment{
		Format:         AmendmentFormat,
		BankID:         f.key.BankID,
		ManifestSHA256: f.key.ManifestSHA256,
		Sequence:       1,
		IssuedAt:       time.Date(2026, 6, 20, 10, 30, 0, 0, time.UTC),
		Reason:         "Decision 03-14/2026 of the selection commission: item law-001 had two correct options.",
		Changes: []AmendmentChange{
			{Item: "law-001", Action: AmendVoid},
			{Item: "law-002", Action: AmendAccept, Option: "a"},
		},
	}
}

func (f *amendmentFixture) sign(t *testing.T, a *Amendment) []byte {
	t.Helper()
	file, err := SignAmendment(a, f.signer)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

func TestAmendmentRoundTrip(t *testing.T) {
	f := newAmendmentFixture(t)
	if c, _ := f.key.Item("law-001"); c.Correct != "b" {
		t.Fatalf("fixture: law-001 correct %q", c.Correct)
	}
	if c, _ := f.key.Item("law-002"); c.Correct != "c" {
		t.Fatalf("fixture: law-002 correct %q", c.Correct)
	}
	a := f.amendment()
	if err := a.Check(f.key); err != nil {
		t.Fatal(err)
	}
	file := f.sign(t, a)
	if Kind(file) != KindAmendment {
		t.Fatalf("Kind = %v", Kind(file))
	}
	got, principal, err := ReadAmendment(file, f.trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if principal != "authority" || !reflect.DeepEqual(got, a) {
		t.Fatalf("read by %q: %+v\nwant %+v", principal, got, a)
	}
	if err := got.Check(f.key); err != nil {
		t.Fatal(err)
	}
	decoded, err := DecodeAmendment(file)
	if err != nil || !reflect.DeepEqual(decoded, a) {
		t.Fatalf("DecodeAmendment = %+v, %v", decoded, err)
	}
	// The document is the canonical JSON of the amendment, as the other documents are.
	parts, err := readContainer(file, "amendment", maxDocumentSize, amendmentName, amendmentSignatureName)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "format": "ispit-amendment/1",
  "bank_id": "test-bank",
  "manifest_sha256": "` + f.key.ManifestSHA256 + `",
  "sequence": 1,
  "issued_at": "2026-06-20T10:30:00Z",
  "reason": "Decision 03-14/2026 of the selection commission: item law-001 had two correct options.",
  "changes": [
    {
      "item": "law-001",
      "action": "void"
    },
    {
      "item": "law-002",
      "action": "accept",
      "option": "a"
    }
  ]
}
`
	if string(parts[0]) != want {
		t.Fatalf("amendment.json is\n%s\nwant\n%s", parts[0], want)
	}
	// The other readers refuse it, and it refuses their files.
	if _, _, err := ReadAnswerKey(file, f.trust, testNow); !errors.Is(err, ErrMalformed) {
		t.Errorf("ReadAnswerKey of an amendment: %v", err)
	}
	if _, _, err := ReadAmendment(f.built.Answers, f.trust, testNow); !errors.Is(err, ErrMalformed) {
		t.Errorf("ReadAmendment of an answer key: %v", err)
	}
	if _, err := DecodeAmendment(f.built.Bank); !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodeAmendment of a bank: %v", err)
	}
}

// TestAmendmentTrust checks the amendment's namespace against trust lists of each kind.
func TestAmendmentTrust(t *testing.T) {
	f := newAmendmentFixture(t)
	file := f.sign(t, f.amendment())
	pub := string(ssh.MarshalAuthorizedKey(f.signer.PublicKey()))
	tests := []struct {
		name      string
		trust     string
		principal string
		want      error
	}{
		{"plain public key", pub, "", nil},
		{"allowed_signers without namespaces", "authority@exam " + pub, "authority@exam", nil},
		{"allowed for amendments", `authority@exam namespaces="answer-amendment@ispit" ` + pub, "authority@exam", nil},
		{"allowed for everything of ispit", `authority@exam namespaces="*@ispit" ` + pub, "authority@exam", nil},
		{"allowed for answer keys only", `authority@exam namespaces="answer-key@ispit" ` + pub, "", ErrUntrusted},
		{"amendments denied", `authority@exam namespaces="*@ispit,!answer-amendment@ispit" ` + pub, "", ErrUntrusted},
		{"key expired", `authority@exam valid-before="20260101Z" ` + pub, "", ErrUntrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trust, err := sshsig.ParseTrust([]byte(tt.trust))
			if err != nil {
				t.Fatal(err)
			}
			_, principal, err := ReadAmendment(file, trust, testNow)
			if !errors.Is(err, tt.want) || principal != tt.principal {
				t.Fatalf("principal %q, err %v; want %q, %v", principal, err, tt.principal, tt.want)
			}
		})
	}
}

func TestAmendmentCheckRefuses(t *testing.T) {
	f := newAmendmentFixture(t)
	other := fastBuild(t, newTestDefinition(8), f.signer) // the same bank, built again
	otherKey, _, err := ReadAnswerKey(other.Answers, f.trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Amendment)
		key    *AnswerKey
		want   error
		msg    string
	}{
		{"another bank", func(a *Amendment) { a.BankID = "other-bank" }, nil, ErrAmendmentMismatch,
			"amendment does not match the answer key: it is for bank other-bank, the key for bank test-bank"},
		{"another build of the bank", nil, otherKey, ErrAmendmentMismatch, "it is for the build of bank test-bank with manifest"},
		{"an item the key does not have", func(a *Amendment) { a.Changes[0].Item = "law-099" }, nil, ErrAmendmentMismatch,
			"item law-099 is not in the key"},
		{"a written task voided", func(a *Amendment) { a.Changes[0].Item = "task-1" }, nil, ErrAmendmentMismatch,
			"item task-1 is a written item; only multiple-choice items are voided or given another correct option"},
		{"a written task given an option", func(a *Amendment) { a.Changes[1].Item = "task-2" }, nil, ErrAmendmentMismatch,
			"item task-2 is a written item"},
		{"an option the item does not have", func(a *Amendment) { a.Changes[1].Option = "e" }, nil, ErrAmendmentMismatch,
			`item law-002 has no option "e" (it has a, b, c, d)`},
		{"the correct option accepted", func(a *Amendment) { a.Changes[1].Option = "c" }, nil, ErrAmendmentMismatch,
			"option c is already the correct option of item law-002"},
		{"an item twice", func(a *Amendment) { a.Changes[1].Item = "law-001" }, nil, ErrMalformed,
			"item law-001 is changed twice; one amendment makes one change to an item"},
		{"an item voided twice", func(a *Amendment) { a.Changes = append(a.Changes, a.Changes[0]) }, nil, ErrMalformed,
			"item law-001 is changed twice"},
		{"no changes", func(a *Amendment) { a.Changes = nil }, nil, ErrMalformed, "malformed amendment: it makes no changes"},
		{"empty changes", func(a *Amendment) { a.Changes = []AmendmentChange{} }, nil, ErrMalformed, "it makes no changes"},
		{"sequence 0", func(a *Amendment) { a.Sequence = 0 }, nil, ErrMalformed, "sequence is 0; a bank's amendments are numbered from 1"},
		{"negative sequence", func(a *Amendment) { a.Sequence = -2 }, nil, ErrMalformed, "sequence is -2"},
		{"void naming an option", func(a *Amendment) { a.Changes[0].Option = "a" }, nil, ErrMalformed,
			`item law-001 is voided but the change names option "a"`},
		{"accept without an option", func(a *Amendment) { a.Changes[1].Option = "" }, nil, ErrMalformed,
			`item law-002: accept needs the id of the option accepted, not ""`},
		{"unknown action", func(a *Amendment) { a.Changes[0].Action = "delete" }, nil, ErrMalformed,
			`item law-001 has action "delete"; an amendment voids ("void") or accepts ("accept")`},
		{"bad item id", func(a *Amendment) { a.Changes[0].Item = "law 001" }, nil, ErrMalformed, `change 1 names item "law 001", which is not an item id`},
		{"no reason", func(a *Amendment) { a.Reason = "  " }, nil, ErrMalformed, "it gives no reason"},
		{"reason of two lines", func(a *Amendment) { a.Reason = "Decision 1\nand 2" }, nil, ErrMalformed, "its reason has a line break"},
		{"reason with a line separator", func(a *Amendment) { a.Reason = "Decision 1\u2028and 2" }, nil, ErrMalformed, "its reason has a line break"},
		{"reason with a tab", func(a *Amendment) { a.Reason = "Decision\t1" }, nil, ErrMalformed, "its reason has a line break or other control character"},
		{"reason too long", func(a *Amendment) { a.Reason = strings.Repeat("ž", 501) }, nil, ErrMalformed, "its reason is longer than 500 characters"},
		{"reason not UTF-8", func(a *Amendment) { a.Reason = "Odluka \xff" }, nil, ErrMalformed, "its reason is not UTF-8 text"},
		{"bad bank id", func(a *Amendment) { a.BankID = "Test Bank" }, nil, ErrMalformed, `bank id "Test Bank" is not allowed`},
		{"digest not hex", func(a *Amendment) { a.ManifestSHA256 = strings.Repeat("g", 64) }, nil, ErrMalformed, "manifest_sha256 is not a SHA-256 digest"},
		{"digest in upper case", func(a *Amendment) { a.ManifestSHA256 = strings.ToUpper(a.ManifestSHA256) }, nil, ErrMalformed, "manifest_sha256 is not"},
		{"no issue time", func(a *Amendment) { a.IssuedAt = time.Time{} }, nil, ErrMalformed, "issued_at is missing"},
		{"another format", func(a *Amendment) { a.Format = "ispit-amendment/2" }, nil, ErrUnsupportedFormat, `"ispit-amendment/2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.amendment()
			if tt.change != nil {
				tt.change(a)
			}
			key := f.key
			if tt.key != nil {
				key = tt.key
			}
			err := a.Check(key)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v\nwant %v and %q", err, tt.want, tt.msg)
			}
			// An amendment refused on its own is not signed either.
			if !errors.Is(tt.want, ErrAmendmentMismatch) {
				if _, err := SignAmendment(a, f.signer); !errors.Is(err, tt.want) {
					t.Fatalf("SignAmendment: %v, want %v", err, tt.want)
				}
			}
		})
	}
	// At the limits: a reason of exactly 500 characters, and one change.
	a := f.amendment()
	a.Reason = strings.Repeat("ž", 500)
	a.Changes = a.Changes[1:]
	if err := a.Check(f.key); err != nil {
		t.Fatal(err)
	}
}

// signAmendmentDocument signs any bytes as amendment.json, in namespace.
func signAmendmentDocument(t *testing.T, signer ssh.Signer, doc []byte, namespace string) []byte {
	t.Helper()
	sig, err := sshsig.Sign(signer, namespace, doc)
	if err != nil {
		t.Fatal(err)
	}
	return writeContainer([]member{{Name: amendmentName, Data: doc}, {Name: amendmentSignatureName, Data: sig}})
}

func TestReadAmendmentRefuses(t *testing.T) {
	f := newAmendmentFixture(t)
	good := f.sign(t, f.amendment())
	otherSigner, _ := newTestSigner(t)
	byOther, err := SignAmendment(f.amendment(), otherSigner)
	if err != nil {
		t.Fatal(err)
	}
	doc := encodeJSON(f.amendment())
	parts, _ := readContainer(good, "amendment", maxDocumentSize, amendmentName, amendmentSignatureName)
	keyParts, _ := readContainer(f.built.Answers, "answer key", maxDocumentSize, answersName, answersSignatureName)
	edited := func(change func(map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		return signAmendmentDocument(t, f.signer, encodeJSON(m), NamespaceAmendment)
	}

	tests := []struct {
		name string
		file []byte
		want error
		msg  string
	}{
		{"signed by an untrusted key", byOther, ErrUntrusted, "signed by a key that is not trusted"},
		{"signed as an answer key", signAmendmentDocument(t, f.signer, doc, NamespaceAnswers), ErrBadSignature, "namespace"},
		{"signed as a roster", signAmendmentDocument(t, f.signer, doc, NamespaceRoster), ErrBadSignature, "namespace"},
		{"an answer key's signature moved onto it",
			writeContainer([]member{{Name: amendmentName, Data: parts[0]}, {Name: amendmentSignatureName, Data: keyParts[1]}}), ErrBadSignature, ""},
		{"an answer key renamed",
			writeContainer([]member{{Name: amendmentName, Data: keyParts[0]}, {Name: amendmentSignatureName, Data: keyParts[1]}}), ErrBadSignature, "namespace"},
		{"the document changed after signing",
			writeContainer([]member{{Name: amendmentName, Data: []byte(strings.Replace(string(parts[0]), `"void"`, `"accept", "option": "d"`, 1))}, {Name: amendmentSignatureName, Data: parts[1]}}),
			ErrBadSignature, ""},
		{"unknown field", edited(func(m map[string]any) { m["approved_by"] = "x" }), ErrMalformed, `unknown field "approved_by"`},
		{"unknown field in a change", edited(func(m map[string]any) { m["changes"].([]any)[0].(map[string]any)["points"] = 1 }), ErrMalformed, `unknown field "points"`},
		{"another format version", edited(func(m map[string]any) { m["format"] = "ispit-amendment/2" }), ErrUnsupportedFormat,
			`amendment: unsupported format version "ispit-amendment/2" (this program reads "ispit-amendment/1")`},
		{"no format", edited(func(m map[string]any) { delete(m, "format") }), ErrUnsupportedFormat, ""},
		{"trailing data", signAmendmentDocument(t, f.signer, append(slices.Clone(doc), "{}"...), NamespaceAmendment), ErrMalformed, "data after the end"},
		{"not JSON", signAmendmentDocument(t, f.signer, []byte("void law-001\n"), NamespaceAmendment), ErrMalformed, ""},
		{"a sequence in words", edited(func(m map[string]any) { m["sequence"] = "one" }), ErrMalformed, ""},
		{"no changes", edited(func(m map[string]any) { m["changes"] = []any{} }), ErrMalformed, "it makes no changes"},
		{"members swapped", writeContainer([]member{{Name: amendmentSignatureName, Data: parts[1]}, {Name: amendmentName, Data: parts[0]}}), ErrMalformed, ""},
		{"signature missing", writeContainer([]member{{Name: amendmentName, Data: parts[0]}}), ErrMalformed, ""},
		{"empty", nil, ErrMalformed, ""},
		{"truncated", good[:len(good)-512], ErrMalformed, ""},
		{"trailing byte", append(slices.Clone(good), 0), ErrMalformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := ReadAmendment(tt.file, f.trust, testNow)
			if a != nil || !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v\nwant %v and %q", err, tt.want, tt.msg)
			}
		})
	}
}

// TestEveryByteChangeOfAnAmendmentIsRefused changes each byte of an amendment file in turn.
func TestEveryByteChangeOfAnAmendmentIsRefused(t *testing.T) {
	f := newAmendmentFixture(t)
	file := f.sign(t, f.amendment())
	tampered := slices.Clone(file)
	for i := range tampered {
		tampered[i] ^= 0x01
		a, _, err := ReadAmendment(tampered, f.trust, testNow)
		tampered[i] ^= 0x01
		if err == nil {
			t.Fatalf("changing byte %d was not noticed: %+v", i, a)
		}
	}
}
