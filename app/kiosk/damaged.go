package kiosk

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ispit/exam"
)

// DamagedDir is the folder of the data folder where the kiosk keeps a damaged exam database for
// the record. While it holds anything the terminal is out of service: the kiosk neither opens
// nor makes an exam database, so that a damaged terminal never starts afresh by itself. A
// technician puts it back into service by taking the folder off the data folder.
const DamagedDir = "damaged"

// The exam database's files, as the engine and SQLite name them.
const (
	examDB     = "exam.db"
	stampStyle = "20060102T150405Z" // UTC, safe in a file name, sorts by time
)

// examFiles are the exam database and SQLite's companions, the -wal (committed changes not yet
// in the database) and the -shm (the -wal's index), each with the suffix it keeps when kept, in
// the order they are moved. The record goes before them all, so a power cut in the middle
// leaves DamagedDir not empty: the kiosk never opens an exam.db whose -wal has gone, and
// finishes the move on its next start (keptDamage).
var examFiles = []string{"-wal", "-shm", ""}

// DamagedError says that this terminal's exam database is damaged: the kiosk has kept it for the
// record and the terminal is out of service. It wraps exam.ErrCorrupt.
type DamagedError struct {
	// Kept is where the damaged database is: the kept file in DamagedDir, or exam.db itself
	// when it could not be moved.
	Kept string
	// Detail is what was found, in SQLite's or the engine's words, for the technician.
	Detail string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the exam database is damaged; it is kept in %s (%s)", e.Kept, e.Detail)
}

func (e *DamagedError) Unwrap() error { return exam.ErrCorrupt }

// setAside keeps the damaged exam database of dataDir for the record, moved into DamagedDir as
// exam-STAMP.db with its -wal and -shm, beside exam-STAMP.txt, which says when and why. The
// files are moved unchanged. When the move fails the database stays where it was, which the
// error then names; the kiosk refuses it again on every start.
func setAside(dataDir, terminal string, at time.Time, cause error) *DamagedError {
	dataDir = absolute(dataDir)
	d := &DamagedError{Kept: filepath.Join(dataDir, examDB), Detail: cause.Error()}
	dir := filepath.Join(dataDir, DamagedDir)
	base := "exam-" + at.UTC().Format(stampStyle)
	record := fmt.Sprintf("The kiosk set this exam database aside as damaged and took the terminal out of service.\n"+
		"terminal: %s\nat: %s\nreason: %s\n", terminal, at.UTC().Format(time.RFC3339), oneLine(cause.Error()))
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = writeAtomic(filepath.Join(dir, base+".txt"), []byte(record), 0o600)
	}
	if err == nil {
		err = moveExamFiles(dataDir, dir, base)
	}
	if err != nil {
		log.Printf("kiosk: keeping the damaged exam database: %v", err)
		d.Detail += "; " + err.Error()
		return d
	}
	d.Kept = filepath.Join(dir, base+".db")
	log.Printf("kiosk: the exam database is damaged; kept in %s: %s", d.Kept, d.Detail)
	return d
}

// keptDamage reports the damaged database kept in dataDir's DamagedDir, nil if the folder is
// empty or absent. It first finishes a move a power cut interrupted: exam files still in the
// data folder join the newest kept record.
func keptDamage(dataDir string) (*DamagedError, error) {
	dataDir = absolute(dataDir)
	dir := filepath.Join(dataDir, DamagedDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var records []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, "exam-") && strings.HasSuffix(name, ".txt") {
			records = append(records, strings.TrimSuffix(name, ".txt"))
		}
	}
	d := &DamagedError{Kept: dir, Detail: "the folder " + dir + " is not empty"}
	if len(records) == 0 {
		return d, nil
	}
	base := slices.Max(records)
	if reason := recordReason(filepath.Join(dir, base+".txt")); reason != "" {
		d.Detail = reason
	}
	if err := moveExamFiles(dataDir, dir, base); err != nil {
		log.Printf("kiosk: keeping the damaged exam database: %v", err)
		d.Detail += "; " + err.Error()
	}
	if _, err := os.Stat(filepath.Join(dir, base+".db")); err == nil {
		d.Kept = filepath.Join(dir, base+".db")
	}
	return d, nil
}

// moveExamFiles moves those of the exam database's files that are in dataDir into dir, named
// base.db, base.db-wal and base.db-shm, and makes the moves durable. It never replaces a file.
func moveExamFiles(dataDir, dir, base string) error {
	moved := false
	for _, suffix := range examFiles {
		from := filepath.Join(dataDir, examDB+suffix)
		to := filepath.Join(dir, base+".db"+suffix)
		if _, err := os.Lstat(from); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if _, err := os.Lstat(to); !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s is in the way of %s", to, from)
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
		moved = true
	}
	if !moved {
		return nil
	}
	return errors.Join(syncDir(dir), syncDir(dataDir))
}

// recordReason is the reason line of a kept record, "" if it cannot be read.
func recordReason(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if reason, ok := strings.CutPrefix(lines.Text(), "reason: "); ok {
			return reason
		}
	}
	return ""
}

// absolute is path made absolute, for the screen that names it; path itself if that fails.
func absolute(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// oneLine keeps a message on one line of the record.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// syncDir makes the renames in a folder durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// closeDamaged closes the kiosk on an exam database found damaged while reading it, and keeps
// the database for the record. Closing lets SQLite fold the -wal into the database: its layout
// on disk changes, nothing in it does.
func (k *Kiosk) closeDamaged(cause error) *DamagedError {
	if err := k.Close(); err != nil {
		log.Printf("kiosk: closing the damaged exam database: %v", err)
	}
	return setAside(k.cfg.DataDir, k.cfg.TerminalID, k.now(), cause)
}
