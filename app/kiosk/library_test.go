package kiosk

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/internal/sshsig"
)

// buildDemo builds the demo bank signed with a key of its own, and signs the demo roster with it.
func buildDemo(t *testing.T, dir string) (bankFile, rosterFile string) {
	t.Helper()
	key := filepath.Join(dir, "other.key")
	if err := sshsig.WriteKeyPair(key, key+".pub", "other"); err != nil {
		t.Fatal(err)
	}
	signer, _ := sshsig.LoadSigner(key, nil)
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	roster, _ := bank.SignRoster(assets.DemoRosterCSV(), signer)
	return write(t, dir, "other.bank", built.Bank), write(t, dir, "other.roster", roster)
}

func TestLoadBankRefusedKeepsTheManifest(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	untrusted, untrustedRoster := buildDemo(t, t.TempDir())
	entry, err := k.LoadBank(untrusted)
	if !errors.Is(err, bank.ErrUntrusted) || entry == nil || entry.Err != err || entry.File != untrusted {
		t.Fatalf("%+v, %v", entry, err)
	}
	if entry.Manifest == nil || entry.Manifest.BankID != "demo-2026" {
		t.Errorf("the refused bank's manifest: %+v", entry.Manifest)
	}
	if banks, _ := k.Banks(); len(banks) != 0 {
		t.Errorf("a refused bank is in the library: %+v", banks)
	}
	if _, err := k.LoadRoster(untrustedRoster); !errors.Is(err, bank.ErrUntrusted) {
		t.Errorf("untrusted roster: %v", err)
	}
	if _, err := k.Roster(); !errors.Is(err, ErrNoRoster) {
		t.Errorf("a refused roster was kept: %v", err)
	}
	junk := write(t, f.dir, "junk.bank", []byte("junk"))
	if entry, err := k.LoadBank(junk); !errors.Is(err, bank.ErrMalformed) || entry.Manifest != nil {
		t.Errorf("junk: %+v, %v", entry, err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	huge := filepath.Join(f.dir, "disk.img")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, maxBankFile+1); err != nil { // sparse: no disk space used
		t.Skip(err)
	}
	if _, err := k.LoadBank(huge); !errors.Is(err, bank.ErrMalformed) {
		t.Errorf("bank: %v", err)
	}
	if _, err := k.LoadRoster(huge); !errors.Is(err, bank.ErrMalformed) {
		t.Errorf("roster: %v", err)
	}
	if _, err := k.EnrolFile(huge); !errors.Is(err, ErrNotEnrolmentFile) {
		t.Errorf("enrolment: %v", err)
	}
}

func TestTheOpenSessionsBankAndRosterStay(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	f.enrolTerminal(t, k)
	s := f.startSession(t, k)
	// Another build of the same bank (another start code), and another roster, by the authority.
	signer, _ := sshsig.LoadSigner(filepath.Join(f.dir, "authority.key"), nil)
	def, _ := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := write(t, f.dir, "rebuilt.bank", built.Bank)
	csv := append(append([]byte{}, assets.DemoRosterCSV()...), "\nLATE-01,Late Candidate,DEMO-12/2026,\n"...)
	signed, err := bank.SignRoster(csv, signer)
	if err != nil {
		t.Fatal(err)
	}
	other := write(t, f.dir, "other.roster", signed)

	if _, err := k.LoadBank(rebuilt); !errors.Is(err, ErrBankInUse) {
		t.Errorf("replacing the session's bank: %v", err)
	}
	if _, err := k.LoadRoster(other); !errors.Is(err, ErrRosterInUse) {
		t.Errorf("replacing the session's roster: %v", err)
	}
	if _, err := k.LoadBank(f.bankFile); err != nil {
		t.Errorf("the same bank again: %v", err)
	}
	if _, err := k.LoadRoster(f.rosterFile); err != nil {
		t.Errorf("the same roster again: %v", err)
	}
	if err := s.End("proctor", "end"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.LoadBank(rebuilt); err != nil {
		t.Errorf("after the session: %v", err)
	}
	if r, err := k.LoadRoster(other); err != nil || len(r.Candidates) == 0 {
		t.Errorf("after the session: %v", err)
	}
	if r, _ := k.Roster(); r == nil || r.Candidates[len(r.Candidates)-1].Code != "LATE-01" {
		t.Error("the new roster was not kept")
	}
}
