package importer

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"ispit/bank"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// zipDir packs a folder of testdata as a content package.
func zipDir(t testing.TB, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(filepath.Join("testdata", dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", dir), p)
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
	return buf.Bytes()
}

// wantQ is an imported question as a test expects it.
type wantQ struct {
	where, id, category string
	kind                bank.ItemKind
	text                string
	options             []string
	correct             int
	image               bool
	note                string
}

// wantSkip is a skipped question as a test expects it; reason is part of the reason.
type wantSkip struct{ where, name, reason string }

func checkResult(t *testing.T, res *Result, questions []wantQ, skipped []wantSkip) {
	t.Helper()
	if len(res.Questions) != len(questions) {
		for _, q := range res.Questions {
			t.Logf("got %s %s", q.Where, q.ID)
		}
		t.Fatalf("%d questions, want %d", len(res.Questions), len(questions))
	}
	for i, w := range questions {
		q := res.Questions[i]
		if w.kind == "" {
			w.kind = bank.ItemChoice
		}
		if q.Where != w.where || q.ID != w.id || q.Kind != w.kind || q.Text != w.text || (q.Image != nil) != w.image || q.Category != w.category {
			t.Errorf("question %d:\n got %s %q %s %q image=%v category=%q\nwant %s %q %s %q image=%v category=%q", i+1,
				q.Where, q.ID, q.Kind, q.Text, q.Image != nil, q.Category, w.where, w.id, w.kind, w.text, w.image, w.category)
		}
		if w.kind == bank.ItemChoice && (!reflect.DeepEqual(q.Options, w.options) || q.Correct != w.correct) {
			t.Errorf("question %d %s: options %q correct %d, want %q %d", i+1, q.ID, q.Options, q.Correct, w.options, w.correct)
		}
		if notes := strings.Join(q.Notes, "; "); w.note == "" && notes != "" || !strings.Contains(notes, w.note) {
			t.Errorf("question %d %s: notes %q, want %q", i+1, q.ID, notes, w.note)
		}
	}
	if len(res.Skipped) != len(skipped) {
		for _, s := range res.Skipped {
			t.Logf("skipped %s %q: %s", s.Where, s.Name, s.Reason)
		}
		t.Fatalf("%d skipped, want %d", len(res.Skipped), len(skipped))
	}
	for i, w := range skipped {
		s := res.Skipped[i]
		if s.Where != w.where || s.Name != w.name || !strings.Contains(s.Reason, w.reason) {
			t.Errorf("skipped %d:\n got %s %q %q\nwant %s %q %q", i+1, s.Where, s.Name, s.Reason, w.where, w.name, w.reason)
		}
	}
}

const cs, et = "$course$/top/Državna služba", "$course$/top/Etika//integritet"

func TestParseGIFT(t *testing.T) {
	res, err := ParseGIFT(fixture(t, "gift/sample.gift"), "bs")
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, []wantQ{
		{where: "line 7", id: "cs-01", category: cs, text: "Koji je osnovni cilj\n\nprobnog rada državnog službenika?",
			options: []string{"Provjera sposobnosti za rad na radnom mjestu", "Dodatno obrazovanje", "Napredovanje u službi"}},
		{where: "line 16", id: "cs-02", category: cs, text: "Rok za žalbu je **8 dana** & računa se od *dostave*:\n\n- rješenja,\n- zaključka.\n\nPrvi red\n\ndrugi red",
			options: []string{"netačno", "tačno", "ne znam"}, correct: 1},
		{where: "line 22", id: "cs-03", category: cs, text: "Upravni akt donosi se u pisanom obliku.", options: []string{"Tačno", "Netačno"}},
		{where: "line 24", id: "cs-04", category: cs, text: "Državni službenik smije primiti novčani poklon.", options: []string{"Tačno", "Netačno"}, correct: 1},
		{where: "line 27", id: "Rok: izračun", category: cs, text: `Koliko je 2 = 2 {tj. dva} ~ # a\b?`, options: []string{"četiri: 4", "pet # 5"}},
		{where: "line 29", id: "cs-06", category: cs, kind: bank.ItemWritten, text: "Opišite **postupak** žalbe i *rokove*:\n\n- prvi korak\n- drugi korak"},
		{where: "line 31", id: "cs-07", category: cs, text: `U tekstu \<b>ovo\</b> nije HTML, & ostaje kako jest.`, options: []string{"da", "ne"}},
		{where: "line 33", category: cs, text: "Glavni grad Bosne i Hercegovine je _____ od 1945.", options: []string{"Sarajevo", "Mostar", "Tuzla"}},
		{where: "line 35", id: "cs-09", category: cs, text: "Težinski odgovori u punom iznosu.", options: []string{"tačan", "netačan", "pogrešan"}},
		{where: "line 39", id: "et-01", category: et, text: "Slika dokumenta:\n\nŠta prikazuje?", options: []string{"rješenje", "zaključak"}, image: true},
		{where: "line 41", id: "et-02", category: et, text: "Sukob interesa postoji kada:", options: []string{"privatni interes utiče na službenu dužnost", "službenik radi prekovremeno"}},
	}, []wantSkip{
		{"line 47", "sa-01", "short answer"},
		{"line 49", "nu-01", "numeric answer"},
		{"line 51", "ma-01", "matching"},
		{"line 53", "pc-01", "partial or negative credit"},
		{"line 55", "mr-01", "multiple response"},
		{"line 57", "Ovo je samo opis, bez pitanja.", "a description"},
		{"line 59", "br-01", "unbalanced braces"},
		{"line 61", "op-01", "7 options"},
		{"line 63", "im-01", "image @@PLUGINFILE@@/karta.png is not carried in the file"},
		{"line 65", "tb-01", "a table"},
	})
}

// TestGIFTLineEnds reads the same file with every kind of line end, with and without a byte
// order mark: the result is the same.
func TestGIFTLineEnds(t *testing.T) {
	lf := strings.ReplaceAll(string(fixture(t, "gift/windows.gift")), "\r\n", "\n")
	lf = strings.TrimPrefix(lf, "\ufeff")
	want, err := ParseGIFT([]byte(lf), "en")
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, want, []wantQ{
		{where: "line 5", id: "w-01", category: "Etika", text: "Prvo pitanje\n\nu dva reda?", options: []string{"da", "ne"}},
		{where: "line 11", id: "w-02", category: "Etika", text: "Drugo pitanje.", options: []string{"True", "False"}},
		{where: "line 13", id: "w-03", category: "Etika", kind: bank.ItemWritten, text: "Esej."},
	}, nil)
	for name, text := range map[string]string{
		"CR LF and BOM (the fixture)": string(fixture(t, "gift/windows.gift")),
		"CR LF":                       strings.ReplaceAll(lf, "\n", "\r\n"),
		"CR":                          strings.ReplaceAll(lf, "\n", "\r"),
		"LF and BOM":                  "\ufeff" + lf,
	} {
		got, err := ParseGIFT([]byte(text), "en")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v\n got %+v\nwant %+v", name, err, got, want)
		}
	}
}

