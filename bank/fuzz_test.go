package bank_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// The fuzz targets share a small bank signed by a fixed key and locked with a fixed start code,
// so that every fuzzing worker trusts, and can open, the banks the others were seeded with.
const fuzzStartCode = "DEM0-Z31Z-EW6N-2RX86"

var fuzzNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

type fuzzFixture struct {
	signer    ssh.Signer
	trust     *sshsig.Trust
	built     *bank.Built
	key       *bank.AnswerKey
	amendment []byte // a signed amendment of key
	roster    []byte
	def       *bank.Definition
	initErr   error
}

var (
	fuzzOnce sync.Once
	fuzzFix  fuzzFixture
)

// fuzzBank returns the fixture, made once per process.
func fuzzBank(tb testing.TB) *fuzzFixture {
	tb.Helper()
	fuzzOnce.Do(func() { fuzzFix.initErr = fuzzFix.make() })
	if fuzzFix.initErr != nil {
		tb.Fatal(fuzzFix.initErr)
	}
	return &fuzzFix
}

func (f *fuzzFixture) make() error {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		return err
	}
	f.signer = signer
	f.trust, err = sshsig.ParseTrust(append([]byte(`fuzz@test namespaces="*@ispit" `), ssh.MarshalAuthorizedKey(signer.PublicKey())...))
	if err != nil {
		return err
	}
	f.def, err = fuzzDefinition()
	if err != nil {
		return err
	}
	f.built, err = bank.Build(f.def, bank.BuildOptions{Signer: signer, StartCode: fuzzStartCode, WorkFactor: 1, Now: fuzzNow})
	if err != nil {
		return err
	}
	f.roster, err = bank.SignRoster([]byte("code,name,position,language\nA-1,Emina Hodžić,P-1/2026,bs\nA-2,Драгана Петровић,P-1/2026,\n"), signer)
	if err != nil {
		return err
	}
	f.key, _, err = bank.ReadAnswerKey(f.built.Answers, f.trust, fuzzNow)
	if err != nil {
		return err
	}
	f.amendment, err = bank.SignAmendment(fuzzAmendment(f.key), signer)
	return err
}

// fuzzAmendment is a valid amendment of the fuzz bank's key: mc-03 (correct b) voided and
// option b of mc-04 (correct a) accepted.
func fuzzAmendment(key *bank.AnswerKey) *bank.Amendment {
	return &bank.Amendment{
		Format: bank.AmendmentFormat, BankID: key.BankID, ManifestSHA256: key.ManifestSHA256, Sequence: 1,
		IssuedAt: fuzzNow, Reason: "Odluka 02-7/2026",
		Changes: []bank.AmendmentChange{{Item: "mc-03", Action: bank.AmendVoid}, {Item: "mc-04", Action: bank.AmendAccept, Option: "b"}},
	}
}

// fuzzDefinition is a small valid bank in English, kept small so that the fuzzer's mutations
// and minimisation stay fast: ten multiple-choice items on two topics, one with a picture,
// drawn into a professional test, and one written task.
func fuzzDefinition() (*bank.Definition, error) {
	text := func(s string) bank.Text { return bank.Text{"en": s} }
	img := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.NRGBA{0, 0, 255, 255})
	var pic bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		return nil, err
	}
	picName, err := bank.ImageName(pic.Bytes())
	if err != nil {
		return nil, err
	}
	def := &bank.Definition{
		ID:         "fuzz-1",
		Title:      text("Fuzz bank"),
		Languages:  []string{"en"},
		ValidFrom:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Positions: []bank.Position{{Code: "P-1/2026", Department: text("Department"), Openings: 2, Municipality: "Mostar",
			Competences: []bank.Competence{{ID: "knowledge", Title: text("Knowledge"), MaxPoints: 20}, {ID: "motivation", Title: text("Motivation"), MaxPoints: 10}}}},
		Correct: map[string]string{},
		Guides:  map[string]bank.GradingGuide{"wr-01": {Guide: text("- structure"), ModelAnswer: text("M")}},
		Images:  map[string][]byte{picName: pic.Bytes()},
	}
	var pool []string
	for i := range 10 {
		id := fmt.Sprintf("mc-%02d", i)
		topic := []string{"law", "ethics"}[i%2]
		it := bank.Item{ID: id, Kind: bank.ItemChoice, Topic: topic, Stem: text("Q"),
			Options: []bank.Option{{ID: "a", Text: text("Y")}, {ID: "b", Text: text("N")}}}
		if i == 0 {
			it.Image = picName
		}
		def.Items = append(def.Items, it)
		def.Correct[id] = string(rune('a' + i%2))
		pool = append(pool, id)
	}
	def.Items = append(def.Items, bank.Item{ID: "wr-01", Kind: bank.ItemWritten, Topic: "law", Prompt: text("W"), MaxPoints: 100, WordLimit: 300})
	def.Parts = []bank.Part{
		{ID: "choice", Kind: bank.PartProfessionalChoice, Title: text("Choice"), Positions: []string{"*"}, DurationSeconds: 2700,
			Count: 10, PointsPerItem: 10, MaxPoints: 100, PassMark: 70, Draw: &bank.Draw{Pool: pool, Quota: map[string]int{"law": 5, "ethics": 5}}},
		{ID: "written", Kind: bank.PartProfessionalWritten, Title: text("Written"), Positions: []string{"P-1/2026"}, DurationSeconds: 3600,
			Count: 1, MaxPoints: 100, PassMark: 75, Items: []string{"wr-01"}},
	}
	return def, nil
}

