package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"ispit/bank"
	"ispit/internal/sshsig"
)

// amendSetup builds the demo bank with a new authority key; it returns the folder, the key
// files, the answer key file and the key it holds.
func amendSetup(t *testing.T) (dir, key, pub, answers string, k *bank.AnswerKey) {
	t.Helper()
	dir = t.TempDir()
	if code, _, stderr := bankctl(t, "keygen", "--out", filepath.Join(dir, "keys")); code != 0 {
		t.Fatalf("keygen: %s", stderr)
	}
	key, pub = filepath.Join(dir, "keys", "authority.key"), filepath.Join(dir, "keys", "authority.pub")
	answers = filepath.Join(dir, "exam.answers")
	code, _, stderr := bankctl(t, "build", "--key", key, "--source", demoSource(t), "--out", filepath.Join(dir, "exam.bank"), "--answers", answers, "--work-factor", "10")
	if code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	data, err := os.ReadFile(answers)
	if err != nil {
		t.Fatal(err)
	}
	if k, err = bank.DecodeAnswerKey(data); err != nil {
		t.Fatal(err)
	}
	return dir, key, pub, answers, k
}

// otherOption returns an option of a multiple-choice item that is not its correct one.
func otherOption(t *testing.T, k *bank.AnswerKey, item string) string {
	it, ok := k.Item(item)
	if !ok {
		t.Fatalf("no item %s", item)
	}
	for _, o := range it.Options {
		if o != it.Correct {
			return o
		}
	}
	t.Fatalf("item %s has no other option", item)
	return ""
}

