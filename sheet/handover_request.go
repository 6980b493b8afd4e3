package sheet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"filippo.io/age"
)

// HandoverRefusedError is the scorer's refusal of a hand-over request (404 or 409), with the
// reason and figures of its answer.
type HandoverRefusedError struct {
	Status int
	HandoverRefusal
}

func (e *HandoverRefusedError) Error() string {
	return fmt.Sprintf("the scorer refused the hand-over (%d %s): %s", e.Status, e.Reason, e.HandoverRefusal.Error)
}

// RequestHandover asks the scorer to hand this terminal the running attempt of candidate
// (POST /v1/handovers, signed like an upload, with a new nonce and the time at), and opens
// and checks the answer with id, the terminal's own age identity (OpenHandover: the scorer's
// receipt key, this terminal, this request). A refusal is a *HandoverRefusedError.
func (u *Uploader) RequestHandover(ctx context.Context, candidate string, id age.Identity, at time.Time) (*OpenedHandover, error) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	req := HandoverRequest{Format: FormatHandoverRequest, Candidate: candidate, Nonce: hex.EncodeToString(nonce), At: at.UTC()}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	if _, err := ReadHandoverRequest(body); err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	resp, answer, err := u.postLimited(ctx, "/v1/handovers", body, "", MaxSealedCheckpointSize+1)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return OpenHandover(answer, id, u.TerminalID, req.Nonce, u.ReceiptKey)
	case http.StatusNotFound, http.StatusConflict:
		refused := &HandoverRefusedError{Status: resp.StatusCode}
		if err := json.Unmarshal(answer, &refused.HandoverRefusal); err == nil && refused.Reason != "" {
			return nil, refused
		}
	}
	var e struct {
		Error string `json:"error"`
	}
	json.Unmarshal(answer, &e)
	return nil, fmt.Errorf("the scorer refused the hand-over request (%s): %s", resp.Status, e.Error)
}
