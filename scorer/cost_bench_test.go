package scorer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation, which is what bounds the sheets a second on a
// machine whose cores are all busy.
func reportCPU(b *testing.B, run func()) {
	b.Helper()
	start := processCPU()
	b.ResetTimer()
	run()
	b.StopTimer()
	b.ReportMetric(float64((processCPU()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkIngestCost takes the scorer's work per uploaded sheet apart, so that the sustained
// rate the load test measures can be traced to its parts: the checks every sheet needs (three
// Ed25519 signature checks: the request, header.json and sheet.json; the decryption; the
// strict decoding of the plain sheet; three SHA-256 digests of the upload: the request's, the
// header's binding of sheet.age, the receipt's), the receipt's signature, the durable store and
// the cost of HTTP on loopback. Run it on a quiet machine:
//
//	go test ./scorer -run '^$' -bench IngestCost -benchtime 2000x
func BenchmarkIngestCost(b *testing.B) {
	_, terminal, sealed, keys := benchSheets(b, 4000)
	opened, err := sheet.Open(sealed[0], terminal.PublicKey(), keys.SheetIdentity)
	if err != nil {
		b.Fatal(err)
	}
	plain := opened.SheetJSON

	b.Run("ed25519-request-signature", func(b *testing.B) {
		sig, _ := sheet.SignRequest(terminal, "T-01", http.MethodPost, "/v1/sheets", sealed[0])
		reportCPU(b, func() {
			for range b.N {
				if err := sheet.VerifyRequest(sig, "T-01", http.MethodPost, "/v1/sheets", sealed[0], terminal.PublicKey()); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("mlkem768x25519-decrypt", func(b *testing.B) {
		var enc bytes.Buffer
		w, _ := age.Encrypt(&enc, keys.SheetRecipient)
		w.Write(plain)
		w.Close()
		reportCPU(b, func() {
			for range b.N {
				r, err := age.Decrypt(bytes.NewReader(enc.Bytes()), keys.SheetIdentity)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, r)
			}
		})
	})
	b.Run("open-whole-sheet", func(b *testing.B) {
		reportCPU(b, func() {
			for i := range b.N {
				if _, err := sheet.Open(sealed[i%len(sealed)], terminal.PublicKey(), keys.SheetIdentity); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("strict-decode-sheet", func(b *testing.B) {
		reportCPU(b, func() {
			for range b.N {
				dec := json.NewDecoder(bytes.NewReader(plain))
				dec.DisallowUnknownFields()
				var s exam.Sheet
				if err := dec.Decode(&s); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("sha256-sealed", func(b *testing.B) {
		reportCPU(b, func() {
			for i := range b.N {
				sha256.Sum256(sealed[i%len(sealed)])
			}
		})
	})
	b.Run("receipt", func(b *testing.B) {
		reportCPU(b, func() {
			for i := range b.N {
				r := sheet.NewReceipt("s", sealed[i%len(sealed)], time.Now())
				if _, err := sheet.SignReceipt(r, keys.Receipt); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("http-loopback-15KB", func(b *testing.B) {
		body := bytes.Repeat([]byte("x"), 15<<10)
		reply := bytes.Repeat([]byte("r"), 600)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusCreated)
			w.Write(reply)
		}))
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.SetParallelism(16)
		reportCPU(b, func() {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					res, err := client.Post(srv.URL, "application/octet-stream", bytes.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		})
	})
	b.Run("store-batches-of-64", func(b *testing.B) {
		store, err := scorer.OpenSQLite(b.TempDir() + "/cost.db")
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		records := make([]*scorer.SheetRecord, 64)
		n := 0
		reportCPU(b, func() {
			for done := 0; done < b.N; done += len(records) {
				for i := range records {
					n++
					records[i] = &scorer.SheetRecord{SheetID: "s-" + time.Now().Format("150405.000000000") + "-" + string(rune('a'+i%26)) + itoa(n),
						Terminal: "T-01", Session: "x", BankID: "b", SealedSHA256: itoa(n), Sealed: sealed[n%len(sealed)], Plain: plain,
						ReceivedAt: time.Now(), Receipt: reply600, ReceiptCode: itoa(n)}
				}
				for _, r := range store.PutSheets(context.Background(), records) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
		})
	})
}

var reply600 = bytes.Repeat([]byte("r"), 600)

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(buf[i:])
		}
	}
}
