package exam

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResumeFromSnapshot(t *testing.T) {
	e, s, clock, dir := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0001")
	for i := range 1234 {
		v, _ := a.Item(i % a.Len())
		if err := a.Choose(v.Item.ID, v.Options[i%len(v.Options)].ID); err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			a.Flag(v.Item.ID, i%2 == 0)
		}
	}
	a.Visit(4)
	clock.Advance(3 * time.Minute)
	want := a.Navigator()
	wantItem, _ := a.Item(3)
	seq := a.lastSeq()
	e.Close()

	e2 := openTestEngine(t, dir, clock)
	s2, err := e2.ResumeSession(s.Info.ID, s.Bank, s.Roster)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s2.Attempt(a.ID())
	if r.baseSeq == 0 || r.baseSeq%snapshotEvery != 0 || r.lastSeq() != seq {
		t.Fatalf("resumed from event %d of %d", r.baseSeq, r.lastSeq())
	}
	got := r.Navigator()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("navigator %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if v, _ := r.Item(3); v.Chosen != wantItem.Chosen || r.Current() != 4 || r.Used() != 3*time.Minute {
		t.Fatalf("item 3 %q (want %q), current %d, used %s", v.Chosen, wantItem.Chosen, r.Current(), r.Used())
	}
	sheet, err := r.Submit()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sheet), `"kind":"choose"`); n != 1234 {
		t.Fatalf("the sheet has %d choose events, want 1234", n)
	}
	e2.Close()

	// A snapshot altered in the file is refused.
	db, err := sql.Open("sqlite", filepath.Join(dir, "exam.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`INSERT INTO snapshots (attempt_id, seq, state, mac) SELECT attempt_id, seq + 1, replace(state, '"current":4', '"current":5'), mac FROM snapshots`)
	db.Close()
	e3 := openTestEngine(t, dir, clock)
	defer e3.Close()
	if _, err := e3.ResumeSession(s.Info.ID, s.Bank, s.Roster); !errors.Is(err, ErrTampered) {
		t.Fatalf("altered snapshot: %v", err)
	}
}
