package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ispit/bank"
	"ispit/bank/source"
)

// importTo imports a GIFT fixture in lang and writes it to a folder.
func importTo(t *testing.T, name, lang, dir string) *Source {
	t.Helper()
	res, err := ParseGIFT(fixture(t, name), lang)
	if err != nil {
		t.Fatal(err)
	}
	src, _, err := NewSource(res, Options{Lang: lang, ID: "merge", Input: name, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	return src
}

func TestMerge(t *testing.T) {
	tmp := t.TempDir()
	bsDir, enDir := filepath.Join(tmp, "bs"), filepath.Join(tmp, "en")
	importTo(t, "gift/merge-bs.gift", "bs", bsDir)
	importTo(t, "gift/merge-en.gift", "en", enDir)
	var srcs []*Source
	for _, d := range []string{enDir, bsDir} { // the order of the arguments does not set the order of languages
		s, err := ReadSource(d)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
	}
	merged, report, err := Merge(srcs, []string{"en", "bs"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(merged.Languages, []string{"bs", "en"}) || len(merged.Items) != 11 || len(merged.Incomplete) != 2 {
		t.Fatalf("languages %v, %d items, %d incomplete", merged.Languages, len(merged.Items), len(merged.Incomplete))
	}
	if !reflect.DeepEqual(report.Missing, map[string][]string{"bs": {"m-04"}, "en": {"m-12"}}) || !report.Incomplete() {
		t.Errorf("missing %v", report.Missing)
	}
	if len(report.Conflicts) != 1 || report.Conflicts[0] != "item m-04: 2 options in en but 3 options in bs; its bs text is left out" {
		t.Errorf("conflicts %q", report.Conflicts)
	}
	if len(report.Notes) != 1 || report.Notes[0] != "topic ethics of en is called etika in bs; ethics is kept" {
		t.Errorf("notes %q", report.Notes)
	}
	out := filepath.Join(tmp, "merged")
	if _, err := merged.Write(out, false); err != nil {
		t.Fatal(err)
	}
	def, err := source.Load(filepath.Join(out, RootFile))
	if err != nil {
		t.Fatal(err)
	}
	if def.Items[0].Stem["bs"] != "Pitanje 1?" || def.Items[0].Stem["en"] != "Question 1?" || def.Title["en"] != "Imported questions" || def.Title["bs"] != "Uvezena pitanja" {
		t.Errorf("item %+v, title %v", def.Items[0], def.Title)
	}
	if len(def.Parts) != 2 || def.Parts[0].Count != 10 || def.Parts[1].Kind != bank.PartProfessionalWritten {
		t.Errorf("parts %+v", def.Parts)
	}
	build(t, def)
	incomplete, err := os.ReadFile(filepath.Join(out, IncompleteFile))
	if err != nil || !strings.Contains(string(incomplete), "(missing: en)") || !strings.Contains(string(incomplete), "(missing: bs)") {
		t.Errorf("incomplete.yaml: %v\n%s", err, incomplete)
	}

	// The merged source merges again with a third language; the incomplete items come along.
	sqDir := filepath.Join(tmp, "sq")
	importTo(t, "gift/merge-en.gift", "sq", sqDir)
	again, err := ReadSource(out)
	if err != nil {
		t.Fatal(err)
	}
	third, _ := ReadSource(sqDir)
	merged, report, err = Merge([]*Source{again, third}, []string{"merged", "sq"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(merged.Items) != 11 || len(merged.Incomplete) != 2 || !reflect.DeepEqual(report.Missing, map[string][]string{"bs": {"m-04"}, "en": {"m-12"}, "sq": {"m-12"}}) {
		t.Errorf("third language: %d items, %d incomplete, missing %v", len(merged.Items), len(merged.Incomplete), report.Missing)
	}
	for _, it := range merged.Incomplete {
		if strings.Count(merged.Comments[it.ID], "missing") != 1 {
			t.Errorf("item %s: comment %q", it.ID, merged.Comments[it.ID])
		}
	}

	// Two sources of one language do not merge.
	if _, _, err := Merge([]*Source{srcs[0], srcs[0]}, []string{"a", "b"}, testNow); err == nil || !strings.Contains(err.Error(), "language en is in both a and b") {
		t.Errorf("same language: %v", err)
	}
}

func TestReadSourceRefuses(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no bank.yaml", map[string]string{}, "bank.yaml: file not found"},
		{"other format", map[string]string{"bank.yaml": "format: x\n"}, `format is "x"`},
		{"unknown field", map[string]string{"bank.yaml": "format: ispit-bank-source/1\nbogus: 1\n"}, "field bogus not found"},
		{"no languages", map[string]string{"bank.yaml": "format: ispit-bank-source/1\n"}, "names no languages"},
		{"item file outside", map[string]string{"bank.yaml": "format: ispit-bank-source/1\nlanguages: [bs]\nitems: [../x.yaml]\n"}, "inside the source folder"},
		{"image outside", map[string]string{"bank.yaml": "format: ispit-bank-source/1\nlanguages: [bs]\nitems: [i.yaml]\n",
			"i.yaml": "- {id: a, prompt: {bs: x}, image: ../../etc/passwd}\n"}, "inside the source folder"},
		{"neither kind", map[string]string{"bank.yaml": "format: ispit-bank-source/1\nlanguages: [bs]\nitems: [i.yaml]\n", "i.yaml": "- {id: a}\n"}, "neither options nor a prompt"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for name, content := range tt.files {
			os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
		}
		if _, err := ReadSource(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// A written task's grading guide and model answer, which an author adds to an imported source
// by hand, are merged like its prompt.
func TestMergeKeepsGuides(t *testing.T) {
	tmp := t.TempDir()
	prompts := map[string]string{"bs": "Zadatak", "en": "Task"}
	var srcs []*Source
	for _, lang := range []string{"bs", "en"} {
		dir := filepath.Join(tmp, lang)
		os.MkdirAll(dir, 0o755)
		root := "format: ispit-bank-source/1\nid: guides\ntitle: {" + lang + ": T}\nlanguages: [" + lang + "]\n" +
			"valid_from: 2026-01-01T00:00:00Z\nvalid_until: 2027-01-01T00:00:00Z\nitems: [items.yaml]\nparts: []\n"
		items := "- id: w-1\n  topic: pisanje\n  prompt: {" + lang + ": " + prompts[lang] + "}\n  points: 100\n" +
			"  guide: {" + lang + ": guide " + lang + "}\n  model_answer: {" + lang + ": answer " + lang + "}\n"
		os.WriteFile(filepath.Join(dir, RootFile), []byte(root), 0o644)
		os.WriteFile(filepath.Join(dir, ItemsFile), []byte(items), 0o644)
		s, err := ReadSource(dir)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
	}
	merged, report, err := Merge(srcs, []string{"bs", "en"}, testNow)
	if err != nil || report.Incomplete() {
		t.Fatalf("merge: %v, %+v", err, report)
	}
	def, files, err := load(t, merged)
	if err != nil {
		t.Fatalf("%v\n%s", err, files[ItemsFile])
	}
	want := bank.GradingGuide{Guide: bank.Text{"bs": "guide bs", "en": "guide en"}, ModelAnswer: bank.Text{"bs": "answer bs", "en": "answer en"}}
	if got := def.Guides["w-1"]; !reflect.DeepEqual(got, want) {
		t.Errorf("guide after the merge %+v, want %+v", got, want)
	}
}
