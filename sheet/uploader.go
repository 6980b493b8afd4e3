package sheet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/exam"
)

// Outbox is the kiosk's queue of sealed sheets; *exam.Engine is one.
type Outbox interface {
	Undelivered() ([]exam.OutboxEntry, error)
	RecordUploadFailure(sheetID, reason string) error
	RecordDelivery(sheetID string, receipt []byte, code string) error
}

// Uploader delivers the outbox to the scorer: every undelivered sheet is sent until the scorer
// returns a receipt that verifies, with exponential backoff and jitter between failed rounds.
// The queue is durable, so a restart simply starts again; the same sheet sent twice yields the
// same receipt.
type Uploader struct {
	Outbox     Outbox
	Client     *http.Client // with the pinned TLS configuration
	ScorerURL  string       // e.g. https://10.0.0.5:8443
	TerminalID string
	Terminal   ssh.Signer    // the terminal key, which signs requests
	ReceiptKey ssh.PublicKey // the scorer's receipt key, from the enrolment file
	// MinBackoff and MaxBackoff bound the wait after a failed round; defaults 1 s and 2 min.
	MinBackoff, MaxBackoff time.Duration

	kickOnce sync.Once
	kick     chan struct{}
}

func (u *Uploader) kicks() chan struct{} {
	u.kickOnce.Do(func() { u.kick = make(chan struct{}, 1) })
	return u.kick
}

// Kick asks the uploader to try now (a sheet was just queued, or the proctor asked).
func (u *Uploader) Kick() {
	select {
	case u.kicks() <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (u *Uploader) Run(ctx context.Context) {
	minB, maxB := u.MinBackoff, u.MaxBackoff
	if minB <= 0 {
		minB = time.Second
	}
	if maxB < minB {
		maxB = max(2*time.Minute, minB)
	}
	backoff := minB
	for {
		wait := 30 * time.Second
		failed, retryAfter := u.DeliverAll(ctx)
		if failed > 0 {
			// Full jitter: terminals that failed together do not retry together.
			wait = max(retryAfter, time.Duration(rand.Int64N(int64(backoff)+1)))
			backoff = min(2*backoff, maxB)
		} else {
			backoff = minB
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-u.kicks():
			t.Stop()
		case <-t.C:
		}
	}
}

// DeliverAll sends every undelivered sheet once and returns how many failed, and the longest
// Retry-After the scorer asked for.
func (u *Uploader) DeliverAll(ctx context.Context) (failed int, retryAfter time.Duration) {
	entries, err := u.Outbox.Undelivered()
	if err != nil {
		return 1, 0
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			return failed + 1, 0
		}
		ra, err := u.Deliver(ctx, e)
		if err != nil {
			failed++
			retryAfter = max(retryAfter, ra)
			u.Outbox.RecordUploadFailure(e.SheetID, err.Error())
		}
	}
	return failed, retryAfter
}

// Deliver uploads one sheet and records its verified receipt.
func (u *Uploader) Deliver(ctx context.Context, e exam.OutboxEntry) (retryAfter time.Duration, err error) {
	const path = "/v1/sheets"
	sig, err := SignRequest(u.Terminal, u.TerminalID, http.MethodPost, path, e.Sealed)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(u.ScorerURL, "/")+path, bytes.NewReader(e.Sealed))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(HeaderTerminal, u.TerminalID)
	req.Header.Set(HeaderSignature, sig)
	req.Header.Set(HeaderIdempotencyKey, e.SheetID)
	client := u.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("the scorer cannot be reached: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, fmt.Errorf("reading the scorer's answer: %v", err)
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
	default:
		var e struct {
			Error string `json:"error"`
		}
		json.Unmarshal(body, &e)
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return time.Duration(secs) * time.Second, fmt.Errorf("the scorer refused the sheet (%s): %s", resp.Status, e.Error)
	}
	// VerifyReceipt also checks that the receipt names this sheet and these exact bytes.
	receipt, err := VerifyReceipt(body, u.ReceiptKey, e.Sealed)
	if err != nil {
		return 0, fmt.Errorf("the scorer's receipt does not verify: %w", err)
	}
	return 0, u.Outbox.RecordDelivery(e.SheetID, body, receipt.Code)
}
