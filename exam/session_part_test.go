package exam

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ispit/bank"
	"ispit/internal/sqlitedb"
)

func TestSessionStartsWithItsPart(t *testing.T) {
	f := demoFixture(t)
	for _, part := range []string{"public", "professional-choice", "professional-written"} {
		t.Run(part, func(t *testing.T) {
			dir := t.TempDir()
			e := openTestEngine(t, dir, newFakeClock())
			s, err := e.StartSession(f.bank, f.roster, part, "proctor-1", f.code)
			if err != nil {
				t.Fatal(err)
			}
			if s.Info.Part != part {
				t.Fatalf("session part %q, want %q", s.Info.Part, part)
			}
			e.Close()

			e2 := openTestEngine(t, dir, newFakeClock())
			defer e2.Close()
			info, err := e2.ActiveSession()
			if err != nil || info == nil || info.Part != part {
				t.Fatalf("after a restart: %+v, %v", info, err)
			}
			s2, err := e2.ResumeSession(info.ID, f.bank, f.roster)
			if err != nil || s2.Info.Part != part {
				t.Fatalf("resumed: %v, part %q", err, s2.Info.Part)
			}
		})
	}
}

func TestSessionWithoutAPartIsNotStarted(t *testing.T) {
	f := demoFixture(t)
	for _, part := range []string{"", "no-such-part"} {
		e := openTestEngine(t, t.TempDir(), newFakeClock())
		if _, err := e.StartSession(f.bank, f.roster, part, "proctor-1", f.code); !errors.Is(err, ErrUnknownPart) {
			t.Errorf("part %q: %v, want ErrUnknownPart", part, err)
		}
		if info, err := e.ActiveSession(); err != nil || info != nil {
			t.Errorf("part %q: a session was recorded: %+v, %v", part, info, err)
		}
		e.Close()
	}
}

// oldSession is a session as schema version 4 recorded it, without its part.
const oldSession = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"

// writeVersion4 makes the database of a kiosk before schema version 5 in dir, with one
// running session of the demo bank.
func writeVersion4(t *testing.T, dir string) {
	t.Helper()
	f := demoFixture(t)
	db, err := sqlitedb.Open(filepath.Join(dir, "exam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var steps []sqlitedb.Step
	for _, m := range migrations[:sessionPartVersion-1] {
		steps = append(steps, sqlitedb.SQL(m.sql))
	}
	if err := sqlitedb.MigrateSteps(db, steps); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO sessions (id, bank_id, manifest_sha256, roster_sha256, proctor, start_code, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		oldSession, f.bank.Manifest.BankID, f.bank.ManifestSHA256, f.roster.SHA256, "proctor-1", f.code, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC).Format(time.RFC3339Nano))
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrationTakesTheSessionPartFile(t *testing.T) {
	tests := []struct {
		name string
		file string // session-part.json; none when empty
		want string
	}{
		{"the file names the session", `{"session":"` + oldSession + `","part":"professional-choice"}`, "professional-choice"},
		{"the file names another session", `{"session":"another","part":"public"}`, ""},
		{"the file does not parse", `{"session":`, ""},
		{"no file", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeVersion4(t, dir)
			legacy := filepath.Join(dir, legacyPartFile)
			if tt.file != "" {
				if err := os.WriteFile(legacy, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			e := openTestEngine(t, dir, newFakeClock())
			defer e.Close()
			info, err := e.ActiveSession()
			if err != nil || info == nil || info.ID != oldSession {
				t.Fatalf("active session %+v, %v", info, err)
			}
			if info.Part != tt.want {
				t.Errorf("part %q, want %q", info.Part, tt.want)
			}
			if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is still there after the migration: %v", legacyPartFile, err)
			}
			var version int
			if err := e.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
				t.Errorf("schema version %d, %v; want %d", version, err, len(migrations))
			}
		})
	}
}

// A file the migration cannot read stops it whole: the schema stays at version 4, and the
// next start tries again.
func TestMigrationOfTheSessionPartIsOneTransaction(t *testing.T) {
	dir := t.TempDir()
	writeVersion4(t, dir)
	legacy := filepath.Join(dir, legacyPartFile)
	if err := os.Mkdir(legacy, 0o700); err != nil { // a folder cannot be read as the file
		t.Fatal(err)
	}
	if e, err := Open(filepath.Join(dir, "exam.db"), Options{TerminalID: "T-01", Secret: testSecret}); err == nil {
		e.Close()
		t.Fatal("the migration went on without the part file")
	}
	db, err := sqlitedb.Open(filepath.Join(dir, "exam.db"))
	if err != nil {
		t.Fatal(err)
	}
	var version, partColumns int
	db.QueryRow("PRAGMA user_version").Scan(&version)
	db.QueryRow(`SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'part_id'`).Scan(&partColumns)
	db.Close()
	if version != sessionPartVersion-1 || partColumns != 0 {
		t.Fatalf("after a failed migration: version %d, part column %d", version, partColumns)
	}

	os.Remove(legacy)
	if err := os.WriteFile(legacy, []byte(`{"session":"`+oldSession+`","part":"public"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := openTestEngine(t, dir, newFakeClock())
	defer e.Close()
	if info, err := e.ActiveSession(); err != nil || info == nil || info.Part != "public" {
		t.Fatalf("after the second start: %+v, %v", info, err)
	}
}

func TestResumedSessionWithoutPartTakesTheOnlyOne(t *testing.T) {
	f := demoFixture(t)
	onePart := *f.bank
	manifest := *onePart.Manifest
	manifest.Parts = manifest.Parts[:1]
	onePart.Manifest = &manifest
	tests := []struct {
		name string
		bank *bank.Bank
		want string
	}{
		{"a bank of one part", &onePart, manifest.Parts[0].ID},
		{"a bank of several parts", f.bank, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeVersion4(t, dir)
			e := openTestEngine(t, dir, newFakeClock())
			s, err := e.ResumeSession(oldSession, tt.bank, f.roster)
			if err != nil {
				t.Fatal(err)
			}
			if s.Info.Part != tt.want {
				t.Fatalf("part %q, want %q", s.Info.Part, tt.want)
			}
			e.Close()
			e2 := openTestEngine(t, dir, newFakeClock())
			defer e2.Close()
			if info, err := e2.ActiveSession(); err != nil || info.Part != tt.want {
				t.Fatalf("after a restart: %+v, %v", info, err)
			}
		})
	}
}
