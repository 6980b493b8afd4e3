package main

import (
	"archive/zip"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const importFixtures = "../../bank/importer/testdata/"

// zipFolder packs a folder into a zip file.
func zipFolder(t *testing.T, dir, zipPath string) {
	t.Helper()
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// buildSource builds a bank from a source folder with bankctl build.
func buildSource(t *testing.T, key, src string) {
	t.Helper()
	dir := t.TempDir()
	code, stdout, stderr := bankctl(t, "build", "--key", key, "--source", filepath.Join(src, "bank.yaml"),
		"--out", filepath.Join(dir, "x.bank"), "--answers", filepath.Join(dir, "x.answers"), "--work-factor", "10")
	if code != 0 {
		t.Fatalf("build %s: exit %d\n%s%s", src, code, stdout, stderr)
	}
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if code, _, stderr := bankctl(t, "keygen", "--out", keys); code != 0 {
		t.Fatal(stderr)
	}
	key := filepath.Join(keys, "authority.key")
	pkg := filepath.Join(dir, "package.zip")
	zipFolder(t, importFixtures+"qti/package", pkg)

	tests := []struct {
		name   string
		args   []string
		status int
		stdout []string
		builds bool
	}{
		{"gift", []string{"--format", "gift", "--lang", "bs", importFixtures + "gift/sample.gift"}, 3, []string{
			"(gift, bs): 11 of 21 questions imported, 10 skipped",
			`line 47 "sa-01": short answer: the kiosk has no typed answers`,
			`line 65 "tb-01": the question has a table, which the kiosk cannot show`,
			"professional-choice (professional-choice): 10 items drawn from topics drzavna-sluzba, etika-integritet, 45m",
			"and 1 image(s)",
		}, true},
		{"gift-windows-auto", []string{"--lang", "en", importFixtures + "gift/windows.gift"}, 0, []string{
			"(gift, en): 3 of 3 questions imported, 0 skipped",
			"2 multiple-choice items are too few for a part",
		}, true},
		{"aiken", []string{"--format", "aiken", "--lang", "HR", importFixtures + "aiken/sample.txt", "--ids", "position"}, 3, []string{
			"(aiken, hr): 4 of 8 questions imported, 4 skipped",
			`line 26 "Pitanje bez ANSWER reda?": no ANSWER line after the options`,
			"bank.yaml has no part yet",
		}, false},
		{"moodle", []string{"--format", "moodlexml", "--lang", "sr-Latn", "--topic", "upravno", importFixtures + "moodle/sample.xml"}, 3, []string{
			"(moodlexml, sr-Latn): 5 of 17 questions imported, 12 skipped",
			`line 177 (question 15) "GIF slika": image tacka.gif: not a PNG or JPEG image`,
			`line 75 (question 3) "Redoslijed": Moodle kept its options in a fixed order`,
			"professional-written (professional-written): 2 written tasks, 2h",
		}, true},
		{"qti-item", []string{"--format", "qti", "--lang", "sq", importFixtures + "qti/essay.xml"}, 0, []string{
			"(qti, sq): 1 of 1 questions imported, 0 skipped",
		}, true},
		{"qti-package", []string{"--lang", "en", pkg}, 3, []string{
			"(qti, en): 2 of 8 questions imported, 6 skipped",
			`items/q3.xml line 2, <matchInteraction> line 7 "Povezivanje": matching`,
			`items/missing.xml "q7": file not found`,
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.name)
			code, stdout, stderr := bankctl(t, append(append([]string{"import"}, tt.args...), "--out", out)...)
			if code != tt.status {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.status, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if tt.status == 3 && (strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "were skipped (listed on standard output)")) {
				t.Errorf("stderr %q", stderr)
			}
			if tt.status == 0 && stderr != "" {
				t.Errorf("stderr %q", stderr)
			}
			root, err := os.ReadFile(filepath.Join(out, "bank.yaml"))
			if err != nil || !strings.Contains(string(root), "id: "+tt.name+"\n") {
				t.Fatalf("bank.yaml: %v\n%s", err, root)
			}
			if tt.builds {
				buildSource(t, key, out)
			}
		})
	}
}

func TestImportFailures(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	if code, _, stderr := bankctl(t, "import", "--lang", "bs", importFixtures+"qti/essay.xml", "--out", existing); code != 0 {
		t.Fatal(stderr)
	}
	garbage := filepath.Join(dir, "garbage.txt")
	os.WriteFile(garbage, []byte("nothing to see here\n"), 0o644)
	onlyShort := filepath.Join(dir, "short.gift")
	os.WriteFile(onlyShort, []byte("::s::Glavni grad?{=Sarajevo}\n"), 0o644)
	qti12 := filepath.Join(dir, "old.xml")
	os.WriteFile(qti12, []byte("<questestinterop><item/></questestinterop>"), 0o644)
	out := filepath.Join(dir, "out")
	gift := importFixtures + "gift/sample.gift"

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no --out", []string{"import", "--lang", "bs", gift}, 2, "missing --out"},
		{"no --lang", []string{"import", gift, "--out", out}, 2, "missing --lang"},
		{"unknown language", []string{"import", "--lang", "de", gift, "--out", out}, 2, `--lang "de" is not one of bs, hr, sr-Latn, sr-Cyrl, sq, en`},
		{"unknown format", []string{"import", "--lang", "bs", "--format", "docx", gift, "--out", out}, 2, `--format "docx"`},
		{"bad topic", []string{"import", "--lang", "bs", "--topic", "Ethics!", gift, "--out", out}, 2, `--topic "Ethics!"`},
		{"bad ids", []string{"import", "--lang", "bs", "--ids", "names", gift, "--out", out}, 2, `--ids is "names"`},
		{"bad id", []string{"import", "--lang", "bs", "--id", "Bad Id", gift, "--out", out}, 2, `--id "Bad Id"`},
		{"two inputs", []string{"import", "--lang", "bs", gift, gift, "--out", out}, 2, "expected 1 input file, got 2"},
		{"merge of one", []string{"import", "--merge", existing, "--out", out}, 2, "--merge needs at least two sources"},
		{"merge with --lang", []string{"import", "--merge", "--lang", "bs", existing, existing, "--out", out}, 2, "--lang belong to an import"},
		{"missing input", []string{"import", "--lang", "bs", filepath.Join(dir, "nope.gift"), "--out", out}, 1, "no such file or directory"},
		{"folder input", []string{"import", "--lang", "bs", dir, "--out", out}, 1, "is a folder"},
		{"unknown content", []string{"import", "--lang", "bs", garbage, "--out", out}, 1, "cannot tell the format"},
		{"QTI 1.2", []string{"import", "--lang", "bs", qti12, "--out", out}, 1, "QTI 1.2 (questestinterop), which is not supported"},
		{"nothing imported", []string{"import", "--lang", "bs", onlyShort, "--out", out}, 1, "no question could be imported (1 skipped, listed on standard output); nothing written"},
		{"existing source", []string{"import", "--lang", "bs", gift, "--out", existing}, 1, "already holds a bank source (bank.yaml); give --force to overwrite it"},
		{"merge of a file", []string{"import", "--merge", existing, garbage, "--out", out}, 1, "garbage.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := bankctl(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
				t.Fatalf("failure is not one line: %q", stderr)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed import wrote %s", out)
	}
	if code, _, stderr := bankctl(t, "import", "--lang", "bs", gift, "--out", existing, "--force"); code != 3 {
		t.Errorf("--force: exit %d %s", code, stderr)
	}
}

func TestImportMerge(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	bankctl(t, "keygen", "--out", keys)
	bs, en, merged := filepath.Join(dir, "bs"), filepath.Join(dir, "en"), filepath.Join(dir, "merged")
	for _, imp := range []struct{ lang, file, out string }{{"bs", "merge-bs.gift", bs}, {"en", "merge-en.gift", en}} {
		if code, stdout, stderr := bankctl(t, "import", "--lang", imp.lang, importFixtures+"gift/"+imp.file, "--out", imp.out); code != 0 {
			t.Fatalf("import %s: %d\n%s%s", imp.file, code, stdout, stderr)
		}
	}
	code, stdout, stderr := bankctl(t, "import", "--merge", bs, en, "--out", merged)
	if code != 3 {
		t.Fatalf("merge: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"11 items in bs, en, 2 incomplete",
		"missing in en (2): m-04, m-12",
		"item m-04: 3 options in " + bs + " but 2 options in " + en + "; its en text is left out",
		"topic etika of " + bs + " is called ethics in " + en + "; etika is kept",
		"incomplete.yaml",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "2 items lack a language or disagree between sources") {
		t.Errorf("stderr %q", stderr)
	}
	buildSource(t, filepath.Join(keys, "authority.key"), merged)
	if code, _, stderr := bankctl(t, "import", "--merge", bs, bs, "--out", filepath.Join(dir, "again")); code != 1 || !strings.Contains(stderr, "language bs is in both") {
		t.Errorf("same language twice: exit %d %q", code, stderr)
	}
}
