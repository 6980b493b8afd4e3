package scorer_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"ispit/exam"
	"ispit/scorer"
)

// checkpointRecord is the record of checkpoint seq of attempt id from terminal.
func checkpointRecord(id, terminal string, seq int64, received time.Time) *scorer.AttemptRecord {
	return &scorer.AttemptRecord{AttemptID: id, Terminal: terminal, Candidate: "C-" + id, Part: "public", Session: "s-1", BankID: "b",
		Seq: seq, State: exam.StateRunning, Answered: int(seq), Items: 21, UsedMS: seq * 1000, AllowanceMS: 1_800_000,
		MadeAt: received, ReceivedAt: received, Checkpoint: []byte(fmt.Sprintf(`{"seq":%d}`, seq)), Signature: []byte("sig")}
}

// putCheckpoint stores one checkpoint and returns its outcome.
func putCheckpoint(t *testing.T, s scorer.Store, r *scorer.AttemptRecord) scorer.CheckpointResult {
	t.Helper()
	res := s.PutCheckpoints(context.Background(), []*scorer.AttemptRecord{r})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	return res[0]
}

func testAttempts(t *testing.T, open opener) {
	ctx := context.Background()
	s, reopen := open(t)
	at := storeNow
	for _, c := range []struct {
		name string
		r    *scorer.AttemptRecord
		want scorer.CheckpointOutcome
		seq  int64 // the sequence number kept afterwards
	}{
		{"the first", checkpointRecord("a1", "T-A", 3, at), scorer.CheckpointStored, 3},
		{"the same again", checkpointRecord("a1", "T-A", 3, at.Add(time.Second)), scorer.CheckpointStale, 3},
		{"an older one", checkpointRecord("a1", "T-A", 2, at.Add(2*time.Second)), scorer.CheckpointStale, 3},
		{"a newer one", checkpointRecord("a1", "T-A", 5, at.Add(3*time.Second)), scorer.CheckpointStored, 5},
		{"from another terminal", checkpointRecord("a1", "T-B", 9, at.Add(4*time.Second)), scorer.CheckpointMoved, 5},
	} {
		res := putCheckpoint(t, s, c.r)
		if res.Outcome != c.want || res.Kept == nil || res.Kept.Seq != c.seq {
			t.Fatalf("%s: outcome %v, kept %+v; want %v and seq %d", c.name, res.Outcome, res.Kept, c.want, c.seq)
		}
	}
	// One batch with two checkpoints of one attempt and one of another.
	batch := s.PutCheckpoints(ctx, []*scorer.AttemptRecord{checkpointRecord("a2", "T-B", 1, at), checkpointRecord("a2", "T-B", 2, at.Add(time.Second)), checkpointRecord("a1", "T-A", 6, at.Add(5*time.Second))})
	for i, want := range []scorer.CheckpointOutcome{scorer.CheckpointStored, scorer.CheckpointStored, scorer.CheckpointStored} {
		if batch[i].Err != nil || batch[i].Outcome != want {
			t.Fatalf("batch %d: %+v", i, batch[i])
		}
	}
	got, err := s.Attempt(ctx, "a1")
	if err != nil || got.Seq != 6 || string(got.Checkpoint) != `{"seq":6}` || string(got.Signature) != "sig" || got.Terminal != "T-A" || !got.ReceivedAt.Equal(at.Add(5*time.Second)) {
		t.Fatalf("a1: %+v %v", got, err)
	}
	if _, err := s.Attempt(ctx, "nope"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("an unknown attempt: %v", err)
	}
	if st, err := s.AttemptState(ctx, "a1"); err != nil || st.Seq != 6 || st.Terminal != "T-A" || st.Checkpoint != nil || !st.ReceivedAt.Equal(got.ReceivedAt) {
		t.Fatalf("a1's state: %+v %v", st, err)
	}
	if _, err := s.AttemptState(ctx, "nope"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("an unknown attempt's state: %v", err)
	}
	all, err := s.Attempts(ctx)
	if err != nil || len(all) != 2 || all[0].AttemptID != "a1" || all[1].AttemptID != "a2" || all[0].Checkpoint != nil || all[1].Seq != 2 {
		t.Fatalf("attempts: %+v %v", all, err)
	}
	of, err := s.AttemptsOf(ctx, "C-a2")
	if err != nil || len(of) != 1 || of[0].Seq != 2 || of[0].Checkpoint == nil {
		t.Fatalf("attempts of C-a2: %+v %v", of, err)
	}

	// Hand-over of a1 from T-A to T-C.
	audit := auditOf(scorer.AuditAttemptMoved)
	move := scorer.Move{AttemptID: "a1", From: "T-A", To: "T-C", Seq: 6, Nonce: "n1", At: at.Add(time.Minute)}
	if _, err := s.MoveAttempt(ctx, scorer.Move{AttemptID: "a1", From: "T-A", To: "T-C", Seq: 5, Nonce: "n0", At: at}, audit); !errors.Is(err, scorer.ErrConflict) {
		t.Fatalf("a move of an older checkpoint: %v", err)
	}
	moved, err := s.MoveAttempt(ctx, move, audit)
	if err != nil || moved.Terminal != "T-C" || moved.MovedFrom != "T-A" || !moved.MovedAt.Equal(move.At) || moved.Seq != 6 {
		t.Fatalf("move: %+v %v", moved, err)
	}
	if _, err := s.MoveAttempt(ctx, move, audit); !errors.Is(err, scorer.ErrReplayed) {
		t.Fatalf("the same request again: %v", err)
	}
	if _, err := s.MoveAttempt(ctx, scorer.Move{AttemptID: "zz", From: "T-A", To: "T-C", Seq: 1, Nonce: "n2", At: at}, audit); !errors.Is(err, scorer.ErrNotFound) {
		t.Fatalf("an unknown attempt: %v", err)
	}
	if res := putCheckpoint(t, s, checkpointRecord("a1", "T-A", 7, at.Add(2*time.Minute))); res.Outcome != scorer.CheckpointMoved || res.Kept.Terminal != "T-C" {
		t.Fatalf("the old terminal's next checkpoint: %+v", res)
	}
	if res := putCheckpoint(t, s, checkpointRecord("a1", "T-C", 7, at.Add(2*time.Minute))); res.Outcome != scorer.CheckpointStored || res.Kept.MovedFrom != "T-A" {
		t.Fatalf("the spare's first checkpoint: %+v", res)
	}

	// The secretary confirms a2 may move.
	if err := s.ConfirmMove(ctx, "a2", "tajnica", at.Add(time.Hour), auditOf(scorer.AuditMoveConfirmed)); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmMove(ctx, "zz", "tajnica", at, auditOf(scorer.AuditMoveConfirmed)); !errors.Is(err, scorer.ErrNotFound) {
		t.Fatalf("confirming an unknown attempt: %v", err)
	}
	if entries := checkChain(t, s, 2); entries[0].Action != scorer.AuditAttemptMoved || entries[1].Action != scorer.AuditMoveConfirmed {
		t.Errorf("audit: %+v", entries)
	}

	// All of it is there for a second scorer, which also races the first for a3.
	s2 := reopen()
	a2, err := s2.Attempt(ctx, "a2")
	if err != nil || a2.ConfirmedBy != "tajnica" || !a2.ConfirmedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("a2 in a second store: %+v %v", a2, err)
	}
	var wg sync.WaitGroup
	for i, st := range []scorer.Store{s, s2} {
		wg.Go(func() {
			for seq := int64(1 + i); seq <= 40; seq += 2 {
				if res := st.PutCheckpoints(ctx, []*scorer.AttemptRecord{checkpointRecord("a3", "T-D", seq, at)}); res[0].Err != nil {
					t.Error(res[0].Err)
				}
			}
		})
	}
	wg.Wait()
	if a3, err := s.Attempt(ctx, "a3"); err != nil || a3.Seq != 40 {
		t.Fatalf("a3 after two scorers: %+v %v", a3, err)
	}
}