func TestGIFTCorners(t *testing.T) {
	tests := []struct {
		name, in string
		text     string
		options  []string
		correct  int
		skip     string
	}{
		{name: "escaped backslash before a brace", in: `Put \\{=a ~b}`, text: `Put \\`, options: []string{"a", "b"}},
		{name: "newline escape", in: `One\ntwo{=a ~b}`, text: "One\n\ntwo", options: []string{"a", "b"}},
		{name: "answer formats", in: `[html]Q{=[plain]<b>x</b> ~[html]<b>y</b>}`, text: "Q", options: []string{`\<b>x\</b>`, "**y**"}},
		{name: "unknown format mark stays", in: `[foo] Q{=a ~b}`, text: "\\[foo] Q", options: []string{"a", "b"}},
		{name: "title without its end", in: `::no end Q{=a ~b}`, text: "no end Q", options: []string{"a", "b"}},
		{name: "text before the first answer is an answer", in: `Q{x =a ~b}`, text: "Q", options: []string{"x", "a", "b"}, correct: 1},
		{name: "TRUE with feedback", in: `Q{TRUE#right#wrong}`, text: "Q", options: []string{"True", "False"}},
		{name: "F", in: `Q{F}`, text: "Q", options: []string{"True", "False"}, correct: 1},
		{name: "no correct answer", in: `Q{~a ~b}`, skip: "no option is marked correct"},
		{name: "one option", in: `Q{=a ~}`, skip: "option B is empty"},
		{name: "two answer blocks", in: `Q{=a ~b} and {=c ~d}`, skip: "more than one answer block"},
		{name: "closing brace first", in: `Q} {=a ~b`, skip: "unbalanced braces"},
		{name: "short answer with weights", in: `Q{=%50%a =%100%b}`, skip: "short answer"},
		{name: "matching", in: `Q{=a -> 1 =b -> 2}`, skip: "matching"},
		{name: "numeric range", in: `Q{#1..5}`, skip: "numeric"},
		{name: "category then question without blank line", in: "$CATEGORY: x\n::t::Q{=a ~b}", text: "Q", options: []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseGIFT([]byte(tt.in), "en")
			if err != nil {
				t.Fatal(err)
			}
			if tt.skip != "" {
				if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, tt.skip) {
					t.Fatalf("skipped %+v, want one for %q", res.Skipped, tt.skip)
				}
				return
			}
			if len(res.Questions) != 1 {
				t.Fatalf("questions %+v, skipped %+v", res.Questions, res.Skipped)
			}
			q := res.Questions[0]
			if q.Text != tt.text || !reflect.DeepEqual(q.Options, tt.options) || q.Correct != tt.correct {
				t.Errorf("got %q %q %d, want %q %q %d", q.Text, q.Options, q.Correct, tt.text, tt.options, tt.correct)
			}
		})
	}
	if _, err := ParseGIFT([]byte("Q{=a ~b}\n\xff\xfe"), "bs"); err == nil || !strings.Contains(err.Error(), "line 2 is not UTF-8") {
		t.Errorf("invalid UTF-8: %v", err)
	}
}

