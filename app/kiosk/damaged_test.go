package kiosk

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ispit/exam"
	"ispit/internal/sqlitedb"
	"ispit/internal/sqlitetest"
)

// keptName is the name of a kept database: exam-, the UTC time, .db.
var keptName = regexp.MustCompile(`^exam-\d{8}T\d{6}Z\.db$`)

// runningKiosk is a kiosk whose data folder holds a session with a candidate's attempt
// running, with one answer; the schema and the loaded files are in exam.db itself, the session
// in its -wal, as a kiosk that was restarted before the exam leaves them.
func runningKiosk(t *testing.T, f *fixture) *Kiosk {
	t.Helper()
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	f.enrolTerminal(t, k)
	if _, err := k.LoadBank(f.bankFile); err != nil {
		t.Fatal(err)
	}
	if _, err := k.LoadRoster(f.rosterFile); err != nil {
		t.Fatal(err)
	}
	k.Close()
	if k, err = Open(f.config(t)); err != nil {
		t.Fatal(err)
	}
	s, err := k.StartSession("demo-2026", "public", "proctor-1", f.startCode)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Admit("DEMO-0001", "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("bs"); err != nil {
		t.Fatal(err)
	}
	v, _ := a.Item(0)
	if err := a.Choose(v.Item.ID, v.Options[0].ID); err != nil {
		t.Fatal(err)
	}
	return k
}

// examFilesIn reads the exam database's files at path (exam.db or a kept exam-….db), by suffix;
// the files that are not there are left out.
func examFilesIn(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		data, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		files[suffix] = data
	}
	return files
}

// wantDamaged fails unless err is a *DamagedError that keeps its database in the data folder's
// damaged folder under a kept name; it returns the error.
func wantDamaged(t *testing.T, cfg Config, err error) *DamagedError {
	t.Helper()
	var d *DamagedError
	if !errors.As(err, &d) || !errors.Is(err, exam.ErrCorrupt) {
		t.Fatalf("err = %v, want a DamagedError", err)
	}
	if filepath.Dir(d.Kept) != filepath.Join(cfg.DataDir, DamagedDir) || !keptName.MatchString(filepath.Base(d.Kept)) {
		t.Fatalf("kept in %s", d.Kept)
	}
	if d.Detail == "" {
		t.Fatal("no technical detail")
	}
	return d
}

