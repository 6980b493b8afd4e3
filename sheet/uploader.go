package sheet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// ProgressOutbox is the kiosk's queue of progress checkpoints; *exam.Engine is one.
type ProgressOutbox interface {
	PendingProgress() ([]exam.ProgressEntry, error)
	RecordProgressSent(attemptID string, seq int64) error
	RecordProgressFailure(attemptID, reason string) error
	// MarkMoved stops an attempt the scorer handed to another terminal.
	MarkMoved(attemptID, to string) error
}

// Uploader delivers the outbox to the scorer: every undelivered sheet is sent until the scorer
// returns a receipt that verifies, with exponential backoff and jitter between failed rounds.
// The queue is durable, so a restart simply starts again; the same sheet sent twice yields the
// same receipt.
type Uploader struct {
	Outbox     Outbox
	Progress   ProgressOutbox // progress checkpoints to send after the sheets; nil: none
	Client     *http.Client   // with the pinned TLS configuration
	ScorerURL  string         // e.g. https://10.0.0.5:8443
	TerminalID string
	Terminal   ssh.Signer    // the terminal key, which signs requests
	ReceiptKey ssh.PublicKey // the scorer's receipt key, from the enrolment file
	// MinBackoff and MaxBackoff bound the wait after a failed round; defaults 1 s and 2 min.
	MinBackoff, MaxBackoff time.Duration

	kickOnce   sync.Once
	kick       chan struct{}
	backingOff atomic.Bool // the last round failed: Run waits before the next
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

// KickProgress asks the uploader to send progress checkpoints now, unless it is waiting after
// a failed round: checkpoints are made every few seconds, and must not hurry a scorer that is
// down or asked for time.
func (u *Uploader) KickProgress() {
	if !u.backingOff.Load() {
		u.Kick()
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
		u.backingOff.Store(failed > 0)
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

// DeliverAll sends every undelivered sheet once, then every progress checkpoint waiting, and
// returns how many failed, and the longest Retry-After the scorer asked for.
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
		var moved *MovedError
		switch {
		case errors.As(err, &moved) && u.Progress != nil:
			u.Progress.MarkMoved(e.AttemptID, moved.To)
		case err != nil:
			failed++
			retryAfter = max(retryAfter, ra)
			u.Outbox.RecordUploadFailure(e.SheetID, err.Error())
		}
	}
	if u.Progress == nil {
		return failed, retryAfter
	}
	progress, err := u.Progress.PendingProgress()
	if err != nil {
		return failed + 1, retryAfter
	}
	for _, p := range progress {
		if ctx.Err() != nil {
			return failed + 1, retryAfter
		}
		if err := u.SendProgress(ctx, p); err != nil {
			failed++
			u.Progress.RecordProgressFailure(p.AttemptID, err.Error())
		}
	}
	return failed, retryAfter
}

// MovedError is the scorer's answer that an attempt was handed to another terminal (410 Gone):
// this terminal must stop it, and its sheet of it is not wanted.
type MovedError struct {
	AttemptID, To string
}

func (e *MovedError) Error() string {
	return fmt.Sprintf("the attempt %s was moved to terminal %s", e.AttemptID, e.To)
}

// SendProgress sends one progress checkpoint and records what the scorer kept. An attempt the
// scorer moved to another terminal is stopped here (ProgressOutbox.MarkMoved).
func (u *Uploader) SendProgress(ctx context.Context, p exam.ProgressEntry) error {
	resp, body, err := u.post(ctx, "/v1/checkpoints", p.Sealed, "")
	if err != nil {
		return err
	}
	var answer CheckpointAnswer
	if err := json.Unmarshal(body, &answer); err != nil && resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusGone {
		return fmt.Errorf("the scorer refused the checkpoint (%s)", resp.Status)
	} else if err != nil {
		return fmt.Errorf("the scorer's answer to a checkpoint is not JSON: %v", err)
	}
	switch {
	case resp.StatusCode == http.StatusGone && answer.Status == CheckpointStatusMoved:
		u.Progress.RecordProgressSent(p.AttemptID, p.Seq)
		return u.Progress.MarkMoved(p.AttemptID, answer.Terminal)
	case resp.StatusCode == http.StatusOK:
		return u.Progress.RecordProgressSent(p.AttemptID, p.Seq)
	}
	return fmt.Errorf("the scorer refused the checkpoint (%s): %s", resp.Status, answer.Error)
}

// post sends body to path on the scorer, signed as this terminal, and returns the answer.
func (u *Uploader) post(ctx context.Context, path string, body []byte, idempotencyKey string) (*http.Response, []byte, error) {
	return u.postLimited(ctx, path, body, idempotencyKey, 1<<20)
}

// postLimited is post for an answer of at most limit bytes.
func (u *Uploader) postLimited(ctx context.Context, path string, body []byte, idempotencyKey string, limit int64) (*http.Response, []byte, error) {
	sig, err := SignRequest(u.Terminal, u.TerminalID, http.MethodPost, path, body)
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(u.ScorerURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(HeaderTerminal, u.TerminalID)
	req.Header.Set(HeaderSignature, sig)
	if idempotencyKey != "" {
		req.Header.Set(HeaderIdempotencyKey, idempotencyKey)
	}
	client := u.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("the scorer cannot be reached: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the scorer's answer: %v", err)
	}
	return resp, answer, nil
}

// Deliver uploads one sheet and records its verified receipt. A sheet of an attempt that the
// scorer moved to another terminal gets a *MovedError.
func (u *Uploader) Deliver(ctx context.Context, e exam.OutboxEntry) (retryAfter time.Duration, err error) {
	resp, body, err := u.post(ctx, "/v1/sheets", e.Sealed, e.SheetID)
	if err != nil {
		return 0, err
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
	default:
		var e2 struct {
			Error   string `json:"error"`
			MovedTo string `json:"moved_to"`
		}
		json.Unmarshal(body, &e2)
		if resp.StatusCode == http.StatusGone && e2.MovedTo != "" {
			return 0, &MovedError{AttemptID: e.AttemptID, To: e2.MovedTo}
		}
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return time.Duration(secs) * time.Second, fmt.Errorf("the scorer refused the sheet (%s): %s", resp.Status, e2.Error)
	}
	// VerifyReceipt also checks that the receipt names this sheet and these exact bytes.
	receipt, err := VerifyReceipt(body, u.ReceiptKey, e.Sealed)
	if err != nil {
		return 0, fmt.Errorf("the scorer's receipt does not verify: %w", err)
	}
	return 0, u.Outbox.RecordDelivery(e.SheetID, body, receipt.Code)
}

// CheckAdmission asks the scorer whether another terminal holds an attempt of the candidate at
// the part of the bank. A zero answer means none; an error means the scorer could not say
// (out of reach), and the kiosk admits the candidate: the scorer shows a duplicate on arrival.
func (u *Uploader) CheckAdmission(ctx context.Context, bankID, candidate, part string) (*AdmissionAnswer, error) {
	body, err := json.Marshal(AdmissionCheck{Format: FormatAdmissionCheck, BankID: bankID, Candidate: candidate, Part: part})
	if err != nil {
		return nil, err
	}
	resp, answer, err := u.post(ctx, "/v1/admissions", body, "")
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the scorer refused the admission check (%s)", resp.Status)
	}
	var a AdmissionAnswer
	if err := json.Unmarshal(answer, &a); err != nil {
		return nil, fmt.Errorf("the scorer's answer to an admission check is not JSON: %v", err)
	}
	return &a, nil
}
