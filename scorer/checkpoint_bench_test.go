package scorer_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"ispit/exam"
	"ispit/sheet"
)

// BenchmarkCheckpointIngest is the scorer's cost of a progress checkpoint over HTTP on
// loopback (kept-alive connections, 16 at a time): the request signature, the decryption, the
// terminal's signature, the strict decoding and the batched store. cpu-µs/op counts the
// process's CPU, so it includes the client's side of HTTP. The target of 2,000 terminals
// checkpointing every 5 s (400 a second) within 25 % of one core is 625 µs a checkpoint:
//
//	go test ./scorer -run '^$' -bench CheckpointIngest -benchtime 4000x
func BenchmarkCheckpointIngest(b *testing.B) {
	svc, terminal, _, keys := benchSheets(b, 1)
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()
	const attempts = 2000
	type upload struct {
		body []byte
		sig  string
	}
	uploads := make([]upload, b.N)
	for i := range uploads {
		items := make([]exam.SheetItem, 21)
		for k := range items {
			items[k] = exam.SheetItem{ID: fmt.Sprintf("pub-%02d", k), Options: []string{"a", "b", "c", "d"}}
			if k < i%22 {
				items[k].Answer = "b"
			}
		}
		cp := &exam.Checkpoint{Format: exam.CheckpointFormat, AttemptID: fmt.Sprintf("a-%05d", i%attempts), Seq: int64(1 + i/attempts),
			Terminal: "T-01", Session: "x", ProgramVersion: "b", Candidate: exam.SheetPerson{Code: fmt.Sprintf("C%d", i%attempts)},
			BankID: "b", ManifestSHA256: "00", Part: "public", Language: "bs", State: exam.StateRunning,
			AllowanceMS: 1_800_000, UsedMS: int64(i) * 10, MadeAt: time.Now(), Items: items}
		sealed, err := sheet.SealCheckpoint(cp, terminal, keys.SheetRecipient)
		if err != nil {
			b.Fatal(err)
		}
		sig, err := sheet.SignRequest(terminal, "T-01", http.MethodPost, "/v1/checkpoints", sealed)
		if err != nil {
			b.Fatal(err)
		}
		uploads[i] = upload{sealed, sig}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	b.SetParallelism(8)
	reportCPU(b, func() {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				u := uploads[next.Add(1)-1]
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/checkpoints", bytes.NewReader(u.body))
				req.Header.Set(sheet.HeaderTerminal, "T-01")
				req.Header.Set(sheet.HeaderSignature, u.sig)
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Errorf("status %d", res.StatusCode)
					return
				}
			}
		})
	})
}
