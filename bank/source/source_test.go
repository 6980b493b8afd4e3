package source

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"ispit/assets"
	"ispit/bank"
)

func TestLoadDemo(t *testing.T) {
	def, err := LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(def.Items) != 61 || len(def.Parts) != 3 {
		t.Fatalf("demo has %d items and %d parts", len(def.Items), len(def.Parts))
	}
	// DEMO-12/2026's interview is scored by competences, DEMO-14/2026's as one number; both
	// written tasks have a guide and a model answer in every language.
	if p := def.Positions[0]; p.Code != "DEMO-12/2026" || len(p.Competences) != 4 {
		t.Errorf("position %s has %d competences", p.Code, len(p.Competences))
	}
	if p := def.Positions[1]; p.Code != "DEMO-14/2026" || p.Competences != nil {
		t.Errorf("position %s has competences %+v", p.Code, p.Competences)
	}
	for _, id := range []string{"pro-wr-01", "pro-wr-02"} {
		g := def.Guides[id]
		if len(g.Guide) != len(bank.Languages) || len(g.ModelAnswer) != len(bank.Languages) {
			t.Errorf("%s has a guide in %d languages and a model answer in %d", id, len(g.Guide), len(g.ModelAnswer))
		}
	}
	t.Logf("%+v", def.Parts[0].Draw.Quota)
	t.Logf("%+v", def.Parts[1].Draw.Quota)
}

// rootHead is bank.yaml up to its parts; the first part starts on line 14.
const rootHead = `format: ispit-bank-source/1
id: test-1
title: {bs: Test, en: Test}
languages: [bs, en]
valid_from: 2026-01-01T00:00:00Z
valid_until: 2027-01-01T00:00:00Z
positions:
  - code: P-1/2026
    department: {bs: Odjel, en: Department}
    openings: 1
items:
  - items.yaml
parts:
`

// writtenPart is a valid part on lines 14 to 19 that uses the written task wr-01.
const writtenPart = `  - id: written
    kind: professional-written
    title: {bs: Pismeni, en: Written}
    positions: ["*"]
    duration: 1h
    items: [wr-01]
`

const baseRoot = rootHead + writtenPart

// baseItems holds a written task on line 1 and a multiple-choice item on line 5.
const baseItems = `- id: wr-01
  topic: law
  prompt: {bs: Napišite, en: Write}
  points: 100
- id: mc-01
  topic: law
  stem: {bs: Pitanje, en: Question}
  options:
    - text: {bs: Da, en: "Yes"}
      correct: true
    - text: {bs: Ne, en: "No"}
`

// sourceFS is the base source with files replaced or added.
func sourceFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"bank.yaml":  {Data: []byte(baseRoot)},
		"items.yaml": {Data: []byte(baseItems)},
	}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// choiceItems writes n multiple-choice items of a topic, one a line, with ids topic-01….
func choiceItems(topic string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "- {id: %s-%02d, topic: %s, stem: {bs: P%d, en: Q%d}, options: [{text: {bs: Da, en: 'Yes'}, correct: true}, {text: {bs: Ne, en: 'No'}}]}\n", topic, i, topic, i, i)
	}
	return b.String()
}

// pngImage is a small valid PNG file.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.NRGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// competenceRoot is the base bank.yaml with the competences given after the position's
// openings: the competences key is on line 11, the competences from line 12.
func competenceRoot(list string) string {
	return strings.Replace(baseRoot, "    openings: 1\n", "    openings: 1\n    competences:"+list, 1)
}

// twoCompetences is a valid list of competences, on lines 12 and 13 of competenceRoot.
const twoCompetences = `
      - {id: knowledge, title: {bs: Znanje, en: Knowledge}, points: 20}
      - {id: motivation, title: {bs: Motivacija, en: Motivation}, points: 10}
`

// withGuide is the base items with lines added after the written task's points (line 4).
func withGuide(lines string) string {
	return strings.Replace(baseItems, "  points: 100\n", "  points: 100\n"+lines, 1)
}

