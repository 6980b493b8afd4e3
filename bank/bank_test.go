package bank

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// testNow is inside the validity window of every test definition.
var testNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// newTestSigner returns a fresh Ed25519 authority key and a trust list holding it.
func newTestSigner(t testing.TB) (ssh.Signer, *sshsig.Trust) {
	t.Helper()
	priv, pub, err := sshsig.GenerateKey("test authority")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := sshsig.ParseTrust(append([]byte("authority "), pub...))
	if err != nil {
		t.Fatal(err)
	}
	return signer, trust
}

func testText(s string) Text {
	t := Text{}
	for _, l := range Languages {
		t[l] = s + " (" + l + ")"
	}
	return t
}

// newTestDefinition returns a valid definition: a public exam drawn from choice items on three
// topics, a 10-question professional test and two written tasks.
func newTestDefinition(choicePerTopic int) *Definition {
	def := &Definition{
		ID:         "test-bank",
		Title:      testText("Test bank"),
		Languages:  slices.Clone(Languages),
		ValidFrom:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Positions:  []Position{{Code: "P-1/2026", Department: testText("Department"), Openings: 1}},
		Correct:    map[string]string{},
		Images:     map[string][]byte{},
	}
	var pool []string
	for _, topic := range []string{"law", "procedure", "ethics"} {
		for i := range choicePerTopic {
			id := fmt.Sprintf("%s-%03d", topic, i)
			def.Items = append(def.Items, Item{
				ID: id, Kind: ItemChoice, Topic: topic, Stem: testText("Question " + id),
				Options: []Option{{"a", testText("A")}, {"b", testText("B")}, {"c", testText("C")}, {"d", testText("D")}},
			})
			def.Correct[id] = string(rune('a' + i%4))
			pool = append(pool, id)
		}
	}
	def.Items = append(def.Items,
		Item{ID: "task-1", Kind: ItemWritten, Topic: "law", Prompt: testText("Task 1"), MaxPoints: 40, WordLimit: 500},
		Item{ID: "task-2", Kind: ItemWritten, Topic: "law", Prompt: testText("Task 2"), MaxPoints: 60})
	def.Parts = []Part{
		{ID: "public", Kind: PartPublic, Title: testText("Public"), Positions: []string{"*"}, DurationSeconds: 1800,
			Count: 21, PointsPerItem: 1, MaxPoints: 21, PassMark: 11,
			Draw: &Draw{Pool: pool, Quota: map[string]int{"law": 7, "procedure": 7, "ethics": 7}}},
		{ID: "choice", Kind: PartProfessionalChoice, Title: testText("Choice"), Positions: []string{"P-1/2026"}, DurationSeconds: 2700,
			Count: 10, PointsPerItem: 10, MaxPoints: 100, PassMark: 70, Items: pool[:10]},
		{ID: "written", Kind: PartProfessionalWritten, Title: testText("Written"), Positions: []string{"P-1/2026"}, DurationSeconds: 7200,
			Count: 2, MaxPoints: 100, PassMark: 75, Items: []string{"task-1", "task-2"}},
	}
	return def
}

