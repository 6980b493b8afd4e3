package exam

import (
	"bytes"
	"path/filepath"
	"testing"
)

// prefixSealer stands in for the sheet package: the engine's contract is only that what Seal
// returns is queued with the submission.
type prefixSealer struct{ infos []SealInfo }

func (p *prefixSealer) Seal(plain []byte, info SealInfo) ([]byte, error) {
	p.infos = append(p.infos, info)
	return append([]byte("sealed:"), plain...), nil
}

func TestSubmissionQueuesTheSealedSheet(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	sealer := &prefixSealer{}
	open := func() *Engine {
		e, err := Open(filepath.Join(dir, "exam.db"), Options{TerminalID: "T-01", Secret: testSecret, Clock: clock, Sealer: sealer})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := open()
	f := demoFixture(t)
	s, err := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
	if err != nil {
		t.Fatal(err)
	}
	a := beginPublic(t, s, "DEMO-0001")
	sheet, err := a.Submit()
	if err != nil {
		t.Fatal(err)
	}
	if len(sealer.infos) != 1 || sealer.infos[0].SheetID != a.ID() || sealer.infos[0].BankID != "demo-2026" || sealer.infos[0].Terminal != "T-01" {
		t.Fatalf("seal info %+v", sealer.infos)
	}
	if err := e.RecordUploadFailure(a.ID(), "connection refused"); err != nil {
		t.Fatal(err)
	}
	e.Close()

	e = open()
	defer e.Close()
	waiting, err := e.Undelivered()
	if err != nil || len(waiting) != 1 {
		t.Fatalf("undelivered after restart: %v, %v", waiting, err)
	}
	w := waiting[0]
	if !bytes.Equal(w.Sealed, append([]byte("sealed:"), sheet...)) || w.Tries != 1 || w.LastError != "connection refused" || w.Candidate != "DEMO-0001" || w.Part != "public" {
		t.Fatalf("entry %+v", w)
	}
	ch, cancel := e.Subscribe()
	defer cancel()
	if err := e.RecordDelivery(a.ID(), []byte("receipt"), "ABCDE-FGHJK"); err != nil {
		t.Fatal(err)
	}
	if err := e.RecordDelivery(a.ID(), []byte("other"), "ZZZZZ-ZZZZZ"); err != nil {
		t.Fatal(err)
	}
	got := drain(ch, NotifyDelivered)
	if len(got) != 1 || got[0].Receipt != "ABCDE-FGHJK" || got[0].Attempt != a.ID() {
		t.Fatalf("delivered notifications %+v", got)
	}
	all, _ := e.Outbox()
	if len(all) != 1 || !all[0].Delivered() || all[0].ReceiptCode != "ABCDE-FGHJK" || string(all[0].Receipt) != "receipt" {
		t.Fatalf("outbox %+v", all)
	}
	if waiting, _ := e.Undelivered(); len(waiting) != 0 {
		t.Fatalf("still undelivered: %d", len(waiting))
	}
}
