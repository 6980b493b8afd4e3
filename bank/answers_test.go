package bank

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"ispit/internal/sshsig"
)

// testCompetences are four interview competences adding up to 30 points.
func testCompetences() []Competence {
	return []Competence{
		{ID: "knowledge", Title: testText("Knowledge"), MaxPoints: 10},
		{ID: "communication", Title: testText("Communication"), MaxPoints: 8},
		{ID: "problem-solving", Title: testText("Problem solving"), MaxPoints: 7},
		{ID: "motivation", Title: testText("Motivation"), MaxPoints: 5},
	}
}

// newGradedDefinition is newTestDefinition with a second position whose interview is scored by
// competences, a grading guide and model answer for task-1 and a guide in English only for
// task-2.
func newGradedDefinition() *Definition {
	def := newTestDefinition(8)
	def.Positions = append(def.Positions, Position{Code: "P-2/2026", Department: testText("Other"), Openings: 3, Competences: testCompetences()})
	def.Guides = map[string]GradingGuide{
		"task-1": {Guide: testText("- what earns the points"), ModelAnswer: testText("A model answer.")},
		"task-2": {Guide: Text{"en": "Only in English."}},
	}
	return def
}

func TestAnswerKeyCarriesGuidesAndCompetences(t *testing.T) {
	signer, trust := newTestSigner(t)
	def := newGradedDefinition()
	built := fastBuild(t, def, signer)

	// The kiosk's files carry neither the competences nor the guides.
	v, err := Verify(built.Bank, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Manifest.Positions {
		if p.Competences != nil {
			t.Fatalf("the manifest lists competences of %s", p.Code)
		}
	}
	manifest, _ := ReadManifest(built.Bank)
	if bytes.Contains(manifest, []byte("competences")) || bytes.Contains(manifest, []byte("Knowledge")) {
		t.Fatalf("the manifest carries the competences:\n%s", manifest)
	}
	b, err := v.Open(built.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := encodeItems(b.Manifest.BankID, b.Items)
	if bytes.Contains(items, []byte("guide")) || bytes.Contains(items, []byte("model answer")) || bytes.Contains(items, []byte("A model answer")) {
		t.Fatal("the payload carries a grading guide or model answer")
	}
	if def.Positions[1].Competences == nil {
		t.Fatal("building took the competences off the definition")
	}

	// The answer key carries both, in format 2.
	key, _, err := ReadAnswerKey(built.Answers, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if key.Format != AnswerKeyFormat || AnswerKeyFormat != "ispit-answers/2" {
		t.Fatalf("key format %q", key.Format)
	}
	p, ok := key.Position("P-2/2026")
	if !ok || !reflect.DeepEqual(p.Competences, testCompetences()) {
		t.Fatalf("position P-2/2026 of the key = %+v", p)
	}
	if c, ok := p.Competence("problem-solving"); !ok || c.MaxPoints != 7 || c.Title["sq"] != "Problem solving (sq)" {
		t.Fatalf("Competence(problem-solving) = %+v, %v", c, ok)
	}
	if _, ok := p.Competence("nope"); ok {
		t.Fatal("Competence(nope) found something")
	}
	if p, ok := key.Position("P-1/2026"); !ok || p.Competences != nil {
		t.Fatalf("position P-1/2026 of the key = %+v, %v", p, ok)
	}
	if _, ok := key.Position("P-9"); ok {
		t.Fatal("Position(P-9) found something")
	}
	t1, _ := key.Item("task-1")
	if t1.Guide["hr"] != "- what earns the points (hr)" || t1.ModelAnswer["en"] != "A model answer. (en)" {
		t.Fatalf("key of task-1 = %+v", t1)
	}
	if g := t1.GradingGuide(); !reflect.DeepEqual(g, def.Guides["task-1"]) {
		t.Fatalf("GradingGuide() = %+v", g)
	}
	t2, _ := key.Item("task-2")
	if !reflect.DeepEqual(t2.Guide, Text{"en": "Only in English."}) || t2.ModelAnswer != nil {
		t.Fatalf("key of task-2 = %+v", t2)
	}
	if c, _ := key.Item("law-000"); c.Guide != nil || c.ModelAnswer != nil {
		t.Fatalf("a choice item has a guide: %+v", c)
	}
	decoded, err := DecodeAnswerKey(built.Answers)
	if err != nil || !reflect.DeepEqual(decoded, key) {
		t.Fatalf("DecodeAnswerKey = %+v, %v", decoded, err)
	}

	// Without guides or competences, the key has no trace of them.
	plain := fastBuild(t, newTestDefinition(8), signer)
	parts, _ := readContainer(plain.Answers, "answer key", maxDocumentSize, answersName, answersSignatureName)
	for _, field := range []string{"guide", "model_answer", "competences"} {
		if bytes.Contains(parts[0], []byte(`"`+field+`"`)) {
			t.Errorf("a key without them has %q", field)
		}
	}
}

func TestBuildRefusesInvalidGuidesAndCompetences(t *testing.T) {
	signer, _ := newTestSigner(t)
	tests := []struct {
		name   string
		change func(*Definition)
		want   string
	}{
		{"competences short of 30", func(d *Definition) { d.Positions[1].Competences[3].MaxPoints = 4 },
			"position P-2/2026 has interview competences worth 29 points in all; they must add up to 30"},
		{"competences over 30", func(d *Definition) { d.Positions[1].Competences[0].MaxPoints = 11 },
			"position P-2/2026 has interview competences worth 31 points in all; they must add up to 30"},
		{"empty competence list", func(d *Definition) { d.Positions[1].Competences = []Competence{} },
			"position P-2/2026 has an empty list of interview competences; leave it out to score the interview as one number"},
		{"competence id upper case", func(d *Definition) { d.Positions[1].Competences[0].ID = "Knowledge" },
			"position P-2/2026 competence Knowledge has an id that is not allowed (lower-case letters, digits, '-', at most 32)"},
		{"competence id too long", func(d *Definition) { d.Positions[1].Competences[0].ID = strings.Repeat("k", 33) },
			"position P-2/2026 competence " + strings.Repeat("k", 33) + " has an id that is not allowed (lower-case letters, digits, '-', at most 32)"},
		{"competence id empty", func(d *Definition) { d.Positions[1].Competences[0].ID = "" },
			"position P-2/2026 competence  has an id that is not allowed (lower-case letters, digits, '-', at most 32)"},
		{"competence twice", func(d *Definition) { d.Positions[1].Competences[2].ID = "knowledge" },
			"position P-2/2026 competence knowledge is listed twice"},
		{"competence of no points", func(d *Definition) { d.Positions[1].Competences[3].MaxPoints = 0 },
			"position P-2/2026 competence motivation has 0 points; a competence has 1 to 30"},
		{"competence of negative points", func(d *Definition) { d.Positions[1].Competences[3].MaxPoints = -5 },
			"position P-2/2026 competence motivation has -5 points; a competence has 1 to 30"},
		{"competence title missing a language", func(d *Definition) { delete(d.Positions[1].Competences[1].Title, "sq") },
			"position P-2/2026 competence communication has no title in sq"},
		{"competence title in another language", func(d *Definition) { d.Positions[1].Competences[1].Title["de"] = "Kommunikation" },
			`position P-2/2026 competence communication has a title in "de", which is not a language of the bank`},
		{"guide on a choice item", func(d *Definition) { d.Guides["law-001"] = GradingGuide{Guide: Text{"en": "x"}} },
			"item law-001 is a multiple-choice item; a grading guide and a model answer belong to written tasks"},
		{"guide for no item", func(d *Definition) { d.Guides["task-9"] = GradingGuide{ModelAnswer: Text{"en": "x"}} },
			"item task-9 has a grading guide or model answer, but the bank has no such item"},
		{"guide in another language", func(d *Definition) { d.Guides["task-2"] = GradingGuide{Guide: Text{"en": "x", "de": "y"}} },
			`item task-2 has a grading guide in "de", which is not a language of the bank`},
		{"blank guide", func(d *Definition) { d.Guides["task-2"] = GradingGuide{Guide: Text{"en": " \n"}} },
			"item task-2 has a blank grading guide in en"},
		{"guide in no language", func(d *Definition) { d.Guides["task-2"] = GradingGuide{Guide: Text{}} },
			"item task-2 has a grading guide in no language"},
		{"blank model answer", func(d *Definition) { d.Guides["task-1"].ModelAnswer["sr-Cyrl"] = "" },
			"item task-1 has a blank model answer in sr-Cyrl"},
		{"long model answer", func(d *Definition) { d.Guides["task-1"].ModelAnswer["bs"] = strings.Repeat("x", maxTextLength+1) },
			"item task-1 has a model answer in bs longer than 32768 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := newGradedDefinition()
			tt.change(def)
			_, err := Build(def, BuildOptions{Signer: signer, WorkFactor: 1, Now: testNow})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %q", err, tt.want)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err is a %T", err)
			}
		})
	}
	// An empty guide entry, or one with only a model answer, is allowed.
	def := newGradedDefinition()
	def.Guides["task-2"] = GradingGuide{}
	def.Guides["task-1"] = GradingGuide{ModelAnswer: Text{"sq": "Përgjigje"}}
	if err := def.Validate(); err != nil {
		t.Fatal(err)
	}
}