func FuzzDecodeManifest(f *testing.F) {
	fx := fuzzBank(f)
	manifest, err := bank.ReadManifest(fx.built.Bank)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(manifest)
	f.Add(bytes.Replace(manifest, []byte(`"format": "ispit-bank/1"`), []byte(`"format": "ispit-bank/2"`), 1))
	f.Add(bytes.Replace(manifest, []byte(`"bank_id"`), []byte(`"bank_idd"`), 1))
	f.Add(bytes.Replace(manifest, []byte(`"valid_from": "2026-01-01T00:00:00Z"`), []byte(`"valid_from": "0000-01-01T00:00:00+01:00"`), 1))
	f.Add(append(bytes.Clone(manifest), "{}"...))
	f.Add([]byte(`{"format":"ispit-bank/1"}`))
	f.Add([]byte(`{"format":"ispit-bank/1","parts":[{"draw":{"quota":{"x":-1}}}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := bank.DecodeManifest(data)
		if err != nil {
			if m != nil {
				t.Fatal("a manifest returned with an error")
			}
			if !errors.Is(err, bank.ErrMalformed) && !errors.Is(err, bank.ErrUnsupportedFormat) {
				t.Fatalf("refused for no known reason: %v", err)
			}
			return
		}
		if m.Format != bank.ManifestFormat || len(m.Parts) == 0 || len(m.Languages) == 0 || !m.ValidUntil.After(m.ValidFrom) {
			t.Fatalf("accepted %+v", m)
		}
		for i := range m.Parts {
			p := &m.Parts[i]
			if q, ok := m.Part(p.ID); !ok || q.ID != p.ID {
				t.Fatalf("Part(%q) = %v, %v", p.ID, q, ok)
			}
			_ = p.Duration()
			for _, code := range p.Positions {
				m.PartsFor(code)
			}
		}
		// What decodes encodes again, and decodes to the same.
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("a decoded manifest does not encode: %v", err)
		}
		m2, err := bank.DecodeManifest(again)
		if err != nil {
			t.Fatalf("a decoded manifest, encoded again, does not decode: %v\n%s", err, again)
		}
		third, err := json.Marshal(m2)
		if err != nil || !bytes.Equal(again, third) {
			t.Fatalf("encoding is not stable: %v\n%s\n%s", err, again, third)
		}
	})
}

func FuzzParseRosterCSV(f *testing.F) {
	for _, s := range []string{
		"code,name,position,language\nA-1,Emina Hodžić,P-1/2026,bs\nA-2,Ivana Kovačević,P-2/2026,hr\n",
		"\ufeffcode;name;position\r\nA-1;\"Hodžić; Emina\";P-1/2026\r\n\r\n",
		"Position, LANGUAGE ,Name,Code\nP-1/2026,sr-Cyrl,Драгана Петровић,A-1\nP-1/2026,sq,Arbër Krasniqi,a-1\n",
		"code,name,position\n\"A-1\",\"Petar \"\"Pero\"\" Perić\",P-1\n\n",
		"code,name,position\nA-1,\"Emina\nHodžić\",P-1\n",
		"code,name,position\nA-1,Emina \"E\" H,P-1\n",
		"code,name,position\nA-2,Hod\xe8i\xe6,P-1\n",
		"code,name\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		r, err := bank.ParseRosterCSV([]byte(data))
		if err != nil {
			if r != nil {
				t.Fatal("a roster returned with an error")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "roster ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q does not read as one line about the roster", msg)
			}
			return
		}
		if len(r.Candidates) == 0 {
			t.Fatal("an empty roster was accepted")
		}
		seen := map[string]bool{}
		for _, c := range r.Candidates {
			key := strings.ToUpper(c.Code)
			if seen[key] {
				t.Fatalf("code %s twice", c.Code)
			}
			seen[key] = true
			for _, s := range []string{c.Code, c.Name, c.Position, c.Language} {
				if s != strings.TrimSpace(s) || strings.ContainsFunc(s, unicode.IsControl) {
					t.Fatalf("field %q of %+v is not clean", s, c)
				}
			}
			if c.Code == "" || c.Name == "" || c.Position == "" {
				t.Fatalf("candidate %+v lacks a field", c)
			}
			if got, ok := r.Candidate(strings.ToLower(c.Code)); !ok || got.Code != c.Code {
				t.Fatalf("Candidate(%q) = %+v, %v", c.Code, got, ok)
			}
		}
		// Written out again as CSV, the roster reads the same.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"code", "name", "position", "language"})
		for _, c := range r.Candidates {
			w.Write([]string{c.Code, c.Name, c.Position, c.Language})
		}
		w.Flush()
		again, err := bank.ParseRosterCSV(buf.Bytes())
		if err != nil {
			t.Fatalf("written again: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(again.Candidates, r.Candidates) {
			t.Fatalf("written again, it reads %+v, not %+v", again.Candidates, r.Candidates)
		}
	})
}

// FuzzReadBankFile gives arbitrary files to the readers of signed files: Verify (and Open, for
// a file that verifies), ReadManifest, ReadAnswerKey, ReadRoster and Kind.
func FuzzReadBankFile(f *testing.F) {
	fx := fuzzBank(f)
	b := fx.built.Bank
	f.Add(b)
	f.Add(fx.built.Answers)
	f.Add(fx.amendment)
	f.Add(fx.roster)
	f.Add(b[:len(b)-1024])
	f.Add(b[:1024])
	f.Add(append(bytes.Clone(b), 0))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, file []byte) { checkBankFile(t, fx, file) })
}

// checkBankFile reads a file with every reader and checks what must hold of what they accept.
func checkBankFile(t *testing.T, fx *fuzzFixture, file []byte) {
	{
		kind := bank.Kind(file)
		v, err := bank.Verify(file, fx.trust, fuzzNow)
		if err != nil {
			if v != nil {
				t.Fatal("a bank returned with an error")
			}
			known := false
			for _, want := range []error{bank.ErrMalformed, bank.ErrUnsupportedFormat, bank.ErrBadSignature, bank.ErrUntrusted,
				bank.ErrPayloadDigest, bank.ErrNotYetValid, bank.ErrExpired} {
				known = known || errors.Is(err, want)
			}
			if !known {
				t.Fatalf("refused for no known reason: %v", err)
			}
		} else {
			// Only the authority could have made it: it must open, and every part must draw.
			if kind != bank.KindBank {
				t.Fatalf("a verified bank is of kind %v", kind)
			}
			opened, err := v.Open(fuzzStartCode)
			if err != nil {
				t.Fatalf("a verified bank does not open: %v", err)
			}
			for _, p := range opened.Manifest.Parts {
				ids, err := opened.Draw(p.ID, []byte("seed"))
				if err != nil || len(ids) != p.Count {
					t.Fatalf("part %s draws %v, %v", p.ID, ids, err)
				}
				for _, id := range ids {
					if _, ok := opened.Item(id); !ok {
						t.Fatalf("part %s draws unknown item %s", p.ID, id)
					}
				}
			}
		}
		if m, err := bank.ReadManifest(file); err == nil {
			if _, err := bank.DecodeManifest(m); err != nil || kind != bank.KindBank {
				t.Fatalf("ReadManifest returned a manifest that does not decode: %v", err)
			}
		}
		if key, principal, err := bank.ReadAnswerKey(file, fx.trust, fuzzNow); err == nil {
			if kind != bank.KindAnswerKey || principal != "fuzz@test" || key.BankID == "" {
				t.Fatalf("answer key of kind %v by %q: %+v", kind, principal, key)
			}
		}
		if a, principal, err := bank.ReadAmendment(file, fx.trust, fuzzNow); err == nil {
			if kind != bank.KindAmendment || principal != "fuzz@test" || len(a.Changes) == 0 {
				t.Fatalf("amendment of kind %v by %q: %+v", kind, principal, a)
			}
		}
		if r, err := bank.ReadRoster(file, fx.trust, fuzzNow); err == nil {
			if kind != bank.KindRoster || r.Signer != "fuzz@test" || len(r.Candidates) == 0 {
				t.Fatalf("roster of kind %v: %+v", kind, r)
			}
		}
	}
}

// FuzzReadAmendment gives arbitrary amendment.json documents, signed by the trusted key, to
// ReadAmendment, DecodeAmendment and Check against the fuzz bank's answer key.
func FuzzReadAmendment(f *testing.F) {
	fx := fuzzBank(f)
	doc, err := json.MarshalIndent(fuzzAmendment(fx.key), "", "  ")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(doc)
	for _, edit := range [][2]string{
		{`"ispit-amendment/1"`, `"ispit-amendment/2"`},
		{`"sequence": 1`, `"sequence": 0`},
		{`"sequence": 1`, `"sequence": 1e3`},
		{`"option": "b"`, `"option": "a"`},
		{`"option": "b"`, `"option": "z"`},
		{`"mc-03"`, `"mc-04"`},
		{`"mc-03"`, `"wr-01"`},
		{`"void"`, `"accept"`},
		{`"reason": "Odluka 02-7/2026"`, `"reason": "Odluka\n02"`},
		{`"reason": "Odluka 02-7/2026"`, `"reason": "Odluka \u2028 02"`},
		{`"bank_id": "fuzz-1"`, `"bank_id": "fuzz-2"`},
		{`"issued_at": "2026-06-01T09:00:00Z"`, `"issued_at": "10000-01-01T00:00:00Z"`},
		{`"changes": [`, `"extra": 1, "changes": [`},
	} {
		f.Add(bytes.Replace(doc, []byte(edit[0]), []byte(edit[1]), 1))
	}
	f.Add(append(bytes.Clone(doc), "{}"...))
	f.Add([]byte(`{"format":"ispit-amendment/1","changes":[{"item":"mc-01","action":"void"},{"item":"mc-01","action":"void"}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		sig, err := sshsig.Sign(fx.signer, bank.NamespaceAmendment, doc)
		if err != nil {
			t.Fatal(err)
		}
		file := signedAmendment(doc, sig)
		a, principal, err := bank.ReadAmendment(file, fx.trust, fuzzNow)
		decoded, derr := bank.DecodeAmendment(file)
		if err != nil {
			if a != nil || decoded != nil || derr == nil {
				t.Fatalf("refused (%v) but returned %+v, or decoded (%v)", err, a, derr)
			}
			if !errors.Is(err, bank.ErrMalformed) && !errors.Is(err, bank.ErrUnsupportedFormat) {
				t.Fatalf("refused for no known reason: %v", err)
			}
			return
		}
		if derr != nil || !reflect.DeepEqual(a, decoded) || principal != "fuzz@test" || bank.Kind(file) != bank.KindAmendment {
			t.Fatalf("ReadAmendment %+v by %q; DecodeAmendment %+v, %v", a, principal, decoded, derr)
		}
		if a.Format != bank.AmendmentFormat || a.Sequence < 1 || len(a.Changes) == 0 || strings.TrimSpace(a.Reason) == "" ||
			strings.ContainsAny(a.Reason, "\r\n") || utf8.RuneCountInString(a.Reason) > bank.MaxAmendmentReason {
			t.Fatalf("accepted %+v", a)
		}
		// Checked against the key, an amendment read is refused only for not matching it.
		if err := a.Check(fx.key); err != nil {
			if !errors.Is(err, bank.ErrAmendmentMismatch) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Check: %v", err)
			}
		} else {
			for _, c := range a.Changes {
				it, ok := fx.key.Item(c.Item)
				if !ok || it.Kind != bank.ItemChoice || (c.Action == bank.AmendAccept && (c.Option == it.Correct || !slices.Contains(it.Options, c.Option))) {
					t.Fatalf("Check passed change %+v of item %+v", c, it)
				}
			}
		}
		// What reads signs again, and reads the same.
		again, err := bank.SignAmendment(a, fx.signer)
		if err != nil {
			t.Fatalf("an amendment read does not sign again: %v", err)
		}
		if b, _, err := bank.ReadAmendment(again, fx.trust, fuzzNow); err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("signed again, it reads %+v, %v", b, err)
		}
	})
}

// FuzzReadAnswerKey gives arbitrary answers.json documents, of format 1 or 2, signed by the
// trusted key, to ReadAnswerKey and DecodeAnswerKey.
func FuzzReadAnswerKey(f *testing.F) {
	fx := fuzzBank(f)
	doc, err := json.MarshalIndent(fx.key, "", "  ")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(doc)
	for _, edit := range [][2]string{
		{`"ispit-answers/2"`, `"ispit-answers/1"`},
		{`"ispit-answers/2"`, `"ispit-answers/3"`},
		{`"max_points": 20`, `"max_points": 19`},
		{`"id": "motivation"`, `"id": "knowledge"`},
		{`"guide": {`, `"rubric": {`},
		{`"guide": {`, `"guide": {"de": "x", `},
		{`"model_answer": {
            "en": "M"
          }`, `"model_answer": {}`},
	} {
		f.Add(bytes.Replace(doc, []byte(edit[0]), []byte(edit[1]), 1))
	}
	f.Add([]byte(`{"format":"ispit-answers/1"}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		sig, err := sshsig.Sign(fx.signer, bank.NamespaceAnswers, doc)
		if err != nil {
			t.Fatal(err)
		}
		file := container.Write([]container.Member{{Name: "answers.json", Data: doc}, {Name: "answers.json.sig", Data: sig}})
		key, _, err := bank.ReadAnswerKey(file, fx.trust, fuzzNow)
		decoded, derr := bank.DecodeAnswerKey(file)
		if err != nil {
			if key != nil || decoded != nil || derr == nil {
				t.Fatalf("refused (%v) but returned %+v, or decoded (%v)", err, key, derr)
			}
			if !errors.Is(err, bank.ErrMalformed) && !errors.Is(err, bank.ErrUnsupportedFormat) {
				t.Fatalf("refused for no known reason: %v", err)
			}
			return
		}
		if derr != nil || !reflect.DeepEqual(key, decoded) {
			t.Fatalf("DecodeAnswerKey: %v", derr)
		}
		v1 := key.Format == bank.AnswerKeyFormat1
		if !v1 && key.Format != bank.AnswerKeyFormat {
			t.Fatalf("accepted format %q", key.Format)
		}
		for _, p := range key.Positions {
			sum := 0
			for _, c := range p.Competences {
				if got, ok := p.Competence(c.ID); !ok || got.ID != c.ID || c.MaxPoints < 1 {
					t.Fatalf("competence %+v of %s", c, p.Code)
				}
				sum += c.MaxPoints
			}
			if p.Competences != nil && (v1 || sum != bank.InterviewMaxPoints) {
				t.Fatalf("position %s of a %s key has competences worth %d", p.Code, key.Format, sum)
			}
			if q, ok := key.Position(p.Code); !ok || q.Code != p.Code {
				t.Fatalf("Position(%q) = %+v", p.Code, q)
			}
		}
		for _, it := range key.Items {
			if (it.Guide != nil || it.ModelAnswer != nil) && (v1 || it.Kind != bank.ItemWritten) {
				t.Fatalf("item %s (%s) of a %s key has a guide", it.ID, it.Kind, key.Format)
			}
			for _, text := range []bank.Text{it.Guide, it.ModelAnswer} {
				for l, s := range text {
					if !slices.Contains(key.Languages, l) || strings.TrimSpace(s) == "" {
						t.Fatalf("item %s has text %q in %q", it.ID, s, l)
					}
				}
			}
		}
	})
}

// TestFuzzFixture checks that the fuzz targets' bank and roster are what their seeds mean.
func TestFuzzFixture(t *testing.T) {
	fx := fuzzBank(t)
	v, err := bank.Verify(fx.built.Bank, fx.trust, fuzzNow)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := v.Open(fuzzStartCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(opened.Items) != 11 || v.Signer != "fuzz@test" || len(fx.built.Bank) > 16<<10 {
		t.Errorf("%d items, signer %q, %d bytes", len(opened.Items), v.Signer, len(fx.built.Bank))
	}
	if key, _, err := bank.ReadAnswerKey(fx.built.Answers, fx.trust, fuzzNow); err != nil {
		t.Error(err)
	} else if p, _ := key.Position("P-1/2026"); len(p.Competences) != 2 || key.Items[10].Guide == nil {
		t.Errorf("the fuzz key has no competences or guide: %+v", key)
	}
	if a, _, err := bank.ReadAmendment(fx.amendment, fx.trust, fuzzNow); err != nil || a.Check(fx.key) != nil {
		t.Errorf("fuzz amendment: %v", err)
	}
	if _, err := bank.ReadRoster(fx.roster, fx.trust, fuzzNow); err != nil {
		t.Error(err)
	}
}

// signedAmendment is an amendment file of doc and its signature, as SignAmendment writes it.
func signedAmendment(doc, sig []byte) []byte {
	return container.Write([]container.Member{{Name: "amendment.json", Data: doc}, {Name: "amendment.json.sig", Data: sig}})
}