func TestParseAiken(t *testing.T) {
	res, err := ParseAiken(fixture(t, "aiken/sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, []wantQ{
		{where: "line 1", text: "Koji organ odlučuje o žalbi na prvostepeno rješenje?",
			options: []string{"Drugostepeni organ", "Isti službenik koji je donio rješenje", "Sud, uvijek", "Stranka sama"}},
		{where: "line 8", text: "Koliko traje probni rad državnog službenika?",
			options: []string{"Šest mjeseci do godinu dana, zavisno od zakona", "Jedan dan", "Deset godina"}},
		{where: "line 14", text: "Pitanje u dva reda:\n\nkoji je tačan odgovor & zašto \\<b>nije\\</b> HTML?",
			options: []string{`Ovaj \*s zvjezdicama\*`, "Onaj"}, correct: 1},
		{where: "line 40", text: "Posljednje pitanje.", options: []string{"Da", "Ne"}, correct: 1},
	}, []wantSkip{
		{"line 20", "Pitanje s dva tačna odgovora?", "multiple response"},
		{"line 26", "Pitanje bez ANSWER reda?", "no ANSWER line"},
		{"line 30", "Pitanje s pogrešnim slovom odgovora?", "ANSWER names D, but there are only 2 options"},
		{"line 35", "Pitanje s preskočenim slovom?", "option C on line 37 is out of order (expected B)"},
	})
	for i, q := range res.Questions {
		if q.Number != []int{1, 2, 3, 8}[i] {
			t.Errorf("question %d has number %d", i, q.Number)
		}
	}
}