// answerKeyDocument returns the JSON of a built answer key as a generic value, to edit.
func answerKeyDocument(t *testing.T, answers []byte) map[string]any {
	t.Helper()
	parts, err := readContainer(answers, "answer key", maxDocumentSize, answersName, answersSignatureName)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(parts[0], &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestAnswerKeyFormats(t *testing.T) {
	signer, trust := newTestSigner(t)
	graded := fastBuild(t, newGradedDefinition(), signer)
	plain := fastBuild(t, newTestDefinition(8), signer)
	resign := func(doc map[string]any) []byte {
		t.Helper()
		data := encodeJSON(doc)
		sig, err := sshsig.Sign(signer, NamespaceAnswers, data)
		if err != nil {
			t.Fatal(err)
		}
		return writeContainer([]member{{Name: answersName, Data: data}, {Name: answersSignatureName, Data: sig}})
	}
	edit := func(answers []byte, change func(map[string]any)) []byte {
		doc := answerKeyDocument(t, answers)
		change(doc)
		return resign(doc)
	}
	format := func(f string) func(map[string]any) { return func(d map[string]any) { d["format"] = f } }
	item := func(d map[string]any, id string) map[string]any {
		for _, it := range d["items"].([]any) {
			if m := it.(map[string]any); m["id"] == id {
				return m
			}
		}
		t.Fatalf("no item %s", id)
		return nil
	}

	tests := []struct {
		name string
		file []byte
		want error // nil: read, with the format given
		fmt  string
		msg  string
	}{
		{"format 2 as built", graded.Answers, nil, AnswerKeyFormat, ""},
		{"format 1 without the new fields", edit(plain.Answers, format(AnswerKeyFormat1)), nil, AnswerKeyFormat1, ""},
		{"format 2 without the new fields", plain.Answers, nil, AnswerKeyFormat, ""},
		{"format 1 with guides", edit(graded.Answers, func(d map[string]any) {
			d["format"] = AnswerKeyFormat1
			for _, p := range d["positions"].([]any) {
				delete(p.(map[string]any), "competences")
			}
		}), ErrMalformed, "", "item task-1 has a grading guide or model answer, which a ispit-answers/1 key cannot carry"},
		{"format 1 with a model answer only", edit(plain.Answers, func(d map[string]any) {
			d["format"] = AnswerKeyFormat1
			item(d, "task-2")["model_answer"] = map[string]any{"en": "x"}
		}), ErrMalformed, "", "item task-2 has a grading guide or model answer, which a ispit-answers/1 key cannot carry"},
		{"format 1 with competences", edit(graded.Answers, func(d map[string]any) {
			d["format"] = AnswerKeyFormat1
			for _, id := range []string{"task-1", "task-2"} {
				delete(item(d, id), "guide")
				delete(item(d, id), "model_answer")
			}
		}), ErrMalformed, "", "position P-2/2026 lists interview competences, which a ispit-answers/1 key cannot carry"},
		{"format 3", edit(graded.Answers, format("ispit-answers/3")), ErrUnsupportedFormat, "",
			`answer key: unsupported format version "ispit-answers/3" (this program reads "ispit-answers/1" or "ispit-answers/2")`},
		{"format 3 with fields unknown", edit(graded.Answers, func(d map[string]any) { d["format"] = "ispit-answers/3"; d["rubric"] = 1 }), ErrUnsupportedFormat, "", ""},
		{"no format", edit(graded.Answers, func(d map[string]any) { delete(d, "format") }), ErrUnsupportedFormat, "", ""},
		{"unknown field", edit(graded.Answers, func(d map[string]any) { item(d, "task-1")["rubric"] = "x" }), ErrMalformed, "", `unknown field "rubric"`},
		{"competences not adding up", edit(graded.Answers, func(d map[string]any) {
			p := d["positions"].([]any)[1].(map[string]any)
			p["competences"].([]any)[0].(map[string]any)["max_points"] = 9.0
		}), ErrMalformed, "", "position P-2/2026 has interview competences worth 29 points in all"},
		{"guide on a choice item", edit(graded.Answers, func(d map[string]any) { item(d, "law-000")["guide"] = map[string]any{"en": "x"} }),
			ErrMalformed, "", "item law-000 is a multiple-choice item; a grading guide and a model answer belong to written tasks"},
		{"guide in another language", edit(graded.Answers, func(d map[string]any) { item(d, "task-1")["guide"] = map[string]any{"it": "x"} }),
			ErrMalformed, "", `item task-1 has a grading guide in "it", which is not a language of the bank`},
		{"upper-case digest", edit(graded.Answers, func(d map[string]any) { d["manifest_sha256"] = strings.ToUpper(d["manifest_sha256"].(string)) }),
			ErrMalformed, "", "bank id or digests are missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, _, err := ReadAnswerKey(tt.file, trust, testNow)
			decoded, derr := DecodeAnswerKey(tt.file)
			if tt.want == nil {
				if err != nil || derr != nil {
					t.Fatalf("ReadAnswerKey: %v; DecodeAnswerKey: %v", err, derr)
				}
				if key.Format != tt.fmt || !reflect.DeepEqual(key, decoded) {
					t.Fatalf("format %q, want %q", key.Format, tt.fmt)
				}
				return
			}
			for _, err := range []error{err, derr} {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("err = %v, want %v and %q", err, tt.want, tt.msg)
				}
			}
		})
	}
}

