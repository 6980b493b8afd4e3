package scorer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"ispit/bank"
	"ispit/scorer"
)

// The commission's side of the store suite (store_test.go).

func testAccounts(t *testing.T, open opener) {
	ctx := context.Background()
	now := storeNow
	s, _ := open(t)
	u := scorer.User{Name: "ana", FullName: "Ana Anić", Roles: []scorer.Role{scorer.RoleGrader, scorer.RoleInterviewer}, Password: "h1", MustChange: true, Created: now}
	if err := s.AddUser(ctx, u, auditOf(scorer.AuditUserAdded)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, u, auditOf(scorer.AuditUserAdded)); !errors.Is(err, scorer.ErrConflict) {
		t.Errorf("the same name again: %v", err)
	}
	if err := s.AddUser(ctx, scorer.User{Name: "Boris", Roles: []scorer.Role{scorer.RoleSecretary}, Password: "h", Created: now}, auditOf(scorer.AuditUserAdded)); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, "ana")
	if err != nil || got.FullName != "Ana Anić" || !slices.Equal(got.Roles, u.Roles) || !got.MustChange || got.Disabled || got.Password != "h1" || !got.Created.Equal(now) {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := s.User(ctx, "nobody"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if users, err := s.Users(ctx); err != nil || len(users) != 2 || users[0].Name != "Boris" || users[1].Name != "ana" {
		t.Errorf("users by name %+v %v", users, err)
	}

	se, token := scorer.NewSession("ana", now)
	if err := s.CreateSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Session(ctx, scorer.HashToken(token)); err != nil || got.User != "ana" || got.CSRF != se.CSRF || !got.Created.Equal(se.Created) || !got.Expires.Equal(se.Expires) {
		t.Fatalf("session %+v %v", got, err)
	}
	if err := s.TouchSession(ctx, se.TokenHash, now.Add(time.Minute), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Session(ctx, se.TokenHash); !got.Seen.Equal(now.Add(time.Minute)) || !got.Expires.Equal(now.Add(time.Hour)) {
		t.Errorf("touched: %+v", got)
	}
	u.Password, u.MustChange = "h2", false
	if err := s.UpdateUser(ctx, u, auditOf(scorer.AuditPasswordChanged)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, se.TokenHash); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("a new password leaves the old sessions: %v", err)
	}
	if err := s.UpdateUser(ctx, scorer.User{Name: "nobody"}, auditOf(scorer.AuditUserDisabled)); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("updating an unknown user: %v", err)
	}

	// Sessions end when the account is disabled, when signed out, and when expired.
	kept, _ := scorer.NewSession("ana", now)
	if err := s.CreateSession(ctx, kept); err != nil {
		t.Fatal(err)
	}
	u.FullName = "Ana Anić-Marić"
	if err := s.UpdateUser(ctx, u, auditOf(scorer.AuditUserEnabled)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, kept.TokenHash); err != nil {
		t.Errorf("a change of name ends the sessions: %v", err)
	}
	u.Disabled = true
	if err := s.UpdateUser(ctx, u, auditOf(scorer.AuditUserDisabled)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, kept.TokenHash); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("disabling leaves the sessions: %v", err)
	}
	if got, _ := s.User(ctx, "ana"); !got.Disabled || got.FullName != "Ana Anić-Marić" {
		t.Errorf("updated %+v", got)
	}
	expired, _ := scorer.NewSession("Boris", time.Now().Add(-scorer.SessionMax-time.Hour))
	current, _ := scorer.NewSession("Boris", time.Now())
	leaving, _ := scorer.NewSession("Boris", time.Now())
	for _, se := range []scorer.Session{expired, current, leaving} {
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteSession(ctx, leaving.TokenHash); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		se    scorer.Session
		there bool
	}{{"signed out", leaving, false}, {"expired", expired, false}, {"current", current, true}} {
		if _, err := s.Session(ctx, c.se.TokenHash); (err == nil) != c.there || (err != nil && !errors.Is(err, scorer.ErrNotFound)) {
			t.Errorf("%s session after a sign-out: %v", c.name, err)
		}
	}

	// Sign-in tries.
	steps := []struct {
		name string
		do   func() (scorer.SignInState, error)
		want scorer.SignInState
	}{
		{"first try", func() (scorer.SignInState, error) { return s.CountSignIn(ctx, "ana", now) }, scorer.SignInState{Failures: 1}},
		{"second try", func() (scorer.SignInState, error) { return s.CountSignIn(ctx, "ana", now) }, scorer.SignInState{Failures: 2}},
		{"locked out: not counted", func() (scorer.SignInState, error) {
			if err := s.SetSignInState(ctx, "ana", scorer.SignInState{Failures: 2, LockedUntil: now.Add(time.Minute)}); err != nil {
				return scorer.SignInState{}, err
			}
			return s.CountSignIn(ctx, "ana", now)
		}, scorer.SignInState{Failures: 2, LockedUntil: now.Add(time.Minute)}},
		{"after the lock-out", func() (scorer.SignInState, error) { return s.CountSignIn(ctx, "ana", now.Add(2*time.Minute)) }, scorer.SignInState{Failures: 3, LockedUntil: now.Add(time.Minute)}},
		{"after a success", func() (scorer.SignInState, error) {
			if err := s.SetSignInState(ctx, "ana", scorer.SignInState{}); err != nil {
				return scorer.SignInState{}, err
			}
			return s.CountSignIn(ctx, "ana", now)
		}, scorer.SignInState{Failures: 1}},
		{"another name", func() (scorer.SignInState, error) { return s.CountSignIn(ctx, "nobody", now) }, scorer.SignInState{Failures: 1}},
	}
	for _, step := range steps {
		st, err := step.do()
		if err != nil || st.Failures != step.want.Failures || !st.LockedUntil.Equal(step.want.LockedUntil) {
			t.Errorf("%s: %+v %v, want %+v", step.name, st, err, step.want)
		}
	}
}