// TestDamagedDatabaseIsKeptAndTheTerminalStaysOutOfService damages exam.db in the ways a disk
// does and opens the kiosk: the database's files go, unchanged, to damaged/exam-TIME.db (with
// its -wal) beside a record of why; every later start says so again without making a new
// database; once the technician has taken the damaged folder away, the kiosk starts afresh.
func TestDamagedDatabaseIsKeptAndTheTerminalStaysOutOfService(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(t *testing.T, f *fixture, path string)
	}{
		{"a damaged page, with the -wal of a power cut", func(t *testing.T, f *fixture, path string) {
			k := runningKiosk(t, f)
			image := sqlitetest.PowerCut(t, path)
			k.Close()
			image.Restore(t)
			sqlitetest.DamagePage(t, path, "pins")
		}},
		{"not an SQLite file", func(t *testing.T, f *fixture, path string) {
			runningKiosk(t, f).Close()
			if err := os.WriteFile(path, []byte("this is not a database, just some text that fills the header"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"cut short", func(t *testing.T, f *fixture, path string) {
			runningKiosk(t, f).Close()
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, info.Size()/2+100); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			cfg := f.config(t)
			path := filepath.Join(cfg.DataDir, "exam.db")
			tt.damage(t, f, path)
			before := examFilesIn(t, path)

			_, err := Open(cfg)
			d := wantDamaged(t, cfg, err)
			kept := examFilesIn(t, d.Kept)
			if len(kept) != len(before) {
				t.Errorf("kept %d files, the data folder had %d", len(kept), len(before))
			}
			for suffix, data := range before {
				if !bytes.Equal(kept[suffix], data) {
					t.Errorf("the kept %s%s is not the damaged file", filepath.Base(d.Kept), suffix)
				}
			}
			if left := examFilesIn(t, path); len(left) != 0 {
				t.Errorf("exam.db files left in the data folder: %d", len(left))
			}
			record, err := os.ReadFile(strings.TrimSuffix(d.Kept, ".db") + ".txt")
			if err != nil || !strings.Contains(string(record), "terminal: T-01\n") || !strings.Contains(string(record), "reason: "+oneLine(d.Detail)+"\n") {
				t.Errorf("the record: %q, %v", record, err)
			}

			// The kiosk restarts (the session does it by itself): still out of service.
			_, err = Open(cfg)
			again := wantDamaged(t, cfg, err)
			if again.Kept != d.Kept || again.Detail != oneLine(d.Detail) {
				t.Errorf("after a restart: %+v, before %+v", again, d)
			}
			if left := examFilesIn(t, path); len(left) != 0 {
				t.Error("a restart made a new exam database")
			}
			for suffix, data := range examFilesIn(t, d.Kept) {
				if suffix != "-shm" && !bytes.Equal(data, before[suffix]) {
					t.Errorf("a restart changed the kept %s%s", filepath.Base(d.Kept), suffix)
				}
			}

			// The technician takes the damaged folder off: the kiosk starts afresh.
			if err := os.RemoveAll(filepath.Join(cfg.DataDir, DamagedDir)); err != nil {
				t.Fatal(err)
			}
			k, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if info, err := k.Engine.ActiveSession(); err != nil || info != nil {
				t.Fatalf("a fresh database has a session: %+v, %v", info, err)
			}
		})
	}
}

// TestInterruptedSetAsideIsFinished is the power cut in the middle of setting a database aside:
// the record and the -wal are in the damaged folder, exam.db still in the data folder. The next
// start moves it to the record it belongs with.
func TestInterruptedSetAsideIsFinished(t *testing.T) {
	f := newFixture(t)
	cfg := f.config(t)
	dir := filepath.Join(cfg.DataDir, DamagedDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(dir, "exam-20260601T085900Z.txt"):    "reason: an older damage\n",
		filepath.Join(dir, "exam-20260601T090000Z.txt"):    "terminal: T-01\nreason: Tree 3 page 3: btreeInitPage() returns error code 11\n",
		filepath.Join(dir, "exam-20260601T090000Z.db-wal"): "the -wal",
		filepath.Join(cfg.DataDir, "exam.db"):              "the damaged database",
	}
	for path, data := range files {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Open(cfg)
	d := wantDamaged(t, cfg, err)
	if filepath.Base(d.Kept) != "exam-20260601T090000Z.db" || d.Detail != "Tree 3 page 3: btreeInitPage() returns error code 11" {
		t.Fatalf("%+v", d)
	}
	kept := examFilesIn(t, d.Kept)
	if string(kept[""]) != "the damaged database" || string(kept["-wal"]) != "the -wal" {
		t.Fatalf("kept %q", kept)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "exam.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("exam.db is still in the data folder: %v", err)
	}
}

// TestDamageFoundWhileResumingIsKept is a database whose pages are sound but whose attempt
// cannot be read back: Resume closes the kiosk, keeps the database and says so.
func TestDamageFoundWhileResumingIsKept(t *testing.T) {
	f := newFixture(t)
	cfg := f.config(t)
	runningKiosk(t, f).Close()
	path := filepath.Join(cfg.DataDir, "exam.db")
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE attempts SET used_ms = 'a great deal'`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	k, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	s, err := k.Resume()
	d := wantDamaged(t, cfg, err)
	if s != nil {
		t.Fatal("a session resumed from a damaged database")
	}
	if _, err := k.Engine.Outbox(); !errors.Is(err, exam.ErrClosed) {
		t.Fatalf("the kiosk's database is still open: %v", err)
	}
	if _, err := os.Stat(d.Kept); err != nil {
		t.Fatal(err)
	}
	_, err = Open(cfg)
	wantDamaged(t, cfg, err)
}

// TestAnyDamagedFolderKeepsTheTerminalOutOfService: whatever is left in the damaged folder (here
// a note, no record), the kiosk makes no new exam database and names the folder.
func TestAnyDamagedFolderKeepsTheTerminalOutOfService(t *testing.T) {
	f := newFixture(t)
	cfg := f.config(t)
	dir := filepath.Join(cfg.DataDir, DamagedDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("copied to the stick"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(cfg)
	var d *DamagedError
	if !errors.As(err, &d) || d.Kept != dir {
		t.Fatalf("err = %v, want a DamagedError naming %s", err, dir)
	}
	if left := examFilesIn(t, filepath.Join(cfg.DataDir, "exam.db")); len(left) != 0 {
		t.Fatal("the kiosk made an exam database")
	}
}
