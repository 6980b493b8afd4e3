package scorer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"ispit/scorer"
)

// The store suite: what the Store interface promises, checked against each implementation.
// TestSQLiteStore runs it on SQLite, TestPostgresStore (postgres_test.go) on PostgreSQL. The
// suite's parts are in store_*_test.go.

// opener opens a store over a new, empty database, and returns with it a function that opens
// another store over the same database, as a second scorer (or the same one restarted) would.
type opener func(t *testing.T) (scorer.Store, func() scorer.Store)

// sqliteStores is the SQLite opener.
func sqliteStores(t *testing.T) (scorer.Store, func() scorer.Store) {
	path := filepath.Join(t.TempDir(), "scorer.db")
	open := func() scorer.Store {
		s, err := scorer.OpenSQLite(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open
}

// openSQLite opens a store over a new SQLite database.
func openSQLite(t *testing.T) scorer.Store {
	t.Helper()
	s, _ := sqliteStores(t)
	return s
}

func TestSQLiteStore(t *testing.T) { testStore(t, sqliteStores) }

// testStore runs the suite on the stores open gives, its parts in parallel.
func testStore(t *testing.T, open opener) {
	parts := []struct {
		name string
		test func(*testing.T, opener)
	}{
		{"terminals", testTerminals},
		{"answer keys", testAnswerKeys},
		{"sheets", testSheets},
		{"sheets in a large batch", testSheetsInALargeBatch},
		{"accounts and sessions", testAccounts},
		{"audit log", testAuditLog},
		{"changes are audited in their transaction", testAuditedChanges},
		{"appeals, publications, rules, secrets", testAppealsAndSettings},
		{"grades, resolutions, interviews", testGrading},
		{"amendments, questions, rosters", testBankFiles},
		{"what is committed is there when opened again", testReopen},
		{"several scorers over one database", testSeveralScorers},
		{"attempts: checkpoints and hand-overs", testAttempts},
		{"attempts: taken over without a hand-over", testAttemptTakenOver},
	}
	for _, p := range parts {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			p.test(t, open)
		})
	}
}

// storeNow is the suite's time: with nanoseconds, which a store keeps.
var storeNow = time.Date(2026, 12, 2, 9, 0, 0, 123456789, time.UTC)

