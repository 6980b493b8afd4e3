package scorer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"ispit/bank"
	"ispit/scorer"
)

// The commission's side of a Store, checked against any implementation: TestSQLiteStore runs
// it on SQLite; a PostgreSQL store runs the same function.

func openSQLite(t *testing.T) scorer.Store {
	t.Helper()
	s, err := scorer.OpenSQLite(filepath.Join(t.TempDir(), "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteStore(t *testing.T) { testCommissionStore(t, openSQLite) }

func testCommissionStore(t *testing.T, open func(*testing.T) scorer.Store) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	audit := func(action scorer.AuditAction) scorer.AuditEntry {
		return scorer.Audit("tajnica", action, "x", now, map[string]string{"k": "v"})
	}

	t.Run("accounts and sessions", func(t *testing.T) {
		s := open(t)
		u := scorer.User{Name: "ana", FullName: "Ana Anić", Roles: []scorer.Role{scorer.RoleGrader, scorer.RoleInterviewer}, Password: "h1", MustChange: true, Created: now}
		if err := s.AddUser(ctx, u, audit(scorer.AuditUserAdded)); err != nil {
			t.Fatal(err)
		}
		if err := s.AddUser(ctx, u, audit(scorer.AuditUserAdded)); !errors.Is(err, scorer.ErrConflict) {
			t.Errorf("the same name again: %v", err)
		}
		got, err := s.User(ctx, "ana")
		if err != nil || got.FullName != "Ana Anić" || len(got.Roles) != 2 || !got.MustChange || !got.Created.Equal(now) {
			t.Fatalf("%+v %v", got, err)
		}
		if _, err := s.User(ctx, "nobody"); !errors.Is(err, scorer.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
		se, token := scorer.NewSession("ana", now)
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Session(ctx, scorer.HashToken(token)); err != nil || got.User != "ana" || got.CSRF != se.CSRF {
			t.Fatalf("session %+v %v", got, err)
		}
		if err := s.TouchSession(ctx, se.TokenHash, now.Add(time.Minute), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Session(ctx, se.TokenHash); !got.Expires.Equal(now.Add(time.Hour)) {
			t.Errorf("touched: %v", got.Expires)
		}
		u.Password, u.MustChange = "h2", false
		if err := s.UpdateUser(ctx, u, audit(scorer.AuditPasswordChanged)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, se.TokenHash); !errors.Is(err, scorer.ErrNotFound) {
			t.Errorf("a new password leaves the old sessions: %v", err)
		}
		if err := s.UpdateUser(ctx, scorer.User{Name: "nobody"}, audit(scorer.AuditUserDisabled)); !errors.Is(err, scorer.ErrNotFound) {
			t.Errorf("updating an unknown user: %v", err)
		}
		st, err := s.CountSignIn(ctx, "ana", now)
		if err != nil || st.Failures != 1 {
			t.Fatalf("%+v %v", st, err)
		}
		if st, _ = s.CountSignIn(ctx, "ana", now); st.Failures != 2 {
			t.Errorf("second try counted %d", st.Failures)
		}
		if err := s.SetSignInState(ctx, "ana", scorer.SignInState{Failures: 2, LockedUntil: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if st, _ = s.CountSignIn(ctx, "ana", now); st.Failures != 2 || !st.LockedUntil.Equal(now.Add(time.Minute)) {
			t.Errorf("a locked name is counted: %+v", st)
		}
		if st, _ = s.CountSignIn(ctx, "ana", now.Add(2*time.Minute)); st.Failures != 3 {
			t.Errorf("after the lock-out: %+v", st)
		}
	})

	t.Run("audit log", func(t *testing.T) {
		s := open(t)
		for _, a := range []scorer.AuditAction{scorer.AuditSignIn, scorer.AuditGrade, scorer.AuditSignOut} {
			if err := s.AppendAudit(ctx, audit(a)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AppendAudit(ctx, scorer.AuditEntry{Action: scorer.AuditGrade}); err == nil {
			t.Error("an entry naming nobody")
		}
		entries, err := s.Audit(ctx, 0, 10)
		if err != nil || len(entries) != 3 || entries[0].Seq != 3 || entries[0].Detail["k"] != "v" {
			t.Fatalf("%+v %v", entries, err)
		}
		chain := []scorer.AuditEntry{entries[2], entries[1], entries[0]}
		if broken := scorer.VerifyAuditChain(chain); broken != 0 {
			t.Errorf("the chain breaks at %d", broken)
		}
		chain[1].Detail = map[string]string{"k": "edited"}
		if broken := scorer.VerifyAuditChain(chain); broken != 2 {
			t.Errorf("an edited entry: the chain breaks at %d", broken)
		}
		if broken := scorer.VerifyAuditChain([]scorer.AuditEntry{entries[2], entries[0]}); broken != 3 {
			t.Errorf("a removed entry: the chain breaks at %d", broken)
		}
		if page, _ := s.Audit(ctx, 3, 1); len(page) != 1 || page[0].Seq != 2 {
			t.Errorf("the page before 3: %+v", page)
		}
	})

	t.Run("appeals, publications, rules, secrets", func(t *testing.T) {
		s := open(t)
		putSheet(t, s, "sheet-1")
		id, err := s.AddAppeal(ctx, scorer.AppealRecord{ReceiptCode: "ABCD-EFGH-JKM", SheetID: "sheet-1", Lodged: now, LodgedBy: "tajnica", Grounds: "g"}, audit(scorer.AuditAppealLodged))
		if err != nil || id != 1 {
			t.Fatal(id, err)
		}
		d := scorer.AppealDecision{Status: scorer.AppealRejected, Reasons: "r", By: "tajnica", At: now}
		if err := s.DecideAppeal(ctx, id, d, audit(scorer.AuditAppealDecided)); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideAppeal(ctx, id, d, audit(scorer.AuditAppealDecided)); !errors.Is(err, scorer.ErrConflict) {
			t.Errorf("deciding twice: %v", err)
		}
		if err := s.DecideAppeal(ctx, 9, d, audit(scorer.AuditAppealDecided)); !errors.Is(err, scorer.ErrNotFound) {
			t.Errorf("deciding an unknown appeal: %v", err)
		}
		appeals, _ := s.Appeals(ctx)
		if len(appeals) != 1 || appeals[0].Status != scorer.AppealRejected || !appeals[0].Decided.Equal(now) {
			t.Errorf("%+v", appeals)
		}
		if entries, _ := s.Audit(ctx, 0, 10); len(entries) != 2 {
			t.Errorf("a refused decision was logged: %d entries", len(entries))
		}

		rev, _ := s.Revision(ctx)
		if err := s.SetPublication(ctx, scorer.Publication{Position: "P-1", Published: true, At: now, By: "tajnica"}, audit(scorer.AuditPublished)); err != nil {
			t.Fatal(err)
		}
		if pubs, _ := s.Publications(ctx); len(pubs) != 1 || pubs[0].Position != "P-1" {
			t.Errorf("%+v", pubs)
		}
		if err := s.SetPublication(ctx, scorer.Publication{Position: "P-1"}, audit(scorer.AuditWithdrawn)); err != nil {
			t.Fatal(err)
		}
		if pubs, _ := s.Publications(ctx); len(pubs) != 0 {
			t.Errorf("withdrawn: %+v", pubs)
		}
		if rev2, _ := s.Revision(ctx); rev2.Commission != rev.Commission+2 || rev2.LastSheet != rev.LastSheet {
			t.Errorf("revision %+v → %+v", rev, rev2)
		}

		if r, err := s.Rules(ctx); err != nil || r != (scorer.Rules{}) {
			t.Errorf("default rules %+v %v", r, err)
		}
		want := scorer.Rules{MinGraders: 2, Disagreement: 10, ListSize: 3}
		if err := s.PutRules(ctx, want, audit(scorer.AuditRules)); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Rules(ctx); r != want {
			t.Errorf("rules %+v", r)
		}
		a, err := s.Secret(ctx, "x", 32)
		if err != nil || len(a) != 32 {
			t.Fatal(err)
		}
		if b, _ := s.Secret(ctx, "x", 32); string(a) != string(b) {
			t.Error("the secret changed")
		}
		if c, _ := s.Secret(ctx, "y", 32); string(a) == string(c) {
			t.Error("two secrets are the same")
		}
	})

	t.Run("grades, resolutions, interviews", func(t *testing.T) {
		s := open(t)
		putSheet(t, s, "sheet-1")
		g := scorer.Grade{SheetID: "sheet-1", ItemID: "w-1", Grader: "ana", Points: 20, Comment: "prvi", At: now}
		if err := s.PutGrade(ctx, g, audit(scorer.AuditGrade)); err != nil {
			t.Fatal(err)
		}
		g.Points, g.Comment = 25, "drugi"
		if err := s.PutGrade(ctx, g, audit(scorer.AuditGrade)); err != nil {
			t.Fatal(err)
		}
		if grades, _ := s.Grades(ctx); len(grades) != 1 || grades[0].Points != 25 || grades[0].Comment != "drugi" {
			t.Errorf("%+v", grades)
		}
		for i := range 2 {
			r := scorer.Resolution{SheetID: "sheet-1", ItemID: "w-1", Kind: scorer.ResolveFurtherGrader, Graders: 3 + i, By: "tajnica", At: now}
			if err := s.PutResolution(ctx, r, audit(scorer.AuditResolution)); err != nil {
				t.Fatal(err)
			}
		}
		if rs, _ := s.Resolutions(ctx); len(rs) != 2 || rs[0].Seq != 1 || rs[1].Graders != 4 {
			t.Errorf("%+v", rs)
		}
		iv := scorer.Interview{Candidate: "C-1", Position: "P-1", Points: 25, Competences: map[string]int{"a": 20, "b": 5}, Entered: now, By: "ana"}
		if err := s.PutInterview(ctx, iv, audit(scorer.AuditInterview)); err != nil {
			t.Fatal(err)
		}
		iv.By, iv.Competences, iv.Points = "dino", nil, 18
		if err := s.PutInterview(ctx, iv, audit(scorer.AuditInterview)); err != nil {
			t.Fatal(err)
		}
		ivs, _ := s.Interviews(ctx)
		if len(ivs) != 2 || ivs[0].Competences["a"] != 20 || ivs[1].Competences != nil {
			t.Errorf("%+v", ivs)
		}
	})

	t.Run("amendments, questions, rosters", func(t *testing.T) {
		s := open(t)
		am := scorer.StoredAmendment{BankID: "b", Sequence: 1, File: []byte("file"), SHA256: "d1", LoadedAt: now, LoadedBy: "ana",
			Effect: scorer.AmendmentEffect{Sheets: 3, Changes: []scorer.CandidateChange{{Code: "C-1", Before: scorer.Standing{Total: 1}, After: scorer.Standing{Total: 2}}}}}
		if err := s.PutAmendment(ctx, am, audit(scorer.AuditAmendment)); err != nil {
			t.Fatal(err)
		}
		if err := s.PutAmendment(ctx, am, audit(scorer.AuditAmendment)); err != nil {
			t.Errorf("the same again: %v", err)
		}
		other := am
		other.SHA256 = "d2"
		if err := s.PutAmendment(ctx, other, audit(scorer.AuditAmendment)); !errors.Is(err, scorer.ErrConflict) {
			t.Errorf("another amendment 1: %v", err)
		}
		if ams, _ := s.Amendments(ctx); len(ams) != 1 || ams[0].Effect.Changes[0].After.Total != 2 {
			t.Errorf("%+v", ams)
		}
		c := scorer.BankContent{BankID: "b", ManifestSHA256: "m1", Title: bank.Text{"bs": "Naslov"}, Languages: []string{"bs"},
			Items:  []bank.Item{{ID: "i-1", Kind: bank.ItemWritten, Prompt: bank.Text{"bs": "Zadatak"}, MaxPoints: 50}},
			Images: map[string][]byte{"images/a.png": []byte("png")}, LoadedAt: now}
		if err := s.PutBankContent(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.PutBankContent(ctx, c); err != nil {
			t.Errorf("the same bank again: %v", err)
		}
		c2 := c
		c2.ManifestSHA256 = "m2"
		if err := s.PutBankContent(ctx, c2); !errors.Is(err, scorer.ErrConflict) {
			t.Errorf("another build: %v", err)
		}
		got, err := s.BankContent(ctx, "b")
		if err != nil || len(got.Items) != 1 || string(got.Images["images/a.png"]) != "png" || got.Title["bs"] != "Naslov" {
			t.Fatalf("%+v %v", got, err)
		}
		if _, err := s.BankContent(ctx, "none"); !errors.Is(err, scorer.ErrNotFound) {
			t.Errorf("unknown bank: %v", err)
		}
		r := scorer.StoredRoster{SHA256: "r1", Candidates: []bank.Candidate{{Code: "C-1", Name: "Ana", Position: "P-1"}}, LoadedAt: now}
		for range 2 {
			if err := s.PutRoster(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if rs, _ := s.Rosters(ctx); len(rs) != 1 || rs[0].Candidates[0].Name != "Ana" {
			t.Errorf("%+v", rs)
		}
	})
}

// putSheet stores a sheet record the commission's rows can refer to.
func putSheet(t *testing.T, s scorer.Store, id string) {
	t.Helper()
	res := s.PutSheets(context.Background(), []*scorer.SheetRecord{{SheetID: id, Terminal: "T-1", Session: "s", BankID: "b",
		SealedSHA256: "x", Sealed: []byte("x"), Plain: []byte("{}"), ReceivedAt: time.Now(), Receipt: []byte("r"), ReceiptCode: "C"}})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
}
