package importer

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/bank/source"
)

var testNow = time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)

// load renders a source into memory and loads it as bankctl build does.
func load(t testing.TB, src *Source) (*bank.Definition, map[string][]byte, error) {
	t.Helper()
	files, err := src.Files()
	if err != nil {
		t.Fatalf("rendering: %v", err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	def, err := source.LoadFS(fsys, RootFile)
	return def, files, err
}

func testSigner(t testing.TB) ssh.Signer {
	signer, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

func build(t testing.TB, def *bank.Definition) {
	t.Helper()
	if _, err := bank.Build(def, bank.BuildOptions{Signer: testSigner(t), StartCode: "DEM0-Z31Z-EW6N-2RX86", WorkFactor: 1, Now: testNow}); err != nil {
		t.Fatalf("build: %v", err)
	}
}

// TestSourcesLoadAndBuild imports every fixture and loads the source it makes with bank/source:
// it loads and builds when it has enough items for a part, and otherwise fails only for
// having no part (its items are checked all the same).
func TestSourcesLoadAndBuild(t *testing.T) {
	tests := []struct {
		fixture string
		parts   []string
	}{
		{"gift/sample.gift", []string{"professional-choice (professional-choice): 10 items drawn from topics drzavna-sluzba, etika-integritet, 45m", "professional-written (professional-written): 1 written task, 2h"}},
		{"gift/windows.gift", []string{"professional-written (professional-written): 1 written task, 2h"}},
		{"aiken/sample.txt", nil},
		{"moodle/sample.xml", []string{"professional-written (professional-written): 2 written tasks, 2h"}},
		{"qti/choice21.xml", nil},
		{"qti/essay.xml", []string{"professional-written (professional-written): 1 written task, 2h"}},
		{"qti/package", []string{"professional-written (professional-written): 1 written task, 2h"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var data []byte
			if tt.fixture == "qti/package" {
				data = zipDir(t, tt.fixture)
			} else {
				data = fixture(t, tt.fixture)
			}
			res, err := Parse(FormatAuto, filepath.Base(tt.fixture), data, os.DirFS(filepath.Join("testdata", filepath.Dir(tt.fixture))), "hr")
			if err != nil {
				t.Fatal(err)
			}
			src, _, err := NewSource(res, Options{Lang: "hr", ID: "test-1", Input: tt.fixture, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			parts, _ := src.Parts()
			var got []string
			for _, p := range parts {
				got = append(got, PartSummary(p))
			}
			if !reflect.DeepEqual(got, tt.parts) {
				t.Errorf("parts %q, want %q", got, tt.parts)
			}
			def, _, err := load(t, src)
			if tt.parts == nil {
				if err == nil || !strings.HasSuffix(err.Error(), "bank: has no parts") {
					t.Fatalf("load: %v, want only 'has no parts'", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if len(def.Items) != len(res.Questions) || def.ValidFrom != time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) {
				t.Fatalf("%d items of %d questions, valid from %v", len(def.Items), len(res.Questions), def.ValidFrom)
			}
			for i, q := range res.Questions {
				it := def.Items[i]
				text := it.Stem["hr"]
				if q.Kind == bank.ItemWritten {
					text = it.Prompt["hr"]
				}
				if text != q.Text || it.Kind != q.Kind || (it.Image != "") != (q.Image != nil) {
					t.Errorf("item %s: %q %s, want %q %s", it.ID, text, it.Kind, q.Text, q.Kind)
				}
				if q.Kind == bank.ItemChoice && def.Correct[it.ID] != it.Options[q.Correct].ID {
					t.Errorf("item %s: correct %s", it.ID, def.Correct[it.ID])
				}
			}
			build(t, def)
		})
	}
}

// TestPublicPart imports enough questions for a public exam: it draws 21 of them from the
// topics in proportion.
func TestPublicPart(t *testing.T) {
	var gift strings.Builder
	for i := 1; i <= 30; i++ {
		if i == 1 || i == 21 {
			fmt.Fprintf(&gift, "$CATEGORY: $course$/top/Tema %d\n\n", i)
		}
		fmt.Fprintf(&gift, "::p-%02d::Pitanje %d?{=da ~ne ~možda}\n\n", i, i)
	}
	gift.WriteString("::e1::Esej 1.{}\n\n::e2::Esej 2.{}\n\n::e3::Esej 3.{}\n")
	res, err := ParseGIFT([]byte(gift.String()), "sr-Cyrl")
	if err != nil {
		t.Fatal(err)
	}
	src, _, err := NewSource(res, Options{Lang: "sr-cyrl", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	def, files, err := load(t, src)
	if err != nil {
		t.Fatalf("%v\n%s", err, files[RootFile])
	}
	if p := def.Parts[0]; p.Kind != bank.PartPublic || len(p.Draw.Pool) != 30 || !reflect.DeepEqual(p.Draw.Quota, map[string]int{"tema-1": 14, "tema-21": 7}) {
		t.Errorf("public part %+v", p.Draw)
	}
	if p := def.Parts[1]; p.Kind != bank.PartProfessionalWritten || len(p.Items) != 3 {
		t.Errorf("written part %+v", p)
	}
	var points []int
	for _, it := range def.Items[30:] {
		points = append(points, it.MaxPoints)
	}
	if !reflect.DeepEqual(points, []int{34, 33, 33}) || def.Title["sr-Cyrl"] != "Увезена питања" || def.ID != "imported" {
		t.Errorf("points %v, title %v, id %s", points, def.Title, def.ID)
	}
	build(t, def)
}

func TestShares(t *testing.T) {
	tests := []struct {
		weights []float64
		want    []int
	}{
		{nil, []int{}},
		{[]float64{0}, []int{100}},
		{[]float64{30, 20}, []int{60, 40}},
		{[]float64{1, 1, 1}, []int{34, 33, 33}},
		{[]float64{1000, 1}, []int{99, 1}},
		{[]float64{-1, 0, 2}, []int{25, 25, 50}},
		{make([]float64, 101), append(make([]int, 0), bytesOfOnes(101)...)},
	}
	for _, tt := range tests {
		got := shares(tt.weights, 100)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("shares(%v) = %v, want %v", tt.weights, got, tt.want)
		}
	}
}

func bytesOfOnes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}

func TestNewSourceIDsAndImages(t *testing.T) {
	png := fixture(t, "images/chart.png")
	jpg := fixture(t, "images/sign.jpg")
	res := &Result{Format: FormatGIFT, Questions: []Question{
		{ID: "Q 1: prvo", Number: 1, Where: "line 1", Name: "a", Kind: bank.ItemChoice, Text: "A", Options: []string{"x", "y"}, Image: &Image{Name: "slika.png", Data: png}},
		{ID: "Q-1-prvo", Number: 2, Where: "line 3", Name: "b", Kind: bank.ItemChoice, Text: "B", Options: []string{"x", "y"}, Correct: 1, Image: &Image{Name: "slika.png", Data: jpg}},
		{Number: 3, Where: "line 5", Name: "c", Kind: bank.ItemChoice, Text: "C", Options: []string{"x", "y"}, Image: &Image{Name: "druga.png", Data: png}},
		{ID: "!!!", Number: 4, Where: "line 7", Name: "d", Kind: bank.ItemWritten, Text: "D", WordLimit: 300},
	}}
	src, notes, err := NewSource(res, Options{Lang: "en", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var ids, images []string
	for _, it := range src.Items {
		ids = append(ids, it.ID)
		if it.Image != "" {
			images = append(images, it.Image)
		}
	}
	if !reflect.DeepEqual(ids, []string{"Q-1-prvo", "Q-1-prvo-2", "q-003", "q-004"}) || !reflect.DeepEqual(images, []string{"images/slika.png", "images/slika-2.png", "images/slika.png"}) {
		t.Errorf("ids %v, images %v", ids, images)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "id Q-1-prvo is taken") {
		t.Errorf("notes %q", notes)
	}
	src, _, _ = NewSource(res, Options{Lang: "en", Positional: true, Now: testNow})
	if src.Items[0].ID != "q-001" || src.Items[1].ID != "q-002" {
		t.Errorf("positional ids %s %s", src.Items[0].ID, src.Items[1].ID)
	}
	for _, opt := range []Options{{Lang: "de"}, {Lang: "bs", Topic: "Bad Topic"}, {Lang: "bs", ID: "Bad ID"}} {
		if _, _, err := NewSource(res, opt); err == nil {
			t.Errorf("NewSource accepted %+v", opt)
		}
	}
}

func TestWriteAndReadBack(t *testing.T) {
	res, err := ParseMoodleXML(fixture(t, "moodle/sample.xml"), "en")
	if err != nil {
		t.Fatal(err)
	}
	src, _, err := NewSource(res, Options{Lang: "en", ID: "moodle", Input: "sample.xml", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	written, err := src.Write(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 3 || filepath.Base(written[len(written)-1]) != RootFile {
		t.Errorf("written %q", written)
	}
	if _, err := src.Write(dir, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("overwrote without force: %v", err)
	}
	if _, err := src.Write(dir, true); err != nil {
		t.Errorf("force: %v", err)
	}
	if _, err := source.Load(filepath.Join(dir, RootFile)); err != nil {
		t.Fatalf("load: %v", err)
	}
	back, err := ReadSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	back.Origin = src.Origin
	if !reflect.DeepEqual(back, src) {
		t.Errorf("read back\n got %+v\nwant %+v", back, src)
	}
}
