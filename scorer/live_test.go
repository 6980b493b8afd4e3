package scorer

import (
	"slices"
	"testing"
	"time"

	"ispit/exam"
)

func TestLive(t *testing.T) {
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	rec := func(id, terminal, candidate string, state exam.State, seen time.Duration) *AttemptRecord {
		return &AttemptRecord{AttemptID: id, Terminal: terminal, Candidate: candidate, Part: "public", Session: "s1", BankID: "b",
			State: state, Answered: 3, Items: 21, UsedMS: 600_000, AllowanceMS: 1_800_000, ReceivedAt: now.Add(-seen)}
	}
	moved := rec("a4", "T-09", "C4", exam.StatePaused, 2*time.Second)
	moved.MovedFrom, moved.ConfirmedBy = "T-04", "tajnica"
	attempts := []*AttemptRecord{
		rec("a1", "T-01", "C1", exam.StateRunning, 2*time.Second),
		rec("a2", "T-02", "C2", exam.StateRunning, 40*time.Second),
		rec("a3", "T-03", "C3", exam.StateRunning, 4*time.Second),
		moved,
		rec("a5", "T-05", "C1", exam.StatePaused, time.Second), // C1 signed in on a second terminal
	}
	sheet := func(id, terminal, candidate string) *BoardSheet {
		return &BoardSheet{Record: &SheetRecord{SheetID: id, Terminal: terminal, Session: "s1", BankID: "b", ReceivedAt: now.Add(-time.Minute)},
			Sheet: &exam.Sheet{SheetID: id, Terminal: terminal, Session: "s1", BankID: "b", Part: "public",
				Candidate: exam.SheetPerson{Code: candidate}, Items: []exam.SheetItem{{ID: "q1", Answer: "a"}, {ID: "q2"}}}}
	}
	sheets := []*BoardSheet{sheet("a3", "T-03", "C3"), sheet("a6", "T-06", "C6"), {Record: &SheetRecord{SheetID: "bad"}}}
	rows := Live(attempts, sheets, now)
	byID := map[string]LiveAttempt{}
	var order []string
	for _, r := range rows {
		byID[r.AttemptID] = r
		order = append(order, r.Terminal)
	}
	if !slices.IsSorted(order) || len(rows) != 6 {
		t.Fatalf("rows by terminal: %v", order)
	}
	for _, c := range []struct {
		id        string
		state     exam.State
		arrived   bool
		left      time.Duration
		silent    bool
		elsewhere []string
	}{
		{"a1", exam.StateRunning, false, 20*time.Minute - 2*time.Second, false, []string{"T-05"}},
		{"a2", exam.StateRunning, false, 20*time.Minute - 40*time.Second, true, nil},
		{"a3", exam.StateSubmitted, true, 0, false, nil},
		{"a4", exam.StatePaused, false, 20 * time.Minute, false, nil},
		{"a5", exam.StatePaused, false, 20 * time.Minute, false, []string{"T-01"}},
		{"a6", exam.StateSubmitted, true, 0, false, nil},
	} {
		r := byID[c.id]
		if r.State != c.state || r.SheetArrived != c.arrived || r.TimeLeft != c.left || (r.Silent > 0) != c.silent || !slices.Equal(r.Elsewhere, c.elsewhere) {
			t.Errorf("%s: %+v", c.id, r)
		}
	}
	if r := byID["a4"]; r.MovedFrom != "T-04" || r.ConfirmedBy != "tajnica" {
		t.Errorf("moved: %+v", r)
	}
	if r := byID["a6"]; r.Answered != 1 || r.Items != 2 || r.Candidate != "C6" {
		t.Errorf("a sheet without checkpoints: %+v", r)
	}
}