func TestLoadErrors(t *testing.T) {
	// choiceRoot adds more.yaml to the item files and a second part, which starts on line 21.
	choiceRoot := func(part string) string {
		return strings.Replace(rootHead, "  - items.yaml\n", "  - items.yaml\n  - more.yaml\n", 1) + writtenPart + part
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing format", map[string]string{"bank.yaml": strings.TrimPrefix(baseRoot, "format: ispit-bank-source/1\n")},
			`bank.yaml: has no format; write "format: ispit-bank-source/1" at the top`},
		{"unknown format", map[string]string{"bank.yaml": strings.Replace(baseRoot, "source/1", "source/2", 1)},
			`bank.yaml:1: format is "ispit-bank-source/2"; this program reads "ispit-bank-source/1"`},
		{"unknown field in an item", map[string]string{"items.yaml": strings.Replace(baseItems, "  options:", "  optoins:", 1)},
			`items.yaml:8: unknown field "optoins" (an item has: id, topic, stem, options, prompt, points, word_limit, image, guide, model_answer)`},
		{"unknown field in an option", map[string]string{"items.yaml": strings.Replace(baseItems, "      correct: true", "      corect: true", 1)},
			`items.yaml:10: unknown field "corect" (an option has: id, text, correct)`},
		{"unknown field in the root", map[string]string{"bank.yaml": strings.Replace(baseRoot, "languages:", "langauges:", 1)},
			`bank.yaml:4: unknown field "langauges" (the root file has: format, id, title, languages, valid_from, valid_until, positions, items, parts)`},
		{"unknown field in a position", map[string]string{"bank.yaml": strings.Replace(baseRoot, "openings:", "opening:", 1)},
			`bank.yaml:10: unknown field "opening" (a position has: code, department, openings, municipality, competences)`},
		{"yaml syntax error", map[string]string{"items.yaml": strings.Replace(baseItems, "  topic: law\n  stem", "  topic: law: civil\n  stem", 1)},
			`items.yaml:6: mapping values are not allowed in this context`},
		{"key given twice", map[string]string{"items.yaml": strings.Replace(baseItems, "  points: 100\n", "  points: 100\n  points: 50\n", 1)},
			`items.yaml:5: mapping key "points" already defined at line 4`},
		{"text where a number belongs", map[string]string{"items.yaml": strings.Replace(baseItems, "points: 100", "points: hundred", 1)},
			`items.yaml:4: expected a whole number, found "hundred"`},
		{"unknown field in a part", map[string]string{"bank.yaml": strings.Replace(baseRoot, "    duration: 1h\n", "    time: 1h\n", 1)},
			`bank.yaml:18: unknown field "time" (a part has: id, kind, title, positions, duration, count, pool, items)`},
		{"unknown field in a pool", map[string]string{"bank.yaml": strings.Replace(baseRoot, "    items: [wr-01]\n", "    pool: {topic: [law]}\n", 1)},
			`bank.yaml:19: unknown field "topic" (a pool has: topics, items, quota)`},
		{"text where a list belongs", map[string]string{"bank.yaml": strings.Replace(baseRoot, "languages: [bs, en]", "languages: bs", 1)},
			`bank.yaml:4: expected a list, found "bs"`},
		{"text where a text per language belongs", map[string]string{"bank.yaml": strings.Replace(baseRoot, "title: {bs: Test, en: Test}", "title: Test", 1)},
			`bank.yaml:3: expected a text in each language (bs: …, en: …), found "Test"`},
		{"a list where a text per language belongs", map[string]string{"items.yaml": strings.Replace(baseItems, "stem: {bs: Pitanje, en: Question}", "stem: [Pitanje, Question]", 1)},
			`items.yaml:7: expected a text in each language (bs: …, en: …), found a list`},
		{"not a time", map[string]string{"bank.yaml": strings.Replace(baseRoot, "valid_from: 2026-01-01T00:00:00Z", "valid_from: next monday", 1)},
			`bank.yaml:5: expected a time like 2026-01-01T00:00:00Z, found "next monday"`},
		{"not true or false", map[string]string{"items.yaml": strings.Replace(baseItems, "correct: true", "correct: maybe", 1)},
			`items.yaml:10: expected true or false, found "maybe"`},
		{"a list where a time belongs", map[string]string{"bank.yaml": strings.Replace(baseRoot, "valid_until: 2027-01-01T00:00:00Z", "valid_until: [2027]", 1)},
			`bank.yaml:6: expected a time like 2026-01-01T00:00:00Z, found a list`},
		{"time out of range", map[string]string{"bank.yaml": strings.Replace(baseRoot, "valid_from: 2026-01-01T00:00:00Z", "valid_from: 0000-01-01T00:00:00+01:00", 1)},
			`bank.yaml:6: bank: valid_from and valid_until must fall in the years 0 to 9999 (UTC)`},
		{"item file is not a list", map[string]string{"items.yaml": "id: wr-01\ntopic: law\n"},
			`items.yaml:1: expected a list of items, found a mapping (key: value lines)`},
		{"root is a list", map[string]string{"bank.yaml": "- format: ispit-bank-source/1\n"},
			`bank.yaml:1: expected the root file (key: value lines), found a list`},
		{"empty item file", map[string]string{"items.yaml": ""},
			`items.yaml: file is empty`},
		{"second document", map[string]string{"items.yaml": baseItems + "---\n- id: wr-02\n"},
			`items.yaml:12: a second YAML document starts here; a source file holds one`},
		{"an id on two lines", map[string]string{"items.yaml": strings.Replace(baseItems, "id: mc-01", `id: "mc\n01"`, 1)},
			`items.yaml:5: item mc\n01 has an id that is not allowed (letters, digits, '.', '_', '-', at most 64)`},
		{"a long value on two lines", map[string]string{"items.yaml": strings.Replace(baseItems, "points: 100", "points: |\n    "+strings.Repeat("sto ", 20)+"\n    bodova", 1)},
			`items.yaml:4: expected a whole number, found "sto sto..."`},
		{"no correct option", map[string]string{"items.yaml": strings.Replace(baseItems, "      correct: true\n", "", 1)},
			`items.yaml:5: item mc-01 has no correct option`},
		{"two correct options", map[string]string{"items.yaml": baseItems + "      correct: true\n"},
			`items.yaml:5: item mc-01 has 2 correct options (a, b); exactly one is allowed`},
		{"one option", map[string]string{"items.yaml": strings.TrimSuffix(baseItems, "    - text: {bs: Ne, en: \"No\"}\n")},
			`items.yaml:5: item mc-01 has 1 option; it needs 2 to 6`},
		{"seven options", map[string]string{"items.yaml": baseItems + strings.Repeat("    - text: {bs: Ne, en: \"No\"}\n", 5)},
			`items.yaml:5: item mc-01 has 7 options; it needs 2 to 6`},
		{"stem without a language", map[string]string{"items.yaml": strings.Replace(baseItems, "stem: {bs: Pitanje, en: Question}", "stem: {bs: Pitanje}", 1)},
			`items.yaml:5: item mc-01 has no question in en`},
		{"stem with a blank language", map[string]string{"items.yaml": strings.Replace(baseItems, "en: Question", "en: ' '", 1)},
			`items.yaml:5: item mc-01 has no question in en`},
		{"option without a language", map[string]string{"items.yaml": strings.Replace(baseItems, `{bs: Ne, en: "No"}`, `{bs: Ne}`, 1)},
			`items.yaml:5: item mc-01 has no text for option b in en`},
		{"language not of the bank", map[string]string{"items.yaml": strings.Replace(baseItems, "en: Question}", "en: Question, de: Frage, fr: Question}", 1)},
			`items.yaml:5: item mc-01 has a question in "de", which is not a language of the bank`},
		{"title without a language", map[string]string{"bank.yaml": strings.Replace(baseRoot, "title: {bs: Test, en: Test}", "title: {bs: Test}", 1)},
			`bank.yaml:3: bank: has no title in en`},
		{"valid_until before valid_from", map[string]string{"bank.yaml": strings.Replace(baseRoot, "2027-01-01", "2025-01-01", 1)},
			`bank.yaml:6: bank: valid_until must be after valid_from`},
		{"language not known", map[string]string{"bank.yaml": strings.Replace(baseRoot, "languages: [bs, en]", "languages: [bs, en, de]", 1)},
			`bank.yaml:4: bank: language "de" is not one of bs, hr, sr-Latn, sr-Cyrl, sq, en`},
		{"bad bank id", map[string]string{"bank.yaml": strings.Replace(baseRoot, "id: test-1", "id: Test_1", 1)},
			`bank.yaml:2: bank: id "Test_1" is not allowed (lower-case letters, digits, '.', '-', at most 64)`},
		{"duplicate item across files",
			map[string]string{
				"bank.yaml": strings.Replace(baseRoot, "  - items.yaml\n", "  - items.yaml\n  - more.yaml\n", 1),
				"more.yaml": "- id: wr-02\n  topic: law\n  prompt: {bs: Opet, en: Again}\n  points: 10\n" + strings.Replace(baseItems, "- id: wr-01", "- id: wr-03", 1),
			},
			`more.yaml:9: item mc-01 is defined twice (first at items.yaml:5)`},
		{"item without id", map[string]string{"items.yaml": strings.Replace(baseItems, "- id: mc-01\n  topic: law\n", "- topic: law\n", 1)},
			`items.yaml:5: item has no id`},
		{"written task with a stem", map[string]string{"items.yaml": strings.Replace(baseItems, "  points: 100\n", "  points: 100\n  stem: {bs: Pitanje, en: Question}\n", 1)},
			`items.yaml:1: item wr-01 is a written task; use prompt, not stem`},
		{"options and a prompt", map[string]string{"items.yaml": baseItems + "  prompt: {bs: Napišite, en: Write}\n"},
			`items.yaml:5: item mc-01 has both options and a written task's prompt`},
		{"neither options nor prompt", map[string]string{"items.yaml": baseItems + "- id: mc-02\n  topic: law\n  stem: {bs: Pitanje, en: Question}\n"},
			`items.yaml:12: item mc-02 has neither options (multiple choice) nor a prompt (written task)`},
		{"points on a choice item", map[string]string{"items.yaml": baseItems + "  points: 5\n"},
			`items.yaml:5: item mc-01 is multiple-choice; points and word_limit belong to written tasks (a part's scoring rules give the points)`},
		{"duplicate option id", map[string]string{"items.yaml": strings.Replace(baseItems, "    - text: {bs: Ne", "    - id: a\n      text: {bs: Ne", 1)},
			`items.yaml:5: item mc-01 has option "a" twice`},
		{"unknown topic in a pool",
			map[string]string{"bank.yaml": choiceRoot("  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 10\n    pool: {topics: [law, ethcs]}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part choice pool names topic "ethcs", which no choice item has`},
		{"quota larger than a topic",
			map[string]string{"bank.yaml": choiceRoot("  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 10\n    pool:\n      topics: [law, ethics]\n      quota: {law: 5, ethics: 5}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part choice draws 5 items from topic "ethics", but its pool has only 4`},
		{"quota not adding up",
			map[string]string{"bank.yaml": choiceRoot("  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 10\n    pool:\n      topics: [law, ethics]\n      quota: {law: 5, ethics: 4}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part choice draws 9 items in all but its count is 10`},
		{"pool smaller than the count",
			map[string]string{"bank.yaml": choiceRoot("  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 20\n    pool: {topics: [law, ethics]}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part choice draws 20 items from a pool of 14`},
		{"choice count not 10 or 20",
			map[string]string{"bank.yaml": choiceRoot("  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    count: 14\n    pool: {topics: [law, ethics]}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part choice has count 14; a professional multiple-choice test has 10 or 20 questions`},
		{"choice count missing",
			map[string]string{"bank.yaml": choiceRoot("  - id: choice\n    kind: professional-choice\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    duration: 45m\n    pool: {topics: [law, ethics]}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part choice needs a count: 10 or 20 questions`},
		{"public part of the wrong count",
			map[string]string{"bank.yaml": choiceRoot("  - id: public\n    kind: public\n    title: {bs: Test, en: Test}\n    positions: [\"*\"]\n    count: 10\n    pool: {topics: [law, ethics]}\n"),
				"items.yaml": baseItems + choiceItems("law", 9), "more.yaml": choiceItems("ethics", 4)},
			`bank.yaml:21: part public must have 21 items worth 1 point each, passed with 11`},
		{"written tasks not adding up to 100", map[string]string{"items.yaml": strings.Replace(baseItems, "points: 100", "points: 90", 1)},
			`bank.yaml:14: part written has tasks worth 90 points in all; they must add up to 100, passed with 75`},
		{"written part drawn from a pool", map[string]string{"bank.yaml": strings.Replace(baseRoot, "    items: [wr-01]\n", "    pool: {topics: [law]}\n", 1)},
			`bank.yaml:14: part written draws from a pool; list its written tasks under items instead`},
		{"written task in a choice part", map[string]string{"bank.yaml": strings.Replace(baseRoot, "professional-written", "public", 1)},
			`bank.yaml:14: part written lists 1 items but its count is 21`},
		{"unknown part kind", map[string]string{"bank.yaml": strings.Replace(baseRoot, "professional-written", "oral", 1)},
			`bank.yaml:14: part written has kind "oral"; use public, professional-choice or professional-written`},
		{"unknown item in a part", map[string]string{"bank.yaml": strings.Replace(baseRoot, "[wr-01]", "[wr-1]", 1)},
			`bank.yaml:14: part written uses item "wr-1", which the bank does not have`},
		{"unknown position in a part", map[string]string{"bank.yaml": strings.Replace(baseRoot, `positions: ["*"]`, `positions: [P-1/2026, P-2/2026]`, 1)},
			`bank.yaml:14: part written names position "P-2/2026", which the bank does not list`},
		{"bad duration", map[string]string{"bank.yaml": strings.Replace(baseRoot, "duration: 1h", "duration: 60 minutes", 1)},
			`bank.yaml:14: part written has duration "60 minutes"; write it like 30m or 1h30m`},
		{"negative duration", map[string]string{"bank.yaml": strings.Replace(baseRoot, "duration: 1h", "duration: -1h", 1)},
			`bank.yaml:14: part written has duration "-1h"; write it like 30m or 1h30m`},
		{"duration too long", map[string]string{"bank.yaml": strings.Replace(baseRoot, "duration: 1h", "duration: 25h", 1)},
			`bank.yaml:14: part written needs a duration between 1 second and 24 hours`},
		{"missing duration", map[string]string{"bank.yaml": strings.Replace(baseRoot, "    duration: 1h\n", "", 1)},
			`bank.yaml:14: part written needs a duration, like 45m`},
		{"part defined twice", map[string]string{"bank.yaml": baseRoot + writtenPart},
			`bank.yaml:20: part written is defined twice (first at line 14)`},
		{"position listed twice", map[string]string{"bank.yaml": strings.Replace(baseRoot, "items:\n", "  - code: P-1/2026\n    department: {bs: Odjel, en: Department}\n    openings: 2\nitems:\n", 1)},
			`bank.yaml:11: position P-1/2026 is listed twice (first at line 8)`},
		{"position without openings", map[string]string{"bank.yaml": strings.Replace(baseRoot, "    openings: 1\n", "", 1)},
			`bank.yaml:8: position P-1/2026 must have at least one opening`},
		{"missing item file", map[string]string{"bank.yaml": strings.Replace(baseRoot, "  - items.yaml\n", "  - items.yaml\n  - missing.yaml\n", 1)},
			`bank.yaml:13: item file missing.yaml: file not found`},
		{"item file outside the folder", map[string]string{"bank.yaml": strings.Replace(baseRoot, "  - items.yaml\n", "  - ../x.yaml\n", 1)},
			`bank.yaml:12: item file "../x.yaml" must be inside the source folder, written with /`},
		{"item file by absolute path", map[string]string{"bank.yaml": strings.Replace(baseRoot, "  - items.yaml\n", "  - /items.yaml\n", 1)},
			`bank.yaml:12: item file "/items.yaml" must be inside the source folder, written with /`},
		{"item file listed twice", map[string]string{"bank.yaml": strings.Replace(baseRoot, "  - items.yaml\n", "  - items.yaml\n  - ./items.yaml\n", 1)},
			`bank.yaml:13: item file ./items.yaml is listed twice (first at line 12)`},
		{"no item files", map[string]string{"bank.yaml": strings.Replace(baseRoot, "  - items.yaml\n", "", 1)},
			`bank.yaml:11: names no item files`},
		{"missing image", map[string]string{"items.yaml": baseItems + "  image: images/chart.png\n"},
			`items.yaml:5: item mc-01: image images/chart.png: file not found`},
		{"image that is not PNG or JPEG", map[string]string{"items.yaml": baseItems + "  image: chart.gif\n", "chart.gif": "GIF89a\x01\x00\x01\x00\x00\x00\x00;"},
			`items.yaml:5: item mc-01: image chart.gif: not a PNG or JPEG image`},
		{"image cut short", map[string]string{"items.yaml": baseItems + "  image: chart.png\n", "chart.png": "\x89PNG\r\n\x1a\n\x00\x00"},
			`items.yaml:5: item mc-01: image chart.png: not a readable PNG image: unexpected EOF`},
		{"image outside the folder", map[string]string{"items.yaml": baseItems + "  image: ../chart.png\n"},
			`items.yaml:5: item mc-01: image "../chart.png" must be inside the source folder, written with /`},
	}
	// Grading guides, model answers and competences.
	tests = append(tests, []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"guide on a choice item", map[string]string{"items.yaml": baseItems + "  guide: {bs: Vodič, en: Guide}\n"},
			`items.yaml:5: item mc-01 is multiple-choice; guide and model_answer belong to written tasks`},
		{"model answer on a choice item", map[string]string{"items.yaml": baseItems + "  model_answer: {en: b}\n"},
			`items.yaml:5: item mc-01 is multiple-choice; guide and model_answer belong to written tasks`},
		{"guide in a language not of the bank", map[string]string{"items.yaml": withGuide("  guide: {bs: Vodič, de: Leitfaden}\n")},
			`items.yaml:1: item wr-01 has a grading guide in "de", which is not a language of the bank`},
		{"blank model answer", map[string]string{"items.yaml": withGuide("  model_answer: {bs: Odgovor, en: ' '}\n")},
			`items.yaml:1: item wr-01 has a blank model answer in en`},
		{"guide in no language", map[string]string{"items.yaml": withGuide("  guide: {}\n")},
			`items.yaml:1: item wr-01 has a grading guide in no language`},
		{"guide as plain text", map[string]string{"items.yaml": withGuide("  guide: Read it\n")},
			`items.yaml:5: expected a text in each language (bs: …, en: …), found "Read it"`},
		{"guide misspelt", map[string]string{"items.yaml": withGuide("  guides: {en: x}\n")},
			`items.yaml:5: unknown field "guides" (an item has: id, topic, stem, options, prompt, points, word_limit, image, guide, model_answer)`},
		{"competences not adding up", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "points: 10", "points: 5", 1))},
			`bank.yaml:11: position P-1/2026 has interview competences worth 25 points in all; they must add up to 30`},
		{"competences over 30", map[string]string{"bank.yaml": competenceRoot(twoCompetences + "      - {id: extra, title: {bs: X, en: X}, points: 1}\n")},
			`bank.yaml:11: position P-1/2026 has interview competences worth 31 points in all; they must add up to 30`},
		{"empty competences", map[string]string{"bank.yaml": competenceRoot(" []\n")},
			`bank.yaml:11: position P-1/2026 has an empty list of interview competences; leave it out to score the interview as one number`},
		{"competences not a list", map[string]string{"bank.yaml": competenceRoot(" 30\n")},
			`bank.yaml:11: expected a list, found "30"`},
		{"competence id not allowed", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "id: motivation", "id: Motivation", 1))},
			`bank.yaml:13: position P-1/2026 competence Motivation has an id that is not allowed (lower-case letters, digits, '-', at most 32)`},
		{"competence without id", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "id: motivation, ", "", 1))},
			`bank.yaml:13: position P-1/2026 has a competence without an id`},
		{"competence twice", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "id: motivation", "id: knowledge", 1))},
			`bank.yaml:13: position P-1/2026 has competence knowledge twice (first at line 12)`},
		{"competence title missing a language", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "{bs: Motivacija, en: Motivation}", "{bs: Motivacija}", 1))},
			`bank.yaml:13: position P-1/2026 competence motivation has no title in en`},
		{"competence without points", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, ", points: 10", "", 1))},
			`bank.yaml:13: position P-1/2026 competence motivation has 0 points; a competence has 1 to 30`},
		{"competence points as text", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "points: 10", "points: ten", 1))},
			`bank.yaml:13: expected a whole number, found "ten"`},
		{"competence field misspelt", map[string]string{"bank.yaml": competenceRoot(strings.Replace(twoCompetences, "points: 10", "max_points: 10", 1))},
			`bank.yaml:13: unknown field "max_points" (a competence has: id, title, points)`},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(sourceFS(tt.files), "bank.yaml")
			if err == nil {
				t.Fatalf("loaded; want %s", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Errorf("error is a %T, not a *source.Error", err)
			}
		})
	}
}