// auditOf is a valid audit entry for a change.
func auditOf(action scorer.AuditAction) scorer.AuditEntry {
	return scorer.Audit("tajnica", action, "x", storeNow, map[string]string{"k": "v"})
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

// revision returns the store's revision.
func revision(t *testing.T, s scorer.Store) scorer.Revision {
	t.Helper()
	rev, err := s.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// Lists come in byte order of their text keys, whatever a database's collation says: the
// suite's keys mix upper and lower case so that another order shows.

func testTerminals(t *testing.T, open opener) {
	ctx := context.Background()
	s, _ := open(t)
	for _, id := range []string{"t-1", "T-2", "T-10"} {
		if err := s.AddTerminal(ctx, scorer.Terminal{ID: id, PublicKey: "key of " + id, Added: storeNow}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddTerminal(ctx, scorer.Terminal{ID: "T-2", PublicKey: "key of T-2", Added: storeNow.Add(time.Hour)}); err != nil {
		t.Errorf("the same terminal and key again: %v", err)
	}
	if err := s.AddTerminal(ctx, scorer.Terminal{ID: "T-2", PublicKey: "another key", Added: storeNow}); !errors.Is(err, scorer.ErrConflict) {
		t.Errorf("the same terminal with another key: %v", err)
	}
	got, err := s.Terminal(ctx, "T-2")
	if err != nil || got.PublicKey != "key of T-2" || !got.Added.Equal(storeNow) {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := s.Terminal(ctx, "T-3"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("an unknown terminal: %v", err)
	}
	all, err := s.Terminals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, term := range all {
		ids = append(ids, term.ID)
	}
	if !slices.Equal(ids, []string{"T-10", "T-2", "t-1"}) {
		t.Errorf("terminals %v", ids)
	}
}

func testAnswerKeys(t *testing.T, open opener) {
	ctx := context.Background()
	s, _ := open(t)
	rev := revision(t, s)
	if err := s.PutAnswerKey(ctx, "b", []byte("key file")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAnswerKey(ctx, "b", []byte("key file")); err != nil {
		t.Errorf("the same key again: %v", err)
	}
	if err := s.PutAnswerKey(ctx, "b", []byte("another key file")); !errors.Is(err, scorer.ErrConflict) {
		t.Errorf("another key for the bank: %v", err)
	}
	if file, err := s.AnswerKeyFile(ctx, "b"); err != nil || string(file) != "key file" {
		t.Errorf("%q %v", file, err)
	}
	if _, err := s.AnswerKeyFile(ctx, "c"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("the key of an unknown bank: %v", err)
	}
	if got := revision(t, s); got.Commission != rev.Commission+1 {
		t.Errorf("revision %+v → %+v: a new key moves it once", rev, got)
	}
}

// sheetRecord is a record as the service makes it, its bytes telling its id and content.
func sheetRecord(id, digest, code string, received time.Time) *scorer.SheetRecord {
	return &scorer.SheetRecord{SheetID: id, Terminal: "T-1", Session: "session-1", BankID: "b", SealedSHA256: digest,
		Sealed: []byte("sealed " + id + " " + digest), Plain: []byte(`{"sheet_id":"` + id + `"}`), ReceivedAt: received,
		Receipt: []byte("receipt " + id + " " + digest), ReceiptCode: code}
}

// testSheetsInALargeBatch stores a batch larger than a round trip of the PostgreSQL store (16
// sheets), with a repeat of a sheet from an earlier part of the batch and one received before,
// in later parts.
func testSheetsInALargeBatch(t *testing.T, open opener) {
	ctx := context.Background()
	s, _ := open(t)
	if r := s.PutSheets(ctx, []*scorer.SheetRecord{sheetRecord("S-a", "a", "CODE-A", storeNow)}); r[0].Err != nil || r[0].Record.Seq != 1 {
		t.Fatalf("%+v", r[0])
	}
	var records []*scorer.SheetRecord
	type outcome struct {
		id      string
		created bool
		seq     int64
	}
	var want []outcome
	next := int64(2)
	for i := range 40 {
		switch i {
		case 20:
			records = append(records, sheetRecord("m-03", "m3", "CODE-M3", storeNow))
			want = append(want, outcome{"m-03", false, 5})
		case 39:
			records = append(records, sheetRecord("S-a", "a", "CODE-A", storeNow))
			want = append(want, outcome{"S-a", false, 1})
		default:
			id := fmt.Sprintf("m-%02d", i)
			records = append(records, sheetRecord(id, fmt.Sprintf("m%d", i), "CODE-M"+fmt.Sprint(i), storeNow))
			want = append(want, outcome{id, true, next})
			next++
		}
	}
	results := s.PutSheets(ctx, records)
	for i, w := range want {
		r := results[i]
		if r.Err != nil || r.Created != w.created || r.Record.SheetID != w.id || r.Record.Seq != w.seq || string(r.Record.Receipt) != string(records[i].Receipt) {
			t.Errorf("record %d: %+v (%v), want %+v", i, r, r.Err, w)
		}
	}
	all, err := s.Sheets(ctx)
	if err != nil || len(all) != 39 {
		t.Errorf("%d sheets stored (%v), want 39", len(all), err)
	}
}

func testSheets(t *testing.T, open opener) {
	ctx := context.Background()
	s, _ := open(t)
	later := storeNow.Add(time.Hour)
	type outcome struct {
		id      string
		created bool
		seq     int64 // of the record returned
		receipt string
		err     error
	}
	batches := []struct {
		name    string
		records []*scorer.SheetRecord
		want    []outcome
	}{
		{"new sheets, one of them twice and once with other content", []*scorer.SheetRecord{
			sheetRecord("S-b", "d1", "CODE-1", later),
			sheetRecord("S-b", "d1", "CODE-1", later.Add(time.Minute)),
			sheetRecord("S-b", "d9", "CODE-9", later),
			sheetRecord("S-B", "d2", "CODE-1", later),
		}, []outcome{
			{"S-b", true, 1, "receipt S-b d1", nil},
			{"S-b", false, 1, "receipt S-b d1", nil},
			{"", false, 0, "", scorer.ErrConflict},
			{"S-B", true, 2, "receipt S-B d2", nil},
		}},
		{"received before, with the same and with other content, and a new one", []*scorer.SheetRecord{
			sheetRecord("S-b", "d1", "CODE-1", later.Add(time.Hour)),
			sheetRecord("S-B", "d9", "CODE-9", later),
			sheetRecord("s-a", "d3", "CODE-2", storeNow),
		}, []outcome{
			{"S-b", false, 1, "receipt S-b d1", nil},
			{"", false, 0, "", scorer.ErrConflict},
			{"s-a", true, 3, "receipt s-a d3", nil},
		}},
	}
	for _, b := range batches {
		results := s.PutSheets(ctx, b.records)
		if len(results) != len(b.want) {
			t.Fatalf("%s: %d results for %d records", b.name, len(results), len(b.records))
		}
		for i, w := range b.want {
			r := results[i]
			if w.err != nil {
				if !errors.Is(r.Err, w.err) || r.Record != nil {
					t.Errorf("%s, record %d: %+v, want %v", b.name, i, r, w.err)
				}
				continue
			}
			if r.Err != nil || r.Created != w.created || r.Record.SheetID != w.id || r.Record.Seq != w.seq || string(r.Record.Receipt) != w.receipt {
				t.Errorf("%s, record %d: %+v (%v), want %+v", b.name, i, r, r.Err, w)
			}
		}
	}

	got, err := s.Sheet(ctx, "S-b")
	if err != nil {
		t.Fatal(err)
	}
	want := sheetRecord("S-b", "d1", "CODE-1", later)
	if got.Seq != 1 || got.Terminal != want.Terminal || got.Session != want.Session || got.BankID != want.BankID || got.SealedSHA256 != "d1" ||
		string(got.Plain) != string(want.Plain) || string(got.Receipt) != string(want.Receipt) || got.ReceiptCode != "CODE-1" ||
		!got.ReceivedAt.Equal(later) || got.ReceivedAt.Nanosecond() != later.Nanosecond() {
		t.Errorf("stored %+v", got)
	}
	if _, err := s.Sheet(ctx, "S-c"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("an unknown sheet: %v", err)
	}

	ids := func(what string, records []*scorer.SheetRecord, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var out []string
		for _, r := range records {
			if r.Sealed != nil {
				t.Errorf("%s: sheet %s listed with its sealed bytes", what, r.SheetID)
			}
			out = append(out, r.SheetID)
		}
		return out
	}
	lists := []struct {
		name string
		list func() ([]*scorer.SheetRecord, error)
		want []string
	}{
		{"sheets with receipt code CODE-1 (received at once: by id)", func() ([]*scorer.SheetRecord, error) { return s.SheetsByReceipt(ctx, "CODE-1") }, []string{"S-B", "S-b"}},
		{"every sheet, oldest first", func() ([]*scorer.SheetRecord, error) { return s.Sheets(ctx) }, []string{"s-a", "S-B", "S-b"}},
		{"every sheet, in the order stored", func() ([]*scorer.SheetRecord, error) { return s.SheetsAfter(ctx, 0) }, []string{"S-b", "S-B", "s-a"}},
		{"the sheets stored after the first", func() ([]*scorer.SheetRecord, error) { return s.SheetsAfter(ctx, 1) }, []string{"S-B", "s-a"}},
		{"the sheets stored after the last", func() ([]*scorer.SheetRecord, error) { return s.SheetsAfter(ctx, 3) }, nil},
	}
	for _, l := range lists {
		records, err := l.list()
		if got := ids(l.name, records, err); !slices.Equal(got, l.want) {
			t.Errorf("%s: %v, want %v", l.name, got, l.want)
		}
	}
	if _, err := s.SheetsByReceipt(ctx, "CODE-3"); !errors.Is(err, scorer.ErrNotFound) {
		t.Errorf("an unknown receipt code: %v", err)
	}
	if rev := revision(t, s); rev != (scorer.Revision{LastSheet: 3}) {
		t.Errorf("revision %+v: the last sheet is 3, and sheets are no commission change", rev)
	}
}

func testReopen(t *testing.T, open opener) {
	ctx := context.Background()
	s, reopen := open(t)
	putSheet(t, s, "sheet-1")
	if err := s.PutGrade(ctx, scorer.Grade{SheetID: "sheet-1", ItemID: "w-1", Grader: "ana", Points: 7, At: storeNow}, auditOf(scorer.AuditGrade)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CountSignIn(ctx, "ana", storeNow); err != nil {
		t.Fatal(err)
	}
	secret, err := s.Secret(ctx, "x", 16)
	if err != nil {
		t.Fatal(err)
	}
	rev := revision(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again := reopen()
	if got := revision(t, again); got != rev {
		t.Errorf("revision %+v, then %+v", rev, got)
	}
	if grades, err := again.Grades(ctx); err != nil || len(grades) != 1 || grades[0].Points != 7 {
		t.Errorf("grades %+v %v", grades, err)
	}
	if st, err := again.CountSignIn(ctx, "ana", storeNow); err != nil || st.Failures != 2 {
		t.Errorf("the second try counted %+v %v", st, err)
	}
	if b, err := again.Secret(ctx, "x", 16); err != nil || string(b) != string(secret) {
		t.Errorf("the secret changed: %v", err)
	}
	entries, err := again.Audit(ctx, 0, 10)
	if err != nil || len(entries) != 1 || entries[0].Action != scorer.AuditGrade {
		t.Errorf("audit %+v %v", entries, err)
	}
}

// testSeveralScorers runs scorers over one database at once: each sign-in try is counted,
// a reader following the sheets by number, as a board does, misses none, the audit log stays
// one chain, appeal numbers follow one another and everyone gets the same secret.
func testSeveralScorers(t *testing.T, open opener) {
	ctx := context.Background()
	first, reopen := open(t)
	stores := []scorer.Store{first, reopen(), reopen()}
	putSheet(t, first, "sheet-0")
	const each, sheetsEach = 6, 3
	n := len(stores) * each

	type followed struct {
		seen map[string]bool
		err  error
	}
	writing, follower := make(chan struct{}), make(chan followed, 1)
	go func(s scorer.Store) {
		f := followed{seen: map[string]bool{}}
		var last int64
		for {
			stopping := false // after one more look, which sees everything written
			select {
			case <-writing:
				stopping = true
			default:
			}
			records, err := s.SheetsAfter(ctx, last)
			if err != nil {
				follower <- followed{err: err}
				return
			}
			for _, r := range records {
				f.seen[r.SheetID] = true
				last = max(last, r.Seq)
			}
			if stopping {
				follower <- f
				return
			}
		}
	}(reopen())

	type result struct {
		secret []byte
		err    error
	}
	results := make(chan result, n*(sheetsEach+4))
	var wg sync.WaitGroup
	for i, s := range stores {
		for j := range each {
			wg.Go(func() {
				id := fmt.Sprintf("sheet-%d-%d", i, j)
				for k := range sheetsEach {
					r := s.PutSheets(ctx, []*scorer.SheetRecord{sheetRecord(fmt.Sprintf("%s-%d", id, k), "d", "C", storeNow)})
					results <- result{err: r[0].Err}
				}
				_, err := s.CountSignIn(ctx, "ana", storeNow)
				results <- result{err: err}
				results <- result{err: s.AppendAudit(ctx, scorer.Audit(id, scorer.AuditSignIn, "", storeNow, nil))}
				_, err = s.AddAppeal(ctx, scorer.AppealRecord{ReceiptCode: "C", SheetID: "sheet-0", Lodged: storeNow, LodgedBy: id, Grounds: "g"}, auditOf(scorer.AuditAppealLodged))
				results <- result{err: err}
				secret, err := s.Secret(ctx, "shared", 32)
				results <- result{secret: secret, err: err}
			})
		}
	}
	wg.Wait()
	close(writing)
	close(results)
	var secret []byte
	for r := range results {
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.secret != nil {
			if secret == nil {
				secret = r.secret
			}
			if string(r.secret) != string(secret) {
				t.Error("two scorers got different secrets")
			}
		}
	}

	if st, err := first.CountSignIn(ctx, "ana", storeNow); err != nil || st.Failures != n+1 {
		t.Errorf("after %d tries at once the next is counted %d (%v)", n, st.Failures, err)
	}
	sheets, err := first.SheetsAfter(ctx, 0)
	if err != nil || len(sheets) != n*sheetsEach+1 {
		t.Fatalf("%d sheets (%v), want %d", len(sheets), err, n*sheetsEach+1)
	}
	for i := 1; i < len(sheets); i++ {
		if sheets[i].Seq <= sheets[i-1].Seq {
			t.Fatalf("sheet numbers %d then %d", sheets[i-1].Seq, sheets[i].Seq)
		}
	}
	f := <-follower
	if f.err != nil {
		t.Fatal(f.err)
	}
	for _, r := range sheets {
		if !f.seen[r.SheetID] {
			t.Errorf("the reader following the sheets by number missed %s (number %d)", r.SheetID, r.Seq)
		}
	}
	appeals, err := first.Appeals(ctx)
	if err != nil || len(appeals) != n {
		t.Fatalf("%d appeals (%v)", len(appeals), err)
	}
	for i, a := range appeals {
		if a.ID != int64(i+1) {
			t.Fatalf("appeal %d is numbered %d", i+1, a.ID)
		}
	}
	checkChain(t, stores[len(stores)-1], 2*n)
}

// checkChain reads the whole audit log and checks that it is n entries chained.
func checkChain(t *testing.T, s scorer.Store, n int) []scorer.AuditEntry {
	t.Helper()
	entries, err := s.Audit(context.Background(), 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(entries)
	if len(entries) != n {
		t.Fatalf("%d audit entries, want %d", len(entries), n)
	}
	if broken := scorer.VerifyAuditChain(entries); broken != 0 {
		t.Fatalf("the audit chain breaks at %d", broken)
	}
	return entries
}