// fastBuild builds with a tiny scrypt work factor, so that tests do not wait for the derivation.
func fastBuild(t testing.TB, def *Definition, signer ssh.Signer) *Built {
	t.Helper()
	built, err := Build(def, BuildOptions{Signer: signer, WorkFactor: 1, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return built
}

func TestBuildVerifyOpen(t *testing.T) {
	signer, trust := newTestSigner(t)
	def := newTestDefinition(8)
	built := fastBuild(t, def, signer)

	v, err := Verify(built.Bank, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if v.Signer != "authority" || v.Manifest.BankID != "test-bank" || v.Manifest.Payload.Items != len(def.Items) {
		t.Fatalf("verified: signer %q, manifest %+v", v.Signer, v.Manifest)
	}
	b, err := v.Open(strings.ToLower(built.StartCode))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != len(def.Items) {
		t.Fatalf("opened %d items, want %d", len(b.Items), len(def.Items))
	}
	it, ok := b.Item("law-003")
	if !ok || it.Stem["sr-Cyrl"] != "Question law-003 (sr-Cyrl)" || len(it.Options) != 4 {
		t.Fatalf("item law-003 = %+v", it)
	}
	if bytes.Contains(built.Bank, []byte(`"correct"`)) {
		t.Fatal("the bank file carries the answer key")
	}

	key, principal, err := ReadAnswerKey(built.Answers, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if principal != "authority" || key.BankID != "test-bank" || key.PayloadSHA256 != v.Manifest.Payload.SHA256 || key.ManifestSHA256 != b.ManifestSHA256 {
		t.Fatalf("answer key is not bound to the bank: %+v", key)
	}
	if k, _ := key.Item("law-003"); k.Correct != "d" {
		t.Fatalf("key of law-003 = %+v", k)
	}
	if k, _ := key.Item("task-2"); k.MaxPoints != 60 {
		t.Fatalf("key of task-2 = %+v", k)
	}
}

func TestBuildWithImage(t *testing.T) {
	signer, trust := newTestSigner(t)
	def := newTestDefinition(8)
	img := testPNG(t, 1, 40, 30)
	name, err := ImageName(img)
	if err != nil {
		t.Fatal(err)
	}
	def.Images[name] = img
	def.Items[0].Image = name
	def.Items[1].Image = name
	built := fastBuild(t, def, signer)
	v, err := Verify(built.Bank, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := v.Open(built.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := b.Image(name); !ok || !bytes.Equal(got, img) || v.Manifest.Payload.Images != 1 {
		t.Fatalf("image %s: present %v, %d images in manifest", name, ok, v.Manifest.Payload.Images)
	}
}

func TestBuildRefusesInvalidDefinitions(t *testing.T) {
	signer, _ := newTestSigner(t)
	tests := []struct {
		name   string
		change func(*Definition)
		want   string
	}{
		{"no correct option", func(d *Definition) { delete(d.Correct, "law-001") }, "item law-001 has no correct option"},
		{"correct option unknown", func(d *Definition) { d.Correct["law-001"] = "z" }, `item law-001 names correct option "z", which it does not have`},
		{"missing language", func(d *Definition) { delete(d.Items[2].Stem, "sq") }, "item law-002 has no question in sq"},
		{"blank option text", func(d *Definition) { d.Items[0].Options[1].Text["sr-Cyrl"] = "  " }, "item law-000 has no text for option b in sr-Cyrl"},
		{"one option", func(d *Definition) { d.Items[0].Options = d.Items[0].Options[:1] }, "item law-000 has 1 option; it needs 2 to 6"},
		{"duplicate item", func(d *Definition) { d.Items[1].ID = "law-000" }, "item law-000 is defined twice"},
		{"unknown language", func(d *Definition) { d.Languages = append(d.Languages, "de") }, `bank: language "de" is not one of bs, hr, sr-Latn, sr-Cyrl, sq, en`},
		{"public count", func(d *Definition) { d.Parts[0].Count, d.Parts[0].Draw.Quota["law"] = 20, 6 }, "part public must have 21 items worth 1 point each, passed with 11"},
		{"quota too large", func(d *Definition) { d.Parts[0].Draw.Quota = map[string]int{"law": 9, "procedure": 6, "ethics": 6} }, `part public draws 9 items from topic "law", but its pool has only 8`},
		{"written sum", func(d *Definition) { d.Items[len(d.Items)-1].MaxPoints = 50 }, "part written has tasks worth 90 points in all; they must add up to 100, passed with 75"},
		{"choice count", func(d *Definition) { d.Parts[1].Items = d.Parts[1].Items[:9]; d.Parts[1].Count = 9 }, "part choice has 9 items; a professional multiple-choice test has 10 or 20"},
		{"wrong item kind", func(d *Definition) { d.Parts[2].Items[0] = "law-000" }, "part written is a professional-written part but item law-000 is a choice item"},
		{"unknown position", func(d *Definition) { d.Parts[1].Positions = []string{"X-9"} }, `part choice names position "X-9", which the bank does not list`},
		{"unknown image", func(d *Definition) { d.Items[0].Image = "images/nothing.png" }, `item law-000 refers to image "images/nothing.png", which the bank does not carry`},
		{"validity", func(d *Definition) { d.ValidUntil = d.ValidFrom }, "bank: valid_until must be after valid_from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := newTestDefinition(8)
			tt.change(def)
			_, err := Build(def, BuildOptions{Signer: signer, WorkFactor: 1, Now: testNow})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	signer, trust := newTestSigner(t)
	otherSigner, otherTrust := newTestSigner(t)
	built := fastBuild(t, newTestDefinition(8), signer)
	byOther := fastBuild(t, newTestDefinition(8), otherSigner)

	tests := []struct {
		name  string
		file  []byte
		trust *sshsig.Trust
		at    time.Time
		want  error
	}{
		{"signed by another key", byOther.Bank, trust, testNow, ErrUntrusted},
		{"trusting only another key", built.Bank, otherTrust, testNow, ErrUntrusted},
		{"expired", built.Bank, trust, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), ErrExpired},
		{"not yet valid", built.Bank, trust, time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC), ErrNotYetValid},
		{"not a bank", []byte("hello"), trust, testNow, ErrMalformed},
		{"empty", nil, trust, testNow, ErrMalformed},
		{"an answer key", built.Answers, trust, testNow, ErrMalformed},
		{"truncated", built.Bank[:len(built.Bank)/2], trust, testNow, ErrMalformed},
		{"trailing data", append(slices.Clone(built.Bank), 0), trust, testNow, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Verify(tt.file, tt.trust, tt.at); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSwappedPayloadIsRefused(t *testing.T) {
	signer, trust := newTestSigner(t)
	a := fastBuild(t, newTestDefinition(8), signer)
	b := fastBuild(t, newTestDefinition(8), signer)
	pa, _ := readContainer(a.Bank, "bank", maxBankSize, bankManifestName, bankSignatureName, bankPayloadName)
	pb, _ := readContainer(b.Bank, "bank", maxBankSize, bankManifestName, bankSignatureName, bankPayloadName)
	mixed := writeContainer([]member{{Name: bankManifestName, Data: pa[0]}, {Name: bankSignatureName, Data: pa[1]}, {Name: bankPayloadName, Data: pb[2]}})
	if _, err := Verify(mixed, trust, testNow); !errors.Is(err, ErrPayloadDigest) {
		t.Fatalf("err = %v, want ErrPayloadDigest", err)
	}
}

func TestOpenStartCodes(t *testing.T) {
	signer, trust := newTestSigner(t)
	built := fastBuild(t, newTestDefinition(8), signer)
	v, err := Verify(built.Bank, trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	other := NewStartCode()
	for other == built.StartCode {
		other = NewStartCode()
	}
	if _, err := v.Open(other); !errors.Is(err, ErrWrongStartCode) {
		t.Fatalf("another valid code: err = %v, want ErrWrongStartCode", err)
	}
	typo := []byte(built.StartCode)
	typo[3] = map[bool]byte{true: '1', false: '2'}[typo[3] != '1']
	if _, err := v.Open(string(typo)); !errors.Is(err, ErrStartCodeCheck) {
		t.Fatalf("mistyped code %s: err = %v, want ErrStartCodeCheck", typo, err)
	}
}

// TestEverySingleByteChangeIsRefused changes each byte of a small bank in turn; verify or open
// must refuse every one.
func TestEverySingleByteChangeIsRefused(t *testing.T) {
	signer, trust := newTestSigner(t)
	def := newTestDefinition(7)
	def.Languages = []string{"en"}
	shrinkToLanguages(def)
	built := fastBuild(t, def, signer)
	positions := make([]int, len(built.Bank))
	for i := range positions {
		positions[i] = i
	}
	if testing.Short() {
		positions = rand.Perm(len(built.Bank))[:2000]
	}
	t.Logf("bank of %d bytes, changing %d positions", len(built.Bank), len(positions))
	assertEveryChangeRefused(t, built, trust, positions)
}

// TestSampledByteChangesOfLargeBankAreRefused does the same on a sample of a bank with images.
func TestSampledByteChangesOfLargeBankAreRefused(t *testing.T) {
	signer, trust := newTestSigner(t)
	def := newTestDefinition(40)
	for i := range 10 {
		img := testPNG(t, uint64(i), 64, 64)
		name, _ := ImageName(img)
		def.Images[name] = img
		def.Items[i].Image = name
	}
	built := fastBuild(t, def, signer)
	rng := rand.New(rand.NewPCG(1, 2))
	positions := make([]int, 3000)
	for i := range positions {
		positions[i] = rng.IntN(len(built.Bank))
	}
	t.Logf("bank of %d bytes, changing %d sampled positions", len(built.Bank), len(positions))
	assertEveryChangeRefused(t, built, trust, positions)
}

func assertEveryChangeRefused(t *testing.T, built *Built, trust *sshsig.Trust, positions []int) {
	t.Helper()
	tampered := slices.Clone(built.Bank)
	for _, i := range positions {
		for _, flip := range []byte{0x01} {
			tampered[i] ^= flip
			v, err := Verify(tampered, trust, testNow)
			if err == nil {
				_, err = v.Open(built.StartCode)
			}
			tampered[i] ^= flip
			if err == nil {
				t.Fatalf("changing byte %d (xor %#x) was not noticed", i, flip)
			}
		}
	}
}

// shrinkToLanguages drops the texts of languages the definition no longer has.
func shrinkToLanguages(def *Definition) {
	shrink := func(t Text) {
		for l := range t {
			if !slices.Contains(def.Languages, l) {
				delete(t, l)
			}
		}
	}
	shrink(def.Title)
	for _, p := range def.Positions {
		shrink(p.Department)
	}
	for _, p := range def.Parts {
		shrink(p.Title)
	}
	for _, it := range def.Items {
		shrink(it.Stem)
		shrink(it.Prompt)
		for _, o := range it.Options {
			shrink(o.Text)
		}
	}
}

func TestDrawIsReproducibleAndStratified(t *testing.T) {
	signer, trust := newTestSigner(t)
	built := fastBuild(t, newTestDefinition(15), signer)
	v, _ := Verify(built.Bank, trust, testNow)
	b, err := v.Open(built.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	first, err := b.Draw("public", []byte("candidate-1"))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := b.Draw("public", []byte("candidate-1"))
	if !slices.Equal(first, again) {
		t.Fatalf("two draws with one seed differ:\n%v\n%v", first, again)
	}
	seen := map[string]int{}
	distinct := map[string]bool{}
	for c := range 200 {
		ids, err := b.Draw("public", fmt.Appendf(nil, "candidate-%d", c))
		if err != nil {
			t.Fatal(err)
		}
		perTopic := map[string]int{}
		for _, id := range ids {
			it, _ := b.Item(id)
			perTopic[it.Topic]++
			seen[id]++
		}
		if len(ids) != 21 || perTopic["law"] != 7 || perTopic["procedure"] != 7 || perTopic["ethics"] != 7 {
			t.Fatalf("draw %d: %d items, per topic %v", c, len(ids), perTopic)
		}
		distinct[strings.Join(ids, ",")] = true
	}
	if len(distinct) < 195 || len(seen) != 45 {
		t.Fatalf("%d distinct draws of 200, %d items ever drawn of 45", len(distinct), len(seen))
	}
	listed, _ := b.Draw("written", []byte("anyone"))
	if !slices.Equal(listed, []string{"task-1", "task-2"}) {
		t.Fatalf("listed part drew %v", listed)
	}
	if _, err := b.Draw("nope", nil); err == nil {
		t.Fatal("drawing an unknown part succeeded")
	}
}

// TestDrawVector pins the draw algorithm: a change to it would give candidates of a running
// exam other questions after a restart.
func TestDrawVector(t *testing.T) {
	r := NewSeededRand("ispit-draw-v1", "public", []byte("seed"))
	got := []int{r.IntN(10), r.IntN(10), r.IntN(1000), r.IntN(7), r.IntN(1 << 40)}
	want := []int{testDrawVector[0], testDrawVector[1], testDrawVector[2], testDrawVector[3], testDrawVector[4]}
	if !slices.Equal(got, want) {
		t.Fatalf("seeded sequence = %v, want %v", got, want)
	}
}

var testDrawVector = []int{0, 6, 564, 1, 999373589314}