func testAuditLog(t *testing.T, open opener) {
	ctx := context.Background()
	s, _ := open(t)
	for _, a := range []scorer.AuditAction{scorer.AuditSignIn, scorer.AuditGrade, scorer.AuditSignOut, scorer.AuditSignIn, scorer.AuditSignOut} {
		if err := s.AppendAudit(ctx, auditOf(a)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AppendAudit(ctx, scorer.AuditEntry{Action: scorer.AuditGrade}); err == nil {
		t.Error("an entry naming nobody")
	}
	if err := s.AppendAudit(ctx, scorer.AuditEntry{Actor: "ana"}); err == nil {
		t.Error("an entry naming no action")
	}
	unstamped := scorer.AuditEntry{Actor: "ana", Action: scorer.AuditSignIn}
	if err := s.AppendAudit(ctx, unstamped); err != nil {
		t.Fatal(err)
	}
	entries := checkChain(t, s, 6)
	if e := entries[1]; e.Seq != 2 || e.Actor != "tajnica" || e.Action != scorer.AuditGrade || e.Subject != "x" || e.Detail["k"] != "v" || !e.At.Equal(storeNow) {
		t.Errorf("entry 2: %+v", e)
	}
	if e := entries[5]; e.At.IsZero() || e.Detail == nil {
		t.Errorf("an entry stored without a time gets one: %+v", e)
	}

	chain := slices.Clone(entries[:3])
	chain[1].Detail = map[string]string{"k": "edited"}
	if broken := scorer.VerifyAuditChain(chain); broken != 2 {
		t.Errorf("an edited entry: the chain breaks at %d", broken)
	}
	if broken := scorer.VerifyAuditChain([]scorer.AuditEntry{entries[0], entries[2]}); broken != 3 {
		t.Errorf("a removed entry: the chain breaks at %d", broken)
	}

	pages := []struct {
		before int64
		limit  int
		want   []int64
	}{
		{0, 2, []int64{6, 5}},
		{5, 2, []int64{4, 3}},
		{3, 2, []int64{2, 1}},
		{1, 2, nil},
		{4, -1, []int64{3, 2, 1}},
		{0, 0, nil},
	}
	for _, p := range pages {
		page, err := s.Audit(ctx, p.before, p.limit)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []int64
		for _, e := range page {
			seqs = append(seqs, e.Seq)
		}
		if !slices.Equal(seqs, p.want) {
			t.Errorf("before %d, at most %d: %v, want %v", p.before, p.limit, seqs, p.want)
		}
	}
}

// testAuditedChanges makes each change the commission can make twice: with an audit entry
// that names nobody, which the store must refuse without storing the change, and with a good
// one, which it stores with the change and one step of the revision.
func testAuditedChanges(t *testing.T, open opener) {
	ctx := context.Background()
	s, _ := open(t)
	putSheet(t, s, "sheet-1")
	list := func(f func() (any, error)) func() (string, error) {
		return func() (string, error) {
			v, err := f()
			return fmt.Sprintf("%+v", v), err
		}
	}
	grades := list(func() (any, error) { return s.Grades(ctx) })
	users := list(func() (any, error) { return s.Users(ctx) })
	appeals := list(func() (any, error) { return s.Appeals(ctx) })
	changes := []struct {
		action scorer.AuditAction
		change func(scorer.AuditEntry) error
		state  func() (string, error)
	}{
		{scorer.AuditGrade, func(a scorer.AuditEntry) error {
			return s.PutGrade(ctx, scorer.Grade{SheetID: "sheet-1", ItemID: "w-1", Grader: "ana", Points: 20, At: storeNow}, a)
		}, grades},
		{scorer.AuditGrade, func(a scorer.AuditEntry) error {
			return s.PutGrade(ctx, scorer.Grade{SheetID: "sheet-1", ItemID: "w-1", Grader: "ana", Points: 25, At: storeNow}, a)
		}, grades},
		{scorer.AuditResolution, func(a scorer.AuditEntry) error {
			return s.PutResolution(ctx, scorer.Resolution{SheetID: "sheet-1", ItemID: "w-1", Kind: scorer.ResolveFurtherGrader, Graders: 3, By: "tajnica", At: storeNow}, a)
		}, list(func() (any, error) { return s.Resolutions(ctx) })},
		{scorer.AuditInterview, func(a scorer.AuditEntry) error {
			return s.PutInterview(ctx, scorer.Interview{Candidate: "C-1", Position: "P-1", Points: 20, Entered: storeNow, By: "dino"}, a)
		}, list(func() (any, error) { return s.Interviews(ctx) })},
		{scorer.AuditAmendment, func(a scorer.AuditEntry) error {
			return s.PutAmendment(ctx, scorer.StoredAmendment{BankID: "b", Sequence: 1, File: []byte("f"), SHA256: "d", LoadedAt: storeNow, LoadedBy: "ana"}, a)
		}, list(func() (any, error) { return s.Amendments(ctx) })},
		{scorer.AuditAppealLodged, func(a scorer.AuditEntry) error {
			_, err := s.AddAppeal(ctx, scorer.AppealRecord{ReceiptCode: "C", SheetID: "sheet-1", Lodged: storeNow, LodgedBy: "tajnica", Grounds: "g"}, a)
			return err
		}, appeals},
		{scorer.AuditAppealDecided, func(a scorer.AuditEntry) error {
			return s.DecideAppeal(ctx, 1, scorer.AppealDecision{Status: scorer.AppealUpheld, Reasons: "r", By: "tajnica", At: storeNow}, a)
		}, appeals},
		{scorer.AuditPublished, func(a scorer.AuditEntry) error {
			return s.SetPublication(ctx, scorer.Publication{Position: "P-1", Published: true, At: storeNow, By: "tajnica"}, a)
		}, list(func() (any, error) { return s.Publications(ctx) })},
		{scorer.AuditRules, func(a scorer.AuditEntry) error {
			return s.PutRules(ctx, scorer.Rules{MinGraders: 3}, a)
		}, list(func() (any, error) { return s.Rules(ctx) })},
		{scorer.AuditUserAdded, func(a scorer.AuditEntry) error {
			return s.AddUser(ctx, scorer.User{Name: "ana", Roles: []scorer.Role{scorer.RoleGrader}, Password: "h", Created: storeNow}, a)
		}, users},
		{scorer.AuditUserDisabled, func(a scorer.AuditEntry) error {
			return s.UpdateUser(ctx, scorer.User{Name: "ana", Roles: []scorer.Role{scorer.RoleGrader}, Password: "h", Disabled: true}, a)
		}, users},
	}
	for i, c := range changes {
		before, err := c.state()
		if err != nil {
			t.Fatal(err)
		}
		rev := revision(t, s)
		if err := c.change(scorer.AuditEntry{Action: c.action}); err == nil {
			t.Errorf("%s with an entry naming nobody: stored", c.action)
		}
		if after, _ := c.state(); after != before || revision(t, s) != rev {
			t.Errorf("%s with an entry naming nobody: the change was stored", c.action)
		}
		checkChain(t, s, i)
		if err := c.change(auditOf(c.action)); err != nil {
			t.Fatalf("%s: %v", c.action, err)
		}
		if after, _ := c.state(); after == before {
			t.Errorf("%s: not stored", c.action)
		}
		if got := revision(t, s); got.Commission != rev.Commission+1 || got.LastSheet != rev.LastSheet {
			t.Errorf("%s: revision %+v → %+v", c.action, rev, got)
		}
		if entries := checkChain(t, s, i+1); entries[i].Action != c.action {
			t.Errorf("%s logged as %s", c.action, entries[i].Action)
		}
	}
}

func testAppealsAndSettings(t *testing.T, open opener) {
	ctx := context.Background()
	now := storeNow
	s, _ := open(t)
	putSheet(t, s, "sheet-1")
	id, err := s.AddAppeal(ctx, scorer.AppealRecord{ReceiptCode: "ABCD-EFGH-JKM", SheetID: "sheet-1", Lodged: now, LodgedBy: "tajnica", Grounds: "g"}, auditOf(scorer.AuditAppealLodged))
	if err != nil || id != 1 {
		t.Fatal(id, err)
	}
	if id, err := s.AddAppeal(ctx, scorer.AppealRecord{ReceiptCode: "ABCD-EFGH-JKM", SheetID: "sheet-1", Lodged: now, LodgedBy: "tajnica", Grounds: "g2"}, auditOf(scorer.AuditAppealLodged)); err != nil || id != 2 {
		t.Fatal(id, err)
	}
	d := scorer.AppealDecision{Status: scorer.AppealRejected, Reasons: "r", By: "tajnica", At: now}
	if err := s.DecideAppeal(ctx, 1, d, auditOf(scorer.AuditAppealDecided)); err != nil {
		t.Fatal(err)
	}
	if err := s.DecideAppeal(ctx, 1, d, auditOf(scorer.AuditAppealDecided)); !errors.Is(err, scorer.ErrConflict) {
		t.Errorf("deciding twice: %v", err)
	}
	if err := s.DecideAppeal(ctx, 9, d, auditOf(scorer.AuditAppealDecided)); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("deciding an unknown appeal: %v", err)
	}
	appeals, _ := s.Appeals(ctx)
	if len(appeals) != 2 || appeals[0].Status != scorer.AppealRejected || appeals[0].Reasons != "r" || appeals[0].DecidedBy != "tajnica" ||
		!appeals[0].Decided.Equal(now) || !appeals[0].Lodged.Equal(now) || appeals[1].Status != scorer.AppealOpen || !appeals[1].Decided.IsZero() {
		t.Errorf("%+v", appeals)
	}
	checkChain(t, s, 3) // the refused decisions are not logged

	rev := revision(t, s)
	for _, p := range []string{"p-1", "P-2", "P-10"} {
		if err := s.SetPublication(ctx, scorer.Publication{Position: p, Published: true, At: now, By: "tajnica"}, auditOf(scorer.AuditPublished)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetPublication(ctx, scorer.Publication{Position: "P-2", Published: true, At: now.Add(time.Hour), By: "boris"}, auditOf(scorer.AuditPublished)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPublication(ctx, scorer.Publication{Position: "P-10"}, auditOf(scorer.AuditWithdrawn)); err != nil {
		t.Fatal(err)
	}
	pubs, _ := s.Publications(ctx)
	if len(pubs) != 2 || pubs[0].Position != "P-2" || pubs[0].By != "boris" || !pubs[0].At.Equal(now.Add(time.Hour)) || !pubs[0].Published || pubs[1].Position != "p-1" {
		t.Errorf("publications %+v", pubs)
	}
	if rev2 := revision(t, s); rev2.Commission != rev.Commission+5 || rev2.LastSheet != rev.LastSheet {
		t.Errorf("revision %+v → %+v", rev, rev2)
	}

	if r, err := s.Rules(ctx); err != nil || r != (scorer.Rules{}) {
		t.Errorf("default rules %+v %v", r, err)
	}
	for _, want := range []scorer.Rules{{MinGraders: 2, Disagreement: 10, ListSize: 3}, {MinGraders: 3}} {
		if err := s.PutRules(ctx, want, auditOf(scorer.AuditRules)); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Rules(ctx); r != want {
			t.Errorf("rules %+v, want %+v", r, want)
		}
	}
	a, err := s.Secret(ctx, "x", 32)
	if err != nil || len(a) != 32 {
		t.Fatal(err)
	}
	if b, _ := s.Secret(ctx, "x", 32); string(a) != string(b) {
		t.Error("the secret changed")
	}
	if c, _ := s.Secret(ctx, "y", 16); string(a) == string(c) || len(c) != 16 {
		t.Error("two secrets are the same")
	}
	if r, _ := s.Rules(ctx); r != (scorer.Rules{MinGraders: 3}) {
		t.Errorf("secrets changed the rules: %+v", r)
	}
}

func testGrading(t *testing.T, open opener) {
	ctx := context.Background()
	now := storeNow
	s, _ := open(t)
	putSheet(t, s, "sheet-1")
	putSheet(t, s, "Sheet-2")
	g := scorer.Grade{SheetID: "sheet-1", ItemID: "w-1", Grader: "ana", Points: 20, Comment: "prvi", At: now}
	if err := s.PutGrade(ctx, g, auditOf(scorer.AuditGrade)); err != nil {
		t.Fatal(err)
	}
	g.Points, g.Comment, g.At = 25, "drugi", now.Add(time.Minute)
	if err := s.PutGrade(ctx, g, auditOf(scorer.AuditGrade)); err != nil {
		t.Fatal(err)
	}
	for _, other := range []scorer.Grade{
		{SheetID: "sheet-1", ItemID: "w-1", Grader: "Boris", Points: 30, At: now},
		{SheetID: "Sheet-2", ItemID: "w-1", Grader: "ana", Points: 5, At: now},
	} {
		if err := s.PutGrade(ctx, other, auditOf(scorer.AuditGrade)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutGrade(ctx, scorer.Grade{SheetID: "no-such-sheet", ItemID: "w-1", Grader: "ana", Points: 5, At: now}, auditOf(scorer.AuditGrade)); err == nil {
		t.Error("a grade for a sheet that is not stored")
	}
	grades, _ := s.Grades(ctx)
	var keys []string
	for _, g := range grades {
		keys = append(keys, g.SheetID+"/"+g.Grader)
	}
	if !slices.Equal(keys, []string{"Sheet-2/ana", "sheet-1/Boris", "sheet-1/ana"}) || grades[2].Points != 25 || grades[2].Comment != "drugi" || !grades[2].At.Equal(g.At) {
		t.Errorf("grades %v %+v", keys, grades)
	}

	for i := range 2 {
		r := scorer.Resolution{SheetID: "sheet-1", ItemID: "w-1", Kind: scorer.ResolveFurtherGrader, Graders: 3 + i, By: "tajnica", At: now}
		if err := s.PutResolution(ctx, r, auditOf(scorer.AuditResolution)); err != nil {
			t.Fatal(err)
		}
	}
	decision := scorer.Resolution{SheetID: "sheet-1", ItemID: "w-1", Kind: scorer.ResolveDecision, Points: 24, Note: "decided", By: "tajnica", At: now}
	if err := s.PutResolution(ctx, decision, auditOf(scorer.AuditResolution)); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.Resolutions(ctx); len(rs) != 3 || rs[0].Seq != 1 || rs[1].Graders != 4 || rs[2].Seq != 3 || rs[2].Kind != scorer.ResolveDecision ||
		rs[2].Points != 24 || rs[2].Note != "decided" || !rs[2].At.Equal(now) {
		t.Errorf("resolutions %+v", rs)
	}

	ivs := []scorer.Interview{
		{Candidate: "C-1", Position: "P-1", Points: 25, Competences: map[string]int{"a": 20, "b": 5}, Entered: now, By: "ana"},
		{Candidate: "C-1", Position: "P-1", Points: 18, Entered: now, By: "dino"},
		{Candidate: "C-1", Position: "P-1", Points: 19, Entered: now.Add(time.Minute), By: "dino"}, // replaces dino's 18
		{Candidate: "c-0", Position: "P-1", Points: 10, Entered: now, By: "Ana"},
		{Candidate: "C-2", Position: "P-0", Points: 12, Competences: map[string]int{}, Entered: now, By: "ana"},
	}
	for _, iv := range ivs {
		if err := s.PutInterview(ctx, iv, auditOf(scorer.AuditInterview)); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Interviews(ctx)
	keys = nil
	for _, iv := range got {
		keys = append(keys, fmt.Sprintf("%s/%s/%s:%d", iv.Position, iv.Candidate, iv.By, iv.Points))
	}
	if !slices.Equal(keys, []string{"P-0/C-2/ana:12", "P-1/C-1/ana:25", "P-1/C-1/dino:19", "P-1/c-0/Ana:10"}) {
		t.Errorf("interviews %v", keys)
	}
	if len(got) == 4 && (got[1].Competences["a"] != 20 || got[2].Competences != nil || got[0].Competences != nil || !got[2].Entered.Equal(now.Add(time.Minute))) {
		t.Errorf("interviews %+v", got)
	}
}

func testBankFiles(t *testing.T, open opener) {
	ctx := context.Background()
	now := storeNow
	s, _ := open(t)
	am := scorer.StoredAmendment{BankID: "b", Sequence: 1, File: []byte("file"), SHA256: "d1", LoadedAt: now, LoadedBy: "ana",
		Effect: scorer.AmendmentEffect{Sheets: 3, Changes: []scorer.CandidateChange{{Code: "C-1", Before: scorer.Standing{Total: 1}, After: scorer.Standing{Total: 2}}}}}
	if err := s.PutAmendment(ctx, am, auditOf(scorer.AuditAmendment)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAmendment(ctx, am, auditOf(scorer.AuditAmendment)); err != nil {
		t.Errorf("the same again: %v", err)
	}
	other := am
	other.SHA256 = "d2"
	if err := s.PutAmendment(ctx, other, auditOf(scorer.AuditAmendment)); !errors.Is(err, scorer.ErrConflict) {
		t.Errorf("another amendment 1: %v", err)
	}
	for _, more := range []scorer.StoredAmendment{{BankID: "b", Sequence: 2, SHA256: "d3"}, {BankID: "B", Sequence: 1, SHA256: "d4"}, {BankID: "b", Sequence: 10, SHA256: "d5"}} {
		more.File, more.LoadedAt, more.LoadedBy = []byte("f"), now, "ana"
		if err := s.PutAmendment(ctx, more, auditOf(scorer.AuditAmendment)); err != nil {
			t.Fatal(err)
		}
	}
	ams, _ := s.Amendments(ctx)
	var keys []string
	for _, a := range ams {
		keys = append(keys, fmt.Sprintf("%s/%d", a.BankID, a.Sequence))
	}
	if !slices.Equal(keys, []string{"B/1", "b/1", "b/2", "b/10"}) || ams[1].Effect.Changes[0].After.Total != 2 || ams[1].Effect.Sheets != 3 ||
		string(ams[1].File) != "file" || ams[1].LoadedBy != "ana" || !ams[1].LoadedAt.Equal(now) {
		t.Errorf("amendments %v %+v", keys, ams)
	}

	rev := revision(t, s)
	c := scorer.BankContent{BankID: "b", ManifestSHA256: "m1", Title: bank.Text{"bs": "Naslov", "sr-Cyrl": "Наслов"}, Languages: []string{"bs", "sr-Cyrl"},
		Items:  []bank.Item{{ID: "i-1", Kind: bank.ItemWritten, Prompt: bank.Text{"bs": "Zadatak"}, MaxPoints: 50}},
		Images: map[string][]byte{"images/a.png": []byte("png"), "images/b.png": {0, 1, 2}}, LoadedAt: now}
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
	noImages := scorer.BankContent{BankID: "c", ManifestSHA256: "m3", Title: bank.Text{"bs": "C"}, Languages: []string{"bs"}, LoadedAt: now}
	if err := s.PutBankContent(ctx, noImages); err != nil {
		t.Fatal(err)
	}
	got, err := s.BankContent(ctx, "b")
	if err != nil || got.ManifestSHA256 != "m1" || len(got.Items) != 1 || got.Items[0].MaxPoints != 50 || len(got.Images) != 2 || string(got.Images["images/b.png"]) != "\x00\x01\x02" ||
		got.Title["sr-Cyrl"] != "Наслов" || !slices.Equal(got.Languages, c.Languages) || !got.LoadedAt.Equal(now) {
		t.Fatalf("%+v %v", got, err)
	}
	if got, err := s.BankContent(ctx, "c"); err != nil || len(got.Images) != 0 || got.Images == nil {
		t.Errorf("a bank without images: %+v %v", got, err)
	}
	if _, err := s.BankContent(ctx, "none"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("unknown bank: %v", err)
	}

	rosters := []scorer.StoredRoster{
		{SHA256: "r2", Candidates: []bank.Candidate{{Code: "C-2", Name: "Бојан", Position: "P-1"}}, LoadedAt: now.Add(time.Hour)},
		{SHA256: "r1", Candidates: []bank.Candidate{{Code: "C-1", Name: "Ana", Position: "P-1"}}, LoadedAt: now},
		{SHA256: "R3", Candidates: []bank.Candidate{}, LoadedAt: now},
	}
	for _, r := range append(rosters, rosters[0]) {
		if err := s.PutRoster(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rs, _ := s.Rosters(ctx)
	keys = nil
	for _, r := range rs {
		keys = append(keys, r.SHA256)
	}
	if !slices.Equal(keys, []string{"R3", "r1", "r2"}) || rs[2].Candidates[0].Name != "Бојан" || !rs[2].LoadedAt.Equal(now.Add(time.Hour)) {
		t.Errorf("rosters %v %+v", keys, rs)
	}
	if got := revision(t, s); got.Commission != rev.Commission+5 {
		t.Errorf("revision %+v → %+v: two banks and three rosters move it, the same again does not", rev, got)
	}
}
