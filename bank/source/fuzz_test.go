package source

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
)

// fuzzSigner is a fixed authority key: a source that loads must also build.
func fuzzSigner(tb testing.TB) ssh.Signer {
	signer, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)))
	if err != nil {
		tb.Fatal(err)
	}
	return signer
}

// checkLoad loads a source and checks what any outcome must satisfy: an error is a
// *source.Error on one line that names a file of the source and a line inside it; a loaded
// source is valid and builds.
func checkLoad(t *testing.T, fsys fstest.MapFS, rootName string, signer ssh.Signer) {
	def, err := LoadFS(fsys, rootName)
	if err != nil {
		if def != nil {
			t.Fatal("a definition returned with an error")
		}
		var se *Error
		if !errors.As(err, &se) {
			t.Fatalf("error %v is a %T", err, err)
		}
		if se.Msg == "" || strings.Contains(err.Error(), "\n") {
			t.Fatalf("error %q is not one line", err)
		}
		if f, ok := fsys[se.File]; ok && se.Line > yamlLines(f.Data) {
			t.Fatalf("error %q is past the end of %s", err, se.File)
		}
		if se.Line < 0 {
			t.Fatalf("error %q has a negative line", err)
		}
		return
	}
	if err := def.Validate(); err != nil {
		t.Fatalf("loaded a source that does not validate: %v", err)
	}
	if _, err := bank.Build(def, bank.BuildOptions{Signer: signer, StartCode: "DEM0-Z31Z-EW6N-2RX86", WorkFactor: 1, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatalf("loaded a source that does not build: %v", err)
	}
}

// yamlLines counts the lines of a file as YAML does: a line ends with LF, CR LF, CR alone, NEL,
// LS or PS.
func yamlLines(data []byte) int {
	s := strings.ReplaceAll(yamlText(data), "\r\n", "\n")
	return 1 + strings.Count(s, "\n") + strings.Count(s, "\r") + strings.Count(s, "\u0085") + strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
}

// yamlText is a file's text as the YAML decoder reads it: UTF-16 when the file begins with its
// byte order mark (a file saved as "Unicode" on Windows), UTF-8 otherwise.
func yamlText(data []byte) string {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return string(data)
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	return string(utf16.Decode(units))
}

// FuzzLoadItems gives arbitrary content to the item file of a fixed bank.yaml.
func FuzzLoadItems(f *testing.F) {
	signer := fuzzSigner(f)
	for _, s := range []string{
		baseItems,
		"\ufeff" + baseItems,
		baseItems + "  image: chart.png\n",
		baseItems + "  image: ../chart.png\n",
		strings.Replace(baseItems, "  options:", "  optoins:", 1),
		baseItems + "      correct: true\n",
		baseItems + "- id: mc-02\n  topic: law\n  stem: {bs: P, en: Q}\n  options:\n    - {id: x, text: {bs: A, en: A}, correct: true}\n    - {text: {bs: B, en: B}}\n",
		baseItems + "---\n- id: x\n",
		`[{"id": "wr-01", "topic": "law", "prompt": {"bs": "N", "en": "W"}, "points": 100}]`,
		"- &a {id: wr-01, topic: law, prompt: {bs: N, en: W}, points: 100}\n- *a\n",
		"- id: wr-01\n  topic: law\n  prompt: {bs: N, en: W}\n  points: 100\n  word_limit: -1\n",
		withGuide("  guide: {bs: \"- a\\n- b\"}\n  model_answer: {bs: M, en: M}\n"),
		withGuide("  guide: {de: x}\n"),
		baseItems + "  model_answer: {en: x}\n",
		"",
		"null",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := sourceFS(nil)
		fsys["items.yaml"] = &fstest.MapFile{Data: data}
		fsys["chart.png"] = &fstest.MapFile{Data: []byte("\x89PNG\r\n\x1a\n")}
		checkLoad(t, fsys, "bank.yaml", signer)
	})
}

// FuzzLoadRoot gives arbitrary content to bank.yaml, with a fixed set of item files.
func FuzzLoadRoot(f *testing.F) {
	signer := fuzzSigner(f)
	choice := "  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 10\n    pool: {topics: [law, ethics]}\n"
	public := "  - id: public\n    kind: public\n    title: {bs: Test, en: Test}\n    positions: [P-1/2026]\n    pool: {items: [law-01, law-02, law-03, law-04, law-05, law-06, law-07, law-08, law-09, ethics-01, ethics-02, ethics-03, ethics-04, ethics-05, ethics-06, ethics-07, ethics-08, ethics-09, ethics-10, ethics-11, ethics-12, mc-01]}\n"
	withMore := strings.Replace(baseRoot, "  - items.yaml\n", "  - items.yaml\n  - more.yaml\n", 1)
	for _, s := range []string{
		baseRoot,
		withMore + choice,
		withMore + public,
		withMore + strings.Replace(choice, "{topics: [law, ethics]}", "{topics: [law, ethics], quota: {law: 4, ethics: 6}}", 1),
		strings.Replace(baseRoot, "  - items.yaml\n", "  - ../items.yaml\n", 1),
		strings.Replace(baseRoot, "duration: 1h", "duration: 1h30x", 1),
		strings.Replace(baseRoot, "valid_from: 2026-01-01T00:00:00Z", "valid_from: 0000-01-01T00:00:00+01:00", 1),
		baseRoot + writtenPart,
		competenceRoot(twoCompetences),
		competenceRoot(strings.Replace(twoCompetences, "id: motivation", "id: knowledge", 1)),
		competenceRoot(" []\n"),
		`{"format": "ispit-bank-source/1", "id": "x", "items": ["items.yaml"], "parts": [{"id": "p", "kind": "public"}]}`,
		"format: ispit-bank-source/1\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := sourceFS(map[string]string{
			"more.yaml":     choiceItems("law", 9) + choiceItems("ethics", 12),
			"sub/more.yaml": "- {id: wr-02, topic: law, prompt: {bs: N, en: W}, points: 50, image: ../chart.png}\n",
		})
		fsys["chart.png"] = &fstest.MapFile{Data: pngImageBytes}
		fsys["bank.yaml"] = &fstest.MapFile{Data: data}
		checkLoad(t, fsys, "bank.yaml", signer)
	})
}

// pngImageBytes is a 1×1 PNG.
var pngImageBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\b\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

func TestFuzzSeedsAreMeaningful(t *testing.T) {
	if _, err := bank.ImageName(pngImageBytes); err != nil {
		t.Fatal(err)
	}
	fsys := sourceFS(map[string]string{"more.yaml": choiceItems("law", 9) + choiceItems("ethics", 12)})
	fsys["bank.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(baseRoot, "  - items.yaml\n", "  - items.yaml\n  - more.yaml\n", 1) +
		"  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 10\n    pool: {topics: [law, ethics]}\n")}
	if _, err := LoadFS(fsys, "bank.yaml"); err != nil {
		t.Fatal(err)
	}
}
