// Package sqlitetest damages SQLite databases for tests, as a failing disk or a torn write
// would: a page of a real database overwritten with garbage, and a database whose -wal holds
// what a power cut left in it.
package sqlitetest

import (
	"bytes"
	"os"
	"testing"

	"ispit/internal/sqlitedb"
)

// DamagePage overwrites the root page of table in the database file at path with garbage, in the
// database file itself (not in its -wal): SQLite's checks then fail with "Tree N page N: …".
// It first folds the -wal into the database and empties it, so that no newer copy of the page
// there hides the damage; the database must not be open elsewhere.
func DamagePage(tb testing.TB, path, table string) {
	tb.Helper()
	rw, err := sqlitedb.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	var busy, logPages, done int64
	err = rw.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done)
	rw.Close()
	if err != nil || busy != 0 {
		tb.Fatalf("folding the -wal of %s into it: busy %d, %v (is it still open?)", path, busy, err)
	}
	db, err := sqlitedb.OpenReadOnly(path)
	if err != nil {
		tb.Fatal(err)
	}
	var root, size int64
	err = db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&root)
	if err == nil {
		err = db.QueryRow(`PRAGMA page_size`).Scan(&size)
	}
	db.Close()
	if err != nil {
		tb.Fatalf("the root page of %s in %s: %v", table, path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	garbage := bytes.Repeat([]byte("garbage!"), int(size)/8)
	_, err = f.WriteAt(garbage, (root-1)*size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
}

// PowerCut returns what a power cut would leave of the database at path while it is open: the
// database file and its -wal as they are now, to be written back with Restore once the program
// has closed it (which folds the -wal into the database).
func PowerCut(tb testing.TB, path string) Image {
	tb.Helper()
	im := Image{path: path, files: map[string][]byte{}}
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		if err != nil {
			tb.Fatal(err)
		}
		im.files[suffix] = data
	}
	if len(im.files["-wal"]) == 0 {
		tb.Fatalf("%s-wal is empty: a power cut now would leave nothing in it", path)
	}
	return im
}

// Image is a database's files as a power cut left them.
type Image struct {
	path  string
	files map[string][]byte // by suffix: "" the database, "-wal"
}

// Restore puts the files of the image back in place, and removes the -shm (the -wal's index,
// which SQLite rebuilds), as a reboot would find them.
func (im Image) Restore(tb testing.TB) {
	tb.Helper()
	if err := os.Remove(im.path + "-shm"); err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
	for suffix, data := range im.files {
		if err := os.WriteFile(im.path+suffix, data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
}
