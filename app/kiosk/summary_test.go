package kiosk

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/internal/sshsig"
)

func TestSummarizeDemoBank(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	entry, err := k.LoadBank(f.bankFile)
	if err != nil {
		t.Fatal(err)
	}
	s := SummarizeBank(entry.Manifest)
	if s.Questions != 59 || s.Tasks != 2 || s.Images != entry.Manifest.Payload.Images {
		t.Errorf("%d questions, %d tasks, %d images", s.Questions, s.Tasks, s.Images)
	}
	if s.Questions+s.Tasks != entry.Manifest.Payload.Items {
		t.Errorf("the parts use %d items, the payload has %d", s.Questions+s.Tasks, entry.Manifest.Payload.Items)
	}
	positions := []string{"DEMO-12/2026", "DEMO-14/2026"}
	want := []PartSummary{
		{ID: "public", Kind: bank.PartPublic, Count: 21, Pool: 45, Drawn: true, Minutes: 30, PassMark: 11, MaxPoints: 21},
		{ID: "professional-choice", Kind: bank.PartProfessionalChoice, Count: 10, Pool: 14, Drawn: true, Minutes: 45, PassMark: 70, MaxPoints: 100, Positions: positions},
		{ID: "professional-written", Kind: bank.PartProfessionalWritten, Written: true, Count: 2, Pool: 2, Minutes: 120, PassMark: 75, MaxPoints: 100, Positions: positions},
	}
	if len(s.Parts) != len(want) {
		t.Fatalf("%d parts", len(s.Parts))
	}
	for i, p := range s.Parts {
		if p.Title["en"] == "" {
			t.Errorf("part %s has no English title", p.ID)
		}
		p.Title = nil
		if !reflect.DeepEqual(p, want[i]) {
			t.Errorf("part %d:\n got %+v\nwant %+v", i, p, want[i])
		}
	}
}

func TestSummarizeCountsSharedItemsOnce(t *testing.T) {
	m := &bank.Manifest{Payload: bank.PayloadInfo{Images: 3}, Parts: []bank.Part{
		{ID: "a", Kind: bank.PartPublic, Count: 2, DurationSeconds: 61, Positions: []string{"*"}, Draw: &bank.Draw{Pool: []string{"q1", "q2", "q3"}}},
		{ID: "b", Kind: bank.PartProfessionalChoice, Count: 2, DurationSeconds: 60, Positions: []string{"P-1"}, Items: []string{"q3", "q4"}},
		{ID: "c", Kind: bank.PartProfessionalWritten, Count: 1, Positions: []string{"P-1"}, Items: []string{"w1"}},
	}}
	s := SummarizeBank(m)
	if s.Questions != 4 || s.Tasks != 1 || s.Images != 3 {
		t.Errorf("%+v", s)
	}
	if p := s.Parts[0]; p.Minutes != 2 || !p.Drawn || p.Pool != 3 || p.Positions != nil {
		t.Errorf("part a: %+v", p)
	}
	if p := s.Parts[1]; p.Minutes != 1 || p.Drawn || p.Pool != 2 || !reflect.DeepEqual(p.Positions, []string{"P-1"}) {
		t.Errorf("part b: %+v", p)
	}
	m.Parts[1].Positions[0] = "changed"
	if s.Parts[1].Positions[0] != "P-1" {
		t.Error("the summary shares the manifest's slice")
	}
}

func TestSummarizeRoster(t *testing.T) {
	r := &bank.Roster{Signer: "authority", Candidates: []bank.Candidate{
		{Code: "A", Position: "P-2"}, {Code: "B", Position: "P-1"}, {Code: "C", Position: "P-2"},
	}}
	got := SummarizeRoster(r)
	want := RosterSummary{Candidates: 3, Signer: "authority", Positions: []PositionCount{{"P-1", 1}, {"P-2", 2}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestRosterInfo(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if _, err := k.RosterInfo(); !errors.Is(err, ErrNoRoster) {
		t.Fatalf("before loading: %v", err)
	}
	if _, err := k.LoadRoster(f.rosterFile); err != nil {
		t.Fatal(err)
	}
	s, err := k.RosterInfo()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := os.ReadFile(f.trustFile)
	key, _, _, _, err := ssh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if s.Candidates == 0 || len(s.Positions) == 0 || s.Signer != "" || s.SignerKey != sshsig.Fingerprint(key) {
		t.Errorf("%+v", s)
	}
	r, _ := k.Roster()
	if s.Candidates != len(r.Candidates) {
		t.Errorf("%d candidates, the roster has %d", s.Candidates, len(r.Candidates))
	}
}
