package exam

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"ispit/internal/sqlitetest"
)

// TestPowerCutImageIsCheckedWithoutChangingIt opens the files a power cut left, the last
// answer still in the -wal: sound, they resume with the answer; with a page of the database
// damaged, they are refused as ErrCorrupt and neither the database nor its -wal changes (a
// read-write connection would fold the -wal into the damaged file as it closes).
func TestPowerCutImageIsCheckedWithoutChangingIt(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage bool
	}{
		{"sound", false},
		{"a damaged page", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "exam.db")
			clock := newFakeClock()
			openTestEngine(t, dir, clock).Close() // the schema is in the database file, not the -wal
			e := openTestEngine(t, dir, clock)
			f := demoFixture(t)
			s, err := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
			if err != nil {
				t.Fatal(err)
			}
			a := beginPublic(t, s, "DEMO-0001")
			v, _ := a.Item(0)
			if err := a.Choose(v.Item.ID, v.Options[1].ID); err != nil {
				t.Fatal(err)
			}
			image := sqlitetest.PowerCut(t, path)
			e.Close()
			image.Restore(t)
			if tt.damage {
				sqlitetest.DamagePage(t, path, "pins")
			}
			before := readFiles(t, path, "", "-wal")

			e2, err := Open(path, Options{TerminalID: "T-01", Secret: testSecret, Clock: clock})
			if !tt.damage {
				if err != nil {
					t.Fatal(err)
				}
				defer e2.Close()
				s2, err := e2.ResumeSession(s.Info.ID, f.bank, f.roster)
				if err != nil {
					t.Fatal(err)
				}
				a2, _ := s2.Attempt(a.ID())
				if got, _ := a2.Item(0); got.Chosen != v.Options[1].ID {
					t.Fatalf("the answer in the -wal is lost: chosen %q", got.Chosen)
				}
				return
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			for suffix, data := range readFiles(t, path, "", "-wal") {
				if !bytes.Equal(data, before[suffix]) {
					t.Errorf("exam.db%s changed: %d bytes, was %d", suffix, len(data), len(before[suffix]))
				}
			}
		})
	}
}

// readFiles reads path with each suffix; a file that is not there reads as nil.
func readFiles(t *testing.T, path string, suffixes ...string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, suffix := range suffixes {
		data, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files[suffix] = data
	}
	return files
}
