package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"ispit/exam"
	"ispit/scorer"
)

// putAttempt stores the checkpoint of an attempt in progress, received at, in a session of the
// terminal's started the same minute as the others (UUIDv7 ids alike but for their random end).
func (w *world) putAttempt(id, terminal, candidate string, state exam.State, at time.Time) {
	w.t.Helper()
	session := "0193a1b2-7c3d-7e4f-8a5b-1c2d3e4f5a" + strings.TrimPrefix(terminal, "T-")
	res := w.store.PutCheckpoints(context.Background(), []*scorer.AttemptRecord{{AttemptID: id, Terminal: terminal, Candidate: candidate,
		Part: "public", Session: session, BankID: "demo-2026", Seq: 1, State: state, Answered: 7, Items: 21, UsedMS: 300_000,
		AllowanceMS: 1_800_000, MadeAt: at, ReceivedAt: at, Checkpoint: []byte("{}"), Signature: []byte("sig")}})
	if res[0].Err != nil {
		w.t.Fatal(res[0].Err)
	}
}

func TestExamDayShowsAttemptsLiveAndLetsThemMove(t *testing.T) {
	w := newWorld(t)
	now := w.clock.Now()
	w.putAttempt("att-1", "T-11", "DEMO-0101", exam.StateRunning, now.Add(-2*time.Second))
	w.putAttempt("att-2", "T-12", "DEMO-0102", exam.StateRunning, now.Add(-95*time.Second))
	w.putAttempt("att-3", "T-13", "DEMO-0101", exam.StatePaused, now.Add(-time.Second)) // DEMO-0101 on two terminals
	sec := w.signIn("tajnica")
	for lang, want := range map[string][]string{
		"en": {"3 attempts in progress", "1 silent", "signed in also on T-13", "silent for 95 seconds", "7 of 21", "24:58", "Allow the move",
			`title="0193a1b2-7c3d-7e4f-8a5b-1c2d3e4f5a11">…3e4f5a11<`, `>…3e4f5a12<`},
		"sr-Cyrl": {"3 рада у току", "не јавља се 95 секунди", "7 од 21", "пријављен и на T-11"},
		"sq":      {"3 punime në vazhdim", "nuk përgjigjet prej 95 sekondash", "7 nga 21"},
	} {
		sec.lang = lang
		p := sec.get("/day")
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d", lang, p.status)
		}
		for _, s := range want {
			if !strings.Contains(p.body, s) {
				t.Errorf("%s: the exam day does not say %q", lang, s)
			}
		}
	}
	// The secretary lets att-2 move at once; the audit log and the page say so.
	sec.lang = "en"
	if p := sec.post("/day/attempts/att-2/allow-move", "/day", nil); p.status != http.StatusSeeOther {
		t.Fatalf("allow: %d %.300s", p.status, p.body)
	}
	rec, err := w.store.Attempt(context.Background(), "att-2")
	if err != nil || rec.ConfirmedBy != "tajnica" {
		t.Fatalf("%+v %v", rec, err)
	}
	if p := sec.get("/day"); !strings.Contains(p.body, "move allowed by tajnica") || strings.Count(p.body, "allow-move") != 2 {
		t.Errorf("after allowing: %d forms", strings.Count(p.body, "allow-move"))
	}
	audit, _ := w.store.Audit(context.Background(), 0, 1)
	if audit[0].Action != scorer.AuditMoveConfirmed || audit[0].Detail["attempt"] != "att-2" {
		t.Errorf("audit %+v", audit[0])
	}
	// No token, no change; an unknown attempt is 404; a grader may not.
	if p := sec.do(http.MethodPost, "/day/attempts/att-1/allow-move", nil); p.status == http.StatusSeeOther {
		t.Error("allowed without a CSRF token")
	}
	if p := sec.post("/day/attempts/nope/allow-move", "/day", nil); p.status != http.StatusNotFound {
		t.Errorf("an unknown attempt: %d", p.status)
	}
	grader := w.signIn("boris")
	if p := grader.do(http.MethodPost, "/day/attempts/att-1/allow-move", nil); p.status == http.StatusSeeOther {
		t.Error("a grader allowed a move")
	}
	if rec, _ := w.store.Attempt(context.Background(), "att-1"); rec.ConfirmedBy != "" {
		t.Errorf("att-1 confirmed by %q", rec.ConfirmedBy)
	}
}