func TestManifestWithCompetencesIsRefused(t *testing.T) {
	signer, _ := newTestSigner(t)
	built := fastBuild(t, newGradedDefinition(), signer)
	manifest, err := ReadManifest(built.Bank)
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	m.Positions[1].Competences = testCompetences()
	_, err = DecodeManifest(encodeJSON(&m))
	if want := "malformed manifest: position P-2/2026 lists interview competences, which belong in the answer key only"; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

// TestAnswerKeyOfFormat1Reads reads an answer key that the previous release (format 1) wrote,
// kept in testdata with the public key that signed it.
func TestAnswerKeyOfFormat1Reads(t *testing.T) {
	file, err := os.ReadFile("testdata/format1.answers")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := os.ReadFile("testdata/format1.pub")
	if err != nil {
		t.Fatal(err)
	}
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		t.Fatal(err)
	}
	key, principal, err := ReadAnswerKey(file, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if key.Format != AnswerKeyFormat1 || principal != "" || key.BankID != "old-key-1" || len(key.Items) != 11 {
		t.Fatalf("read %q by %q: %+v", key.Format, principal, key)
	}
	if p, ok := key.Position("P-1/2026"); !ok || p.Competences != nil || p.Municipality != "Tuzla" {
		t.Fatalf("position = %+v", p)
	}
	if it, ok := key.Item("essay"); !ok || it.MaxPoints != 100 || it.Guide != nil {
		t.Fatalf("essay = %+v", it)
	}
	if decoded, err := DecodeAnswerKey(file); err != nil || !reflect.DeepEqual(decoded, key) {
		t.Fatalf("DecodeAnswerKey: %v", err)
	}
	if Kind(file) != KindAnswerKey {
		t.Fatal("not recognised as an answer key")
	}
}