// continuedRecord is checkpointRecord of a terminal that continued the attempt from another
// on its own, with the other's export checked (removable media).
func continuedRecord(id, terminal, from string, seq int64, received time.Time) *scorer.AttemptRecord {
	r := checkpointRecord(id, terminal, seq, received)
	r.ProvenFrom = from
	return r
}

// testAttemptTakenOver: a spare's checkpoint of an attempt it continued from the terminal the
// scorer has it on, numbered after the one kept, takes the attempt over, once; any other
// continuation is refused as moved.
func testAttemptTakenOver(t *testing.T, open opener) {
	ctx := context.Background()
	s, reopen := open(t)
	at := storeNow
	putCheckpoint(t, s, checkpointRecord("x1", "T-A", 4, at))
	for _, c := range []struct {
		name     string
		r        *scorer.AttemptRecord
		want     scorer.CheckpointOutcome
		terminal string // whose the attempt is afterwards
	}{
		{"continued from another terminal than the attempt's", continuedRecord("x1", "T-B", "T-Z", 9, at.Add(time.Second)), scorer.CheckpointMoved, "T-A"},
		{"continued from an older checkpoint than the one kept", continuedRecord("x1", "T-B", "T-A", 4, at.Add(time.Second)), scorer.CheckpointMoved, "T-A"},
		{"not saying it continued", checkpointRecord("x1", "T-B", 9, at.Add(time.Second)), scorer.CheckpointMoved, "T-A"},
		{"the spare's first checkpoint", continuedRecord("x1", "T-B", "T-A", 6, at.Add(2*time.Second)), scorer.CheckpointTakenOver, "T-B"},
		{"the spare's next one", continuedRecord("x1", "T-B", "T-A", 7, at.Add(3*time.Second)), scorer.CheckpointStored, "T-B"},
		{"the old terminal's", checkpointRecord("x1", "T-A", 8, at.Add(4*time.Second)), scorer.CheckpointMoved, "T-B"},
		{"a second spare with the same export", continuedRecord("x1", "T-C", "T-A", 9, at.Add(5*time.Second)), scorer.CheckpointMoved, "T-B"},
	} {
		res := putCheckpoint(t, s, c.r)
		if res.Outcome != c.want || res.Kept == nil || res.Kept.Terminal != c.terminal {
			t.Fatalf("%s: outcome %v, kept %+v; want %v on %s", c.name, res.Outcome, res.Kept, c.want, c.terminal)
		}
	}
	s = reopen()
	got, err := s.Attempt(ctx, "x1")
	if err != nil || got.Terminal != "T-B" || got.Seq != 7 || got.MovedFrom != "T-A" || !got.MovedAt.Equal(at.Add(2*time.Second)) {
		t.Fatalf("x1: %+v %v", got, err)
	}
	// The move is in the audit log, written with the checkpoint that made it, once.
	audit, err := s.Audit(ctx, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	var moves []scorer.AuditEntry
	for _, e := range audit {
		if e.Action == scorer.AuditAttemptMoved {
			moves = append(moves, e)
		}
	}
	if len(moves) != 1 || moves[0].Actor != "terminal:T-B" || moves[0].Detail["from"] != "T-A" || moves[0].Detail["seq"] != "6" ||
		moves[0].Detail["without_handover"] != "true" || !moves[0].At.Equal(at.Add(2*time.Second)) {
		t.Fatalf("the audit log's moves: %+v", moves)
	}
	// A submitted attempt is not taken over.
	done := checkpointRecord("x2", "T-A", 3, at)
	done.State = exam.StateSubmitted
	putCheckpoint(t, s, done)
	if res := putCheckpoint(t, s, continuedRecord("x2", "T-B", "T-A", 5, at.Add(time.Second))); res.Outcome != scorer.CheckpointMoved {
		t.Fatalf("taking over a submitted attempt: %+v", res)
	}
}