func TestLoadBase(t *testing.T) {
	def, err := LoadFS(sourceFS(nil), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if def.ID != "test-1" || len(def.Items) != 2 || len(def.Parts) != 1 {
		t.Fatalf("loaded %+v", def)
	}
	want := bank.Part{
		ID: "written", Kind: bank.PartProfessionalWritten, Title: bank.Text{"bs": "Pismeni", "en": "Written"},
		Positions: []string{"*"}, DurationSeconds: 3600, Count: 1, MaxPoints: 100, PassMark: 75, Items: []string{"wr-01"},
	}
	if !reflect.DeepEqual(def.Parts[0], want) {
		t.Errorf("part is %+v\nwant %+v", def.Parts[0], want)
	}
	wr := bank.Item{ID: "wr-01", Kind: bank.ItemWritten, Topic: "law", Prompt: bank.Text{"bs": "Napišite", "en": "Write"}, MaxPoints: 100}
	if !reflect.DeepEqual(def.Items[0], wr) {
		t.Errorf("written task is %+v", def.Items[0])
	}
	if def.Correct["mc-01"] != "a" || len(def.Correct) != 1 {
		t.Errorf("answer key is %v", def.Correct)
	}
}

func TestLoadGuidesAndCompetences(t *testing.T) {
	items := withGuide(`  guide:
    bs: |
      - **Struktura (10 bodova):** uvod, razrada, zaključak.
      - **Argumenti (90 bodova)**
  model_answer: {bs: Odgovor., en: An answer.}
`)
	fsys := sourceFS(map[string]string{"bank.yaml": competenceRoot(twoCompetences), "items.yaml": items})
	def, err := LoadFS(fsys, "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []bank.Competence{
		{ID: "knowledge", Title: bank.Text{"bs": "Znanje", "en": "Knowledge"}, MaxPoints: 20},
		{ID: "motivation", Title: bank.Text{"bs": "Motivacija", "en": "Motivation"}, MaxPoints: 10},
	}
	if !reflect.DeepEqual(def.Positions[0].Competences, want) {
		t.Errorf("competences are %+v", def.Positions[0].Competences)
	}
	guide := bank.GradingGuide{
		Guide:       bank.Text{"bs": "- **Struktura (10 bodova):** uvod, razrada, zaključak.\n- **Argumenti (90 bodova)**\n"},
		ModelAnswer: bank.Text{"bs": "Odgovor.", "en": "An answer."},
	}
	if len(def.Guides) != 1 || !reflect.DeepEqual(def.Guides["wr-01"], guide) {
		t.Errorf("guides are %+v", def.Guides)
	}
	// The written task as the kiosk gets it has neither.
	if wr := def.Items[0]; wr.Prompt == nil || strings.Contains(fmt.Sprintf("%+v", wr), "Struktura") {
		t.Errorf("written task is %+v", wr)
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: fuzzSigner(t), WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(built.Bank), "knowledge") {
		t.Error("the bank file names the competences")
	}
	key, err := bank.DecodeAnswerKey(built.Answers)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := key.Position("P-1/2026"); !reflect.DeepEqual(p.Competences, want) {
		t.Errorf("key position is %+v", p)
	}
	if wr, _ := key.Item("wr-01"); !reflect.DeepEqual(wr.GradingGuide(), guide) {
		t.Errorf("key of wr-01 is %+v", wr)
	}
}

func TestOptionIDs(t *testing.T) {
	items := baseItems + `- id: mc-02
  topic: law
  stem: {bs: Pitanje, en: Question}
  options:
    - id: yes
      text: {bs: Da, en: "Yes"}
    - id: no
      text: {bs: Ne, en: "No"}
    - id: x7
      text: {bs: Možda, en: Maybe}
      correct: true
- id: mc-03
  topic: law
  stem: {bs: Pitanje, en: Question}
  options:
    - text: {bs: A, en: A}
    - text: {bs: B, en: B}
    - text: {bs: C, en: C}
      correct: true
    - text: {bs: D, en: D}
`
	def, err := LoadFS(sourceFS(map[string]string{"items.yaml": items}), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(it bank.Item) []string {
		var out []string
		for _, o := range it.Options {
			out = append(out, o.ID)
		}
		return out
	}
	if got := ids(def.Items[2]); !reflect.DeepEqual(got, []string{"yes", "no", "x7"}) {
		t.Errorf("custom option ids are %v", got)
	}
	if got := ids(def.Items[3]); !reflect.DeepEqual(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("default option ids are %v", got)
	}
	if def.Correct["mc-02"] != "x7" || def.Correct["mc-03"] != "c" {
		t.Errorf("answer key is %v", def.Correct)
	}
	if def.Items[3].Options[2].Text["en"] != "C" {
		t.Errorf("option c is %+v", def.Items[3].Options[2])
	}
}

func TestImage(t *testing.T) {
	img := pngImage(t)
	fsys := sourceFS(map[string]string{"items.yaml": baseItems + "  image: pictures/chart.png\n"})
	fsys["pictures/chart.png"] = &fstest.MapFile{Data: img}
	def, err := LoadFS(fsys, "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	name, err := bank.ImageName(img)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "images/") || !strings.HasSuffix(name, ".png") {
		t.Errorf("image name %s", name)
	}
	if def.Items[1].Image != name {
		t.Errorf("item names image %q, want %q", def.Items[1].Image, name)
	}
	if len(def.Images) != 1 || !bytes.Equal(def.Images[name], img) {
		t.Errorf("images are %v", slices.Collect(maps.Keys(def.Images)))
	}
	if err := def.Validate(); err != nil {
		t.Error(err)
	}
}

func TestItemFilesInFolders(t *testing.T) {
	// Item files are named relative to the root file, images relative to their item file.
	img := pngImage(t)
	root := strings.Replace(baseRoot, "  - items.yaml\n", "  - items/part-one.yaml\n", 1)
	fsys := fstest.MapFS{
		"src/bank.yaml":           {Data: []byte(root)},
		"src/items/part-one.yaml": {Data: []byte(baseItems + "  image: ../img/chart.png\n")},
		"src/img/chart.png":       {Data: img},
		"src/items/img/chart.png": {Data: []byte("not this one")},
		"items/part-one.yaml":     {Data: []byte("not this one either")},
	}
	def, err := LoadFS(fsys, "src/bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(def.Items) != 2 || len(def.Images) != 1 {
		t.Fatalf("%d items, %d images", len(def.Items), len(def.Images))
	}
	fsys["src/bank.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(baseRoot, "  - items.yaml\n", "  - items/missing.yaml\n", 1))}
	_, err = LoadFS(fsys, "src/bank.yaml")
	if want := "src/bank.yaml:12: item file items/missing.yaml: file not found"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestByteOrderMark(t *testing.T) {
	plain, err := LoadFS(sourceFS(nil), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withBOM, err := LoadFS(sourceFS(map[string]string{"bank.yaml": "\ufeff" + baseRoot, "items.yaml": "\ufeff" + baseItems}), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plain, withBOM) {
		t.Errorf("with a byte order mark: %+v\nwithout: %+v", withBOM, plain)
	}
	// Lines are still counted from the first line of the file.
	_, err = LoadFS(sourceFS(map[string]string{"items.yaml": "\ufeff" + strings.Replace(baseItems, "  options:", "  optoins:", 1)}), "bank.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "items.yaml:8: ") {
		t.Errorf("got %v", err)
	}
}

func TestJSONSource(t *testing.T) {
	root := `{
  "format": "ispit-bank-source/1",
  "id": "test-1",
  "title": {"bs": "Test", "en": "Test"},
  "languages": ["bs", "en"],
  "valid_from": "2026-01-01T00:00:00Z",
  "valid_until": "2027-01-01T00:00:00Z",
  "positions": [{"code": "P-1/2026", "department": {"bs": "Odjel", "en": "Department"}, "openings": 1}],
  "items": ["items.json"],
  "parts": [{"id": "written", "kind": "professional-written", "title": {"bs": "Pismeni", "en": "Written"},
             "positions": ["*"], "duration": "1h", "items": ["wr-01"]}]
}`
	items := `[
  {"id": "wr-01", "topic": "law", "prompt": {"bs": "Napišite", "en": "Write"}, "points": 100},
  {"id": "mc-01", "topic": "law", "stem": {"bs": "Pitanje", "en": "Question"},
   "options": [{"text": {"bs": "Da", "en": "Yes"}, "correct": true}, {"text": {"bs": "Ne", "en": "No"}}]}
]`
	fsys := fstest.MapFS{"bank.json": {Data: []byte(root)}, "items.json": {Data: []byte(items)}}
	fromJSON, err := LoadFS(fsys, "bank.json")
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := LoadFS(sourceFS(nil), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Errorf("from JSON: %+v\nfrom YAML: %+v", fromJSON, fromYAML)
	}
	fsys["items.json"] = &fstest.MapFile{Data: []byte(strings.Replace(items, `"points": 100`, `"points": 100, "pionts": 1`, 1))}
	_, err = LoadFS(fsys, "bank.json")
	if want := `items.json:2: unknown field "pionts" (an item has: id, topic, stem, options, prompt, points, word_limit, image, guide, model_answer)`; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// quotaSource is a bank with a professional-choice part of count drawing from a pool, and the
// items of each topic in an item file of their own, in the order given.
func quotaSource(count int, pool string, topics []string, sizes []int) fstest.MapFS {
	fsys := fstest.MapFS{}
	var names []string
	for i, topic := range topics {
		name := topic + ".yaml"
		names = append(names, "  - "+name+"\n")
		fsys[name] = &fstest.MapFile{Data: []byte(choiceItems(topic, sizes[i]))}
	}
	root := strings.Replace(rootHead, "  - items.yaml\n", strings.Join(names, ""), 1) + fmt.Sprintf(`  - id: choice
    kind: professional-choice
    title: {bs: Test, en: Test}
    positions: ["*"]
    duration: 45m
    count: %d
    pool: %s
`, count, pool)
	fsys["bank.yaml"] = &fstest.MapFile{Data: []byte(root)}
	return fsys
}

func TestLargestRemainderQuota(t *testing.T) {
	tests := []struct {
		name   string
		count  int
		pool   string
		topics []string
		sizes  []int
		want   map[string]int
	}{
		// 10×10/21 = 4 r16, 10×7/21 = 3 r7, 10×4/21 = 1 r19: the two left over go to t-c and t-a.
		{"10/7/4", 10, "{topics: [t-a, t-b, t-c]}", []string{"t-a", "t-b", "t-c"}, []int{10, 7, 4},
			map[string]int{"t-a": 5, "t-b": 3, "t-c": 2}},
		// The same, named in another order: the quota does not depend on it.
		{"4/7/10", 10, "{topics: [t-c, t-b, t-a]}", []string{"t-a", "t-b", "t-c"}, []int{10, 7, 4},
			map[string]int{"t-a": 5, "t-b": 3, "t-c": 2}},
		// 10×4/12 = 3 r4 for each: the one left over goes to the topic named first in the pool,
		// not the first in the files or in the alphabet.
		{"tie by topics", 10, "{topics: [t-z, t-x, t-y]}", []string{"t-x", "t-y", "t-z"}, []int{4, 4, 4},
			map[string]int{"t-z": 4, "t-x": 3, "t-y": 3}},
		{"tie by items", 10, "{items: [t-y-01, t-x-01, t-x-02, t-x-03, t-x-04, t-y-02, t-y-03, t-y-04, t-z-01, t-z-02, t-z-03, t-z-04]}",
			[]string{"t-x", "t-y", "t-z"}, []int{4, 4, 4},
			map[string]int{"t-y": 4, "t-x": 3, "t-z": 3}},
		// 10×19/20 = 9 r10, 10×1/20 = 0 r10: the tie goes to the first, the other topic gives nothing.
		{"topic giving nothing", 10, "{topics: [big, small]}", []string{"big", "small"}, []int{19, 1},
			map[string]int{"big": 10}},
		{"exact", 20, "{topics: [t-a, t-b]}", []string{"t-a", "t-b"}, []int{15, 5},
			map[string]int{"t-a": 15, "t-b": 5}},
		{"given quota", 10, "{topics: [t-a, t-b, t-c], quota: {t-a: 2, t-b: 4, t-c: 4}}", []string{"t-a", "t-b", "t-c"}, []int{10, 7, 4},
			map[string]int{"t-a": 2, "t-b": 4, "t-c": 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := LoadFS(quotaSource(tt.count, tt.pool, tt.topics, tt.sizes), "bank.yaml")
			if err != nil {
				t.Fatal(err)
			}
			p := def.Parts[0]
			if p.Draw == nil || !reflect.DeepEqual(p.Draw.Quota, tt.want) {
				t.Fatalf("quota is %+v, want %v", p.Draw, tt.want)
			}
			total := 0
			for _, n := range tt.sizes {
				total += n
			}
			if len(p.Draw.Pool) != total || p.Count != tt.count || p.PointsPerItem*p.Count != 100 || p.PassMark != 70 || p.DurationSeconds != 45*60 {
				t.Errorf("part is %+v", p)
			}
		})
	}
}