func TestParseMoodleXML(t *testing.T) {
	res, err := ParseMoodleXML(fixture(t, "moodle/sample.xml"), "bs")
	if err != nil {
		t.Fatal(err)
	}
	up, es := "$course$/top/Upravni postupak", "$course$/top/Upravni postupak/Eseji"
	checkResult(t, res, []wantQ{
		{where: "line 15 (question 1)", id: "up-01", category: up, text: "U kojem roku se izjavljuje **žalba** na rješenje?", image: true,
			options: []string{"U roku od *15 dana*", "U roku od godinu dana", "Bez roka & bez ograničenja"}},
		{where: "line 54 (question 2)", id: "up-02", category: up, text: "Rješenje se donosi u pisanom obliku.\n\nUsmeno rješenje je izuzetak.",
			options: []string{"Tačno", "Netačno"}, correct: 1},
		{where: "line 75 (question 3)", id: "Redoslijed", category: up, text: `Šta od navedenog je upravni akt? (tekst je običan: \<b> ostaje)`,
			options: []string{"Zakon", "Rješenje", "Nijedno od navedenog"}, correct: 1, note: "fixed order"},
		{where: "line 95 (question 4)", id: "es-01", category: es, kind: bank.ItemWritten, text: "Opišite **postupak po žalbi**:\n\n1. ko je izjavljuje,\n2. kome se predaje."},
		{where: "line 117 (question 5)", id: "es-02", category: es, kind: bank.ItemWritten, text: "Objasnite kako se računaju rokovi.", note: "attached files"},
	}, []wantSkip{
		{"line 132 (question 6)", "Više tačnih", "multiple response"},
		{"line 140 (question 7)", "Djelimično", "partial or negative credit"},
		{"line 147 (question 8)", "Kratki odgovor", "short answer"},
		{"line 152 (question 9)", "Broj dana", "numeric answer"},
		{"line 157 (question 10)", "Parovi", `question type "matching"`},
		{"line 161 (question 11)", "Parovi 2", "matching"},
		{"line 165 (question 12)", "Cloze", "cloze"},
		{"line 169 (question 13)", "Prevuci", "drag and drop"},
		{"line 173 (question 14)", "Uvod", "a description"},
		{"line 177 (question 15)", "GIF slika", "image tacka.gif: not a PNG or JPEG image"},
		{"line 187 (question 16)", "Formula", "TeX formula"},
		{"line 194 (question 17)", "Prilog", "uploaded file"},
	})
	img := res.Questions[0].Image
	if img.Name != "grafikon-roka.png" || !bytes.Equal(img.Data, fixture(t, "images/chart.png")) {
		t.Errorf("image %s, %d bytes", img.Name, len(img.Data))
	}
	if w := []float64{res.Questions[3].Weight, res.Questions[4].Weight}; w[0] != 30 || w[1] != 20 || res.Questions[3].WordLimit != 600 {
		t.Errorf("essay weights %v, word limit %d", w, res.Questions[3].WordLimit)
	}
}

func TestMoodleXMLRefuses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not XML", "hello", "no <quiz>"},
		{"other root", "<html><body/></html>", "the root element is <html>"},
		{"broken", "<quiz><question type=\"essay\"><name>", "the XML ends too soon"},
		{"bad entity", "<quiz>\n<question type=\"essay\"><questiontext><text>&bogus;</text></questiontext></question></quiz>", "line 2"},
		{"unknown charset", `<?xml version="1.0" encoding="x-unknown"?><quiz/>`, "x-unknown"},
	}
	for _, tt := range tests {
		if _, err := ParseMoodleXML([]byte(tt.in), "bs"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	// HTML entities and other character sets are read.
	res, err := ParseMoodleXML([]byte("<?xml version=\"1.0\" encoding=\"windows-1250\"?><quiz><question type=\"essay\"><questiontext><text>Rok&nbsp;\x9ealbe</text></questiontext></question></quiz>"), "bs")
	if err != nil || len(res.Questions) != 1 || res.Questions[0].Text != "Rok žalbe" {
		t.Errorf("windows-1250: %v %+v", err, res)
	}
}

func TestParseQTIItem(t *testing.T) {
	dir := os.DirFS("testdata/qti")
	tests := []struct {
		file string
		want wantQ
	}{
		{"choice21.xml", wantQ{where: "choice21.xml line 5", id: "upr-01", text: "Pogledajte *grafikon*:\n\nKo odlučuje u prvom stepenu?", image: true,
			options: []string{"Sud", "Nadležni **organ uprave**", "Stranka", "Niko od navedenih"}, correct: 1, note: "option(s) D were fixed in place"}},
		{"choice22.xml", wantQ{where: "choice22.xml line 2", id: "upr 02/ž", text: "Rok za žalbu je <15> dana & računa se od dostave.", image: true,
			options: []string{"Tačno", "Netačno"}, note: "fixed order"}},
		{"essay.xml", wantQ{where: "essay.xml line 2", id: "wr-01", kind: bank.ItemWritten, text: "Napišite esej o načelima upravnog postupka:\n\n1. načelo zakonitosti,\n2. načelo efikasnosti."}},
	}
	for _, tt := range tests {
		res, err := ParseQTIItem(tt.file, fixture(t, "qti/"+tt.file), dir, "bs")
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		checkResult(t, res, []wantQ{tt.want}, nil)
	}
	res, _ := ParseQTIItem("essay.xml", fixture(t, "qti/essay.xml"), dir, "bs")
	if res.Questions[0].Weight != 50 {
		t.Errorf("essay weight %v", res.Questions[0].Weight)
	}
	// Without the folder, the image cannot be read.
	res, _ = ParseQTIItem("choice21.xml", fixture(t, "qti/choice21.xml"), nil, "en")
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "chart.png is not carried") {
		t.Errorf("no folder: %+v", res)
	}
	// Images outside the folder are refused, not read.
	item := strings.Replace(string(fixture(t, "qti/choice21.xml")), `src="chart.png"`, `src="../../importer.go"`, 1)
	res, _ = ParseQTIItem("choice21.xml", []byte(item), dir, "bs")
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "leads outside") {
		t.Errorf("traversal: %+v", res)
	}
}