func TestAmend(t *testing.T) {
	dir, key, pub, answers, k := amendSetup(t)
	out := filepath.Join(dir, "fix-1.amend")
	accept := otherOption(t, k, "pro-mc-02")
	code, stdout, stderr := bankctl(t, "amend", "--key", key, "--answers", answers, "--sequence", "1",
		"--reason", "Odluka broj 01-5/2026 od 20. 6. 2026.", "--accept", "pro-mc-02="+accept, "--void", "pro-mc-01", "--out", out)
	if code != 0 {
		t.Fatalf("amend: %d %s", code, stderr)
	}
	want := "amendment 1 of bank demo-2026 (Odluka broj 01-5/2026 od 20. 6. 2026.): accept option " + accept + " of pro-mc-02, void pro-mc-01; wrote " + out + "\n"
	if stdout != want {
		t.Fatalf("amend said %q\nwant %q", stdout, want)
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("amendment file: %v, mode %v", err, info.Mode())
	}

	// It verifies with the authority's public key, and checks against its answer key.
	code, stdout, stderr = bankctl(t, "verify", "--trust", pub, out)
	if code != 0 || !strings.HasPrefix(stdout, "OK amendment 1 of bank demo-2026: accept option "+accept+" of pro-mc-02, void pro-mc-01, signed by a trusted key") {
		t.Fatalf("verify: %d %q %s", code, stdout, stderr)
	}
	data, _ := os.ReadFile(out)
	trust, err := sshsig.ParseTrust(mustRead(t, pub))
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := bank.ReadAmendment(data, trust, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(k); err != nil {
		t.Fatal(err)
	}
	changes := []bank.AmendmentChange{{Item: "pro-mc-02", Action: bank.AmendAccept, Option: accept}, {Item: "pro-mc-01", Action: bank.AmendVoid}}
	if a.BankID != "demo-2026" || a.ManifestSHA256 != k.ManifestSHA256 || a.Sequence != 1 || !reflect.DeepEqual(a.Changes, changes) ||
		time.Since(a.IssuedAt) > time.Minute || a.IssuedAt.Location() != time.UTC {
		t.Fatalf("amendment is %+v", a)
	}

	// inspect prints its JSON.
	code, stdout, _ = bankctl(t, "inspect", out)
	var printed bank.Amendment
	if code != 0 || json.Unmarshal([]byte(stdout), &printed) != nil || !reflect.DeepEqual(&printed, a) || !strings.Contains(stdout, `"format": "ispit-amendment/1"`) {
		t.Fatalf("inspect: %d %s", code, stdout)
	}

	// The answer key the amendment corrects is of format 2, with the demo's competences.
	if code, stdout, _ := bankctl(t, "verify", "--trust", pub, answers); code != 0 || !strings.Contains(stdout, "(ispit-answers/2)") {
		t.Fatalf("verify answers: %s", stdout)
	}
	if p, _ := k.Position("DEMO-12/2026"); len(p.Competences) != 4 {
		t.Fatalf("DEMO-12/2026 in the key: %+v", p)
	}
	code, stdout, _ = bankctl(t, "inspect", filepath.Join(dir, "exam.bank"))
	if code != 0 || strings.Contains(stdout, "competences") || strings.Contains(stdout, "model_answer") {
		t.Fatalf("the manifest shows what only the answer key may carry: %s", stdout)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAmendFailures(t *testing.T) {
	dir, key, pub, answers, k := amendSetup(t)
	bankctl(t, "keygen", "--out", filepath.Join(dir, "other"))
	otherKey, otherPub := filepath.Join(dir, "other", "authority.key"), filepath.Join(dir, "other", "authority.pub")
	existing := filepath.Join(dir, "existing.amend")
	if code, _, stderr := bankctl(t, "amend", "--key", key, "--answers", answers, "--sequence", "1", "--reason", "r", "--void", "pro-mc-03", "--out", existing); code != 0 {
		t.Fatal(stderr)
	}
	tampered := filepath.Join(dir, "tampered.amend")
	original := mustRead(t, existing)
	data := slices.Clone(original)
	data[600] ^= 1 // in amendment.json
	os.WriteFile(tampered, data, 0o644)
	correct := func(item string) string { it, _ := k.Item(item); return it.Correct }
	out := filepath.Join(dir, "new.amend")
	amend := func(extra ...string) []string {
		return append([]string{"amend", "--key", key, "--answers", answers, "--sequence", "2", "--reason", "Odluka 7/2026", "--out", out}, extra...)
	}

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing flags", []string{"amend", "--key", key, "--void", "pro-mc-01"}, 2, "missing --answers, --out, --reason, --sequence"},
		{"sequence 0", amend("--sequence", "0", "--void", "pro-mc-01"), 2, "missing --sequence"},
		{"no changes", amend(), 2, "give at least one --void ITEM or --accept ITEM=OPTION"},
		{"accept without an option", amend("--accept", "pro-mc-01"), 2, "invalid value \"pro-mc-01\" for flag -accept: write it as ITEM=OPTION"},
		{"accept of no item", amend("--accept", "=b"), 2, "write it as ITEM=OPTION"},
		{"void of no item", amend("--void", " "), 2, "name the item"},
		{"not a number", amend("--sequence", "two", "--void", "pro-mc-01"), 2, `invalid value "two" for flag -sequence`},
		{"output exists", amend("--out", existing, "--void", "pro-mc-01"), 1, "existing.amend already exists; an amendment is never overwritten"},
		{"another authority's key", amend("--key", otherKey, "--void", "pro-mc-01"), 1, "exam.answers was not signed by the key SHA256:"},
		{"not an answer key", amend("--answers", existing, "--void", "pro-mc-01"), 1, "malformed"},
		{"answer key missing", amend("--answers", filepath.Join(dir, "nope.answers"), "--void", "pro-mc-01"), 1, "no such file or directory"},
		{"the correct option accepted", amend("--accept", "pro-mc-01="+correct("pro-mc-01")), 1,
			"amendment does not match the answer key: option " + correct("pro-mc-01") + " is already the correct option of item pro-mc-01"},
		{"an option the item lacks", amend("--accept", "pro-mc-01=f"), 1, `item pro-mc-01 has no option "f"`},
		{"a written task", amend("--void", "pro-wr-01"), 1, "item pro-wr-01 is a written item"},
		{"an unknown item", amend("--void", "pro-mc-99"), 1, "item pro-mc-99 is not in the key"},
		{"an item twice", amend("--void", "pro-mc-01", "--accept", "pro-mc-01=a"), 1, "item pro-mc-01 is changed twice"},
		{"negative sequence", amend("--sequence", "-1", "--void", "pro-mc-01"), 1, "sequence is -1; a bank's amendments are numbered from 1"},
		{"reason on two lines", amend("--reason", "Odluka\n7/2026", "--void", "pro-mc-01"), 1, "its reason has a line break"},
		{"reason too long", amend("--reason", strings.Repeat("x", 501), "--void", "pro-mc-01"), 1, "its reason is longer than 500 characters"},
		{"verify untrusted", []string{"verify", "--trust", otherPub, existing}, 1, "signed by a key that is not trusted"},
		{"verify tampered", []string{"verify", "--trust", pub, tampered}, 1, "bankctl verify: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := bankctl(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
				t.Fatalf("failure is not one line: %q", stderr)
			}
			if stdout != "" {
				t.Fatalf("a failure printed %q", stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("a failed amend left its output file")
			}
		})
	}
	// The file that existed is as it was.
	if got := mustRead(t, existing); !bytes.Equal(got, original) {
		t.Fatal("amend changed an existing file")
	}
}
