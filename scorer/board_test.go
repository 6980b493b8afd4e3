package scorer_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ispit/internal/competition"
	"ispit/scorer"
)

// TestBoardKeepsUpWithChanges checks that the board's snapshot after a grade it stored itself
// (scored incrementally), after a grade stored by another process (read again) and after new
// sheets is what a board reading the store afresh sees.
func TestBoardKeepsUpWithChanges(t *testing.T) {
	ctx := context.Background()
	store := openSQLite(t)
	authority, _ := newSigner(t)
	syn, err := competition.Generate(ctx, store, authority, competition.Scale{Positions: 4, PerPosition: 5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	board := scorer.NewBoard(store, nil)
	same := func(what string) {
		t.Helper()
		got, err := board.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := scorer.NewBoard(store, nil).Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(got.Report())
		b, _ := json.Marshal(want.Report())
		if string(a) != string(b) || got.Revision != want.Revision || len(got.Tasks("ana")) != len(want.Tasks("ana")) {
			t.Fatalf("%s: the board differs from a fresh one", what)
		}
	}
	same("at the start")
	first, _ := board.Current(ctx)
	g := scorer.Grade{SheetID: syn.Written[0], ItemID: "w-1", Grader: "ana", Points: 3, At: time.Now()}
	if err := board.PutGrade(ctx, g, scorer.Audit("ana", scorer.AuditGrade, "x", time.Now(), nil)); err != nil {
		t.Fatal(err)
	}
	patched, _ := board.Current(ctx)
	if patched == first {
		t.Fatal("the grade did not make a new snapshot")
	}
	bs, _ := patched.SheetByID(syn.Written[0])
	if bs.Result.Items[0].Grades[0].Points != 3 {
		t.Fatalf("the grade is not scored: %+v", bs.Result.Items[0])
	}
	if first.Report() == patched.Report() {
		t.Fatal("the old snapshot's results were reused")
	}
	same("after a grade through the board")

	// Another process grades: the board reads everything again.
	other := scorer.Grade{SheetID: syn.Written[1], ItemID: "w-2", Grader: "boris", Points: 49, At: time.Now()}
	if err := store.PutGrade(ctx, other, scorer.Audit("boris", scorer.AuditGrade, "x", time.Now(), nil)); err != nil {
		t.Fatal(err)
	}
	g.Points = 4
	if err := board.PutGrade(ctx, g, scorer.Audit("ana", scorer.AuditGrade, "x", time.Now(), nil)); err != nil {
		t.Fatal(err)
	}
	same("after grades by the board and by another")
	sn, _ := board.Current(ctx)
	if bs, _ := sn.SheetByID(syn.Written[1]); bs.Result.Items[1].Grades[1].Points != 49 {
		t.Fatalf("the other process's grade is missing: %+v", bs.Result.Items[1].Grades)
	}

	// A sheet arrives: a candidate's public sheet again under another id.
	rec, err := store.Sheet(ctx, syn.Written[0])
	if err != nil {
		t.Fatal(err)
	}
	rec.Plain = []byte(strings.ReplaceAll(string(rec.Plain), rec.SheetID, "late-sheet"))
	rec.SheetID, rec.SealedSHA256, rec.Sealed = "late-sheet", "late", []byte{1}
	if res := store.PutSheets(ctx, []*scorer.SheetRecord{rec}); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	same("after a sheet arrived")
	if sn, _ := board.Current(ctx); len(sn.Sheets) != syn.Sheets+1 {
		t.Fatalf("%d sheets", len(sn.Sheets))
	}
	if err := store.PutRules(ctx, scorer.Rules{MinGraders: 2, Disagreement: 5, ListSize: 1}, scorer.Audit("t", scorer.AuditRules, "r", time.Now(), nil)); err != nil {
		t.Fatal(err)
	}
	same("after the rules changed")
}