func TestQTIRefuses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"QTI 1.2", `<questestinterop><item/></questestinterop>`, "QTI 1.2"},
		{"QTI 3", `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"/>`, "QTI 3"},
		{"other namespace", `<assessmentItem xmlns="urn:other"/>`, "not QTI 2.1 or 2.2"},
		{"not an item", `<assessmentTest/>`, "not a QTI item"},
		{"two roots", `<assessmentItem/><assessmentItem/>`, "a second root"},
		{"too deep", strings.Repeat("<a>", 200), "nest"},
	}
	for _, tt := range tests {
		if _, err := ParseQTIItem("x.xml", []byte(tt.in), nil, "bs"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParseQTIPackage(t *testing.T) {
	res, err := ParseQTIPackage(zipDir(t, "qti/package"), "bs")
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, []wantQ{
		{where: "items/q1.xml line 2", id: "pkg-01", text: "Šta prikazuje grafikon?", image: true, options: []string{"Broj žalbi", "Broj rješenja", "Broj službenika"}, correct: 1},
		{where: "items/q4.xml line 2", id: "pkg-04", kind: bank.ItemWritten, text: "Opišite značenje znaka:\n\nNajviše jedna stranica.", image: true},
	}, []wantSkip{
		{"items/q2.xml line 2", "Više odgovora", "multiple response"},
		{"items/q3.xml line 2, <matchInteraction> line 7", "Povezivanje", "matching"},
		{"items/q5.xml line 2, <textEntryInteraction> line 7", "Upiši", "short answer"},
		{"items/q6.xml line 2", "Djelimični bodovi", "partial"},
		{"items/missing.xml", "q7", "file not found"},
		{"items/q8.xml line 2", "Prazan", "a description"},
	})
	if img := res.Questions[1].Image; img.Name != "znak.jpg" || !bytes.Equal(img.Data, fixture(t, "images/sign.jpg")) {
		t.Errorf("image %s", img.Name)
	}
}

// zipOf makes a zip file of named contents, in order.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const manifestOf = `<manifest><resources><resource type="imsqti_item_xmlv2p1" identifier="q" href="%s"/></resources></manifest>`

func TestQTIPackageRefuses(t *testing.T) {
	item := string(fixture(t, "qti/package/items/q1.xml"))
	tests := []struct {
		name string
		zip  []byte
		want string
	}{
		{"not a zip", []byte("PK\x03\x04 garbage"), "not a readable zip file"},
		{"no manifest", zipOf(t, "items/q1.xml", item), "no imsmanifest.xml"},
		{"parent in a name", zipOf(t, "imsmanifest.xml", "<manifest/>", "../evil.xml", item), "leads outside the package"},
		{"absolute name", zipOf(t, "imsmanifest.xml", "<manifest/>", "/etc/evil.xml", item), "leads outside the package"},
		{"backslash", zipOf(t, "imsmanifest.xml", "<manifest/>", `items\..\..\evil.xml`, item), "leads outside the package"},
		{"drive letter", zipOf(t, "imsmanifest.xml", "<manifest/>", `C:/evil.xml`, item), "leads outside the package"},
		{"two entries with one name", zipOf(t, "imsmanifest.xml", "<manifest/>", "imsmanifest.xml", "<manifest/>"), "two entries"},
		{"no items", zipOf(t, "imsmanifest.xml", "<manifest><resources/></manifest>"), "lists no QTI 2.1 or 2.2 items"},
		{"manifest is not one", zipOf(t, "imsmanifest.xml", "<quiz/>"), "not <manifest>"},
	}
	for _, tt := range tests {
		if _, err := ParseQTIPackage(tt.zip, "bs"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	// An href leading out of the package skips its item, and reads nothing.
	res, err := ParseQTIPackage(zipOf(t, "imsmanifest.xml", strings.Replace(manifestOf, "%s", "../../etc/passwd", 1)), "bs")
	if err != nil || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "leads outside") {
		t.Errorf("href out of the package: %v %+v", err, res)
	}
}

func TestQTIPackageBounds(t *testing.T) {
	// Too many entries are refused before they are read.
	entries := []string{"imsmanifest.xml", "<manifest/>"}
	for i := 0; i < MaxPackageEntries; i++ {
		entries = append(entries, "f/"+strconv.Itoa(i), "")
	}
	if _, err := ParseQTIPackage(zipOf(t, entries...), "bs"); err == nil || !strings.Contains(err.Error(), "entries") {
		t.Errorf("too many entries: %v", err)
	}

	// A zip bomb runs out of the budget: the whole import fails.
	saved := packageLimits
	defer func() { packageLimits = saved }()
	packageLimits.data = 1 << 20
	padded := strings.Replace(string(fixture(t, "qti/package/items/q1.xml")), "<itemBody>", "<itemBody>"+strings.Repeat(" ", 2<<20), 1)
	bomb := zipOf(t, "imsmanifest.xml", strings.Replace(manifestOf, "%s", "q.xml", 1), "q.xml", padded)
	if len(bomb) > 64<<10 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	if _, err := ParseQTIPackage(bomb, "bs"); err == nil || !strings.Contains(err.Error(), "zip bomb") {
		t.Errorf("zip bomb: %v", err)
	}
	packageLimits = saved

	// An image larger than the kiosk takes skips its question.
	big := zipOf(t, "imsmanifest.xml", strings.Replace(manifestOf, "%s", "items/q1.xml", 1),
		"items/q1.xml", string(fixture(t, "qti/package/items/q1.xml")), "images/chart.png", strings.Repeat("\x00", MaxImage+1))
	res, err := ParseQTIPackage(big, "bs")
	if err != nil || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "at most") {
		t.Errorf("big image: %v %+v", err, res)
	}

	// A header that lies about the size does not make the reader read more.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("imsmanifest.xml")
	w.Write([]byte(strings.Replace(manifestOf, "%s", "q.xml", 1)))
	raw, _ := zw.CreateRaw(&zip.FileHeader{Name: "q.xml", Method: zip.Store, UncompressedSize64: 10, CompressedSize64: uint64(len(padded))})
	raw.Write([]byte(padded))
	zw.Close()
	if res, err := ParseQTIPackage(buf.Bytes(), "bs"); err == nil && len(res.Questions) > 0 {
		t.Errorf("a lying header was read: %+v", res)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   []byte
		want Format
		err  string
	}{
		{fixture(t, "gift/sample.gift"), FormatGIFT, ""},
		{fixture(t, "gift/windows.gift"), FormatGIFT, ""},
		{fixture(t, "aiken/sample.txt"), FormatAiken, ""},
		{fixture(t, "moodle/sample.xml"), FormatMoodleXML, ""},
		{fixture(t, "qti/choice21.xml"), FormatQTI, ""},
		{fixture(t, "qti/choice22.xml"), FormatQTI, ""},
		{zipDir(t, "qti/package"), FormatQTI, ""},
		{[]byte("Just some text."), "", "cannot tell the format"},
		{[]byte("<questestinterop/>"), "", "QTI 1.2"},
		{fixture(t, "qti/package/imsmanifest.xml"), "", "whole content package"},
		{[]byte("<html/>"), "", "neither Moodle XML nor QTI"},
		{[]byte("<quiz"), "", "starts like XML"},
		{[]byte("Q {=a ~b}\nQ2\nA) x\nB) y\nANSWER: A"), "", "both Aiken"},
	}
	for _, tt := range tests {
		got, err := Detect(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("Detect(%.30q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}
