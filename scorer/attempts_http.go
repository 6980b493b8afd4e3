package scorer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ispit/exam"
	"ispit/sheet"
)

// handleCheckpoint receives a sealed progress checkpoint: 200 with "stored" or "stale" (an
// older one than the scorer keeps, nothing to do), 410 Gone with "moved" when the attempt
// belongs to another terminal now, so that the terminal stops it.
func (s *Service) handleCheckpoint(w http.ResponseWriter, r *http.Request) {
	terminal, key, body, ok := s.readSigned(w, r, sheet.MaxSealedCheckpointSize, "a checkpoint")
	if !ok {
		return
	}
	select {
	case s.cpu <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	opened, err := sheet.OpenCheckpoint(body, terminal, key, s.keys.SheetIdentity)
	<-s.cpu
	switch {
	case errors.Is(err, sheet.ErrSignature):
		s.fail(w, r, http.StatusUnauthorized, err)
		return
	case err != nil:
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	cp := opened.Checkpoint
	rec := attemptRecord(opened, s.cfg.Now())
	if cp.ContinuedExport != nil {
		if err := s.checkExport(r.Context(), cp.ContinuedExport, cp.AttemptID, cp.ContinuedFrom); err != nil {
			s.failIngest(w, r, err)
			return
		}
		rec.ProvenFrom = cp.ContinuedFrom
	}
	if cp.ContinuedFrom != "" {
		// An attempt continued elsewhere may have its sheet here already, from another spare
		// that continued it too (the same export imported twice): that one is the candidate's.
		if stored, err := s.store.Sheet(r.Context(), cp.AttemptID); err == nil && stored.Terminal != terminal {
			writeJSON(w, http.StatusGone, sheet.CheckpointAnswer{Status: sheet.CheckpointStatusMoved, Seq: cp.Seq, Terminal: stored.Terminal,
				Error: fmt.Sprintf("the sheet of attempt %s came from terminal %s", cp.AttemptID, stored.Terminal)})
			return
		}
	}
	res, err := s.points.do(r.Context(), rec)
	if err == nil {
		err = res.Err
	}
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("not stored: %v", err))
		return
	}
	answer := sheet.CheckpointAnswer{Seq: res.Kept.Seq, Terminal: res.Kept.Terminal}
	status := http.StatusOK
	switch res.Outcome {
	case CheckpointStored:
		answer.Status = sheet.CheckpointStatusStored
	case CheckpointTakenOver:
		answer.Status = sheet.CheckpointStatusStored
		s.cfg.Log.Info("attempt taken over without a hand-over", "attempt", res.Kept.AttemptID, "from", res.Kept.MovedFrom, "to", res.Kept.Terminal, "seq", res.Kept.Seq)
	case CheckpointStale:
		answer.Status = sheet.CheckpointStatusStale
	case CheckpointMoved:
		answer.Status, status = sheet.CheckpointStatusMoved, http.StatusGone
		answer.Error = fmt.Sprintf("the attempt %s was moved to terminal %s", res.Kept.AttemptID, res.Kept.Terminal)
	}
	s.metrics.points.WithLabelValues(answer.Status).Inc()
	writeJSON(w, status, answer)
}

// HandoverRefusal is the body of a refused hand-over: the reason's code (HandoverNoAttempt…)
// and the figures the spare terminal shows the proctor. The kiosk reads it from package sheet.
type HandoverRefusal = sheet.HandoverRefusal

// handleHandover answers a spare terminal's request to continue a candidate's running attempt
// with the latest checkpoint, sealed to the spare, once the attempt's terminal has been silent
// for Config.HandoverSilence or the secretary has confirmed the move.
func (s *Service) handleHandover(w http.ResponseWriter, r *http.Request) {
	spare, spareKey, body, ok := s.readSigned(w, r, sheet.MaxHandoverRequestSize, "a hand-over request")
	if !ok {
		return
	}
	req, err := sheet.ReadHandoverRequest(body)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	now := s.cfg.Now()
	if d := now.Sub(req.At); d > 5*time.Minute || d < -5*time.Minute {
		s.refuseHandover(w, r, http.StatusBadRequest, &HandoverError{Reason: HandoverReplayed,
			Err: fmt.Errorf("the request was made at %s, more than 5 minutes from the scorer's time %s", req.At.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))})
		return
	}
	rec, err := s.runningAttemptOf(r, req.Candidate)
	if err != nil {
		s.refuseHandover(w, r, http.StatusNotFound, err)
		return
	}
	if _, err := s.store.Sheet(r.Context(), rec.AttemptID); err == nil {
		rec.State = exam.StateSubmitted // its sheet arrived: nothing to continue
	}
	if err := MayHandOver(rec, spare, now, s.cfg.HandoverSilence, s.cfg.ConfirmValid); err != nil {
		s.refuseHandover(w, r, http.StatusConflict, err)
		return
	}
	cp, err := exam.ReadCheckpoint(rec.Checkpoint)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("the stored checkpoint of attempt %s: %v", rec.AttemptID, err))
		return
	}
	// Sealed before the move is recorded, so that a move is never recorded without its answer.
	file, err := sheet.SealHandover(sheet.Handover{AttemptID: rec.AttemptID, From: cp.Terminal, To: spare, Seq: rec.Seq,
		CheckpointReceivedAt: rec.ReceivedAt, HandedAt: now, ConfirmedBy: rec.ConfirmedBy, Request: req.Nonce},
		&sheet.OpenedCheckpoint{Checkpoint: cp, JSON: rec.Checkpoint, Sig: rec.Signature}, s.keys.Receipt, spareKey)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	detail := map[string]string{"attempt": rec.AttemptID, "from": cp.Terminal, "to": spare, "seq": strconv.FormatInt(rec.Seq, 10)}
	if rec.ConfirmedBy != "" {
		detail["confirmed_by"] = rec.ConfirmedBy
	}
	_, err = s.store.MoveAttempt(r.Context(), Move{AttemptID: rec.AttemptID, From: rec.Terminal, To: spare, Seq: rec.Seq, Nonce: req.Nonce, At: now},
		Audit("terminal:"+spare, AuditAttemptMoved, rec.Candidate, now, detail))
	switch {
	case errors.Is(err, ErrReplayed):
		s.refuseHandover(w, r, http.StatusConflict, &HandoverError{Reason: HandoverReplayed, Terminal: rec.Terminal, Err: err})
		return
	case errors.Is(err, ErrConflict):
		s.refuseHandover(w, r, http.StatusConflict, &HandoverError{Reason: HandoverChanged, Terminal: rec.Terminal, Err: err})
		return
	case err != nil:
		s.fail(w, r, http.StatusServiceUnavailable, err)
		return
	}
	s.metrics.moves.Inc()
	s.cfg.Log.Info("attempt handed over", "attempt", rec.AttemptID, "from", rec.Terminal, "to", spare, "seq", rec.Seq)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(file)
}

// handleAdmission answers a terminal's question whether a candidate sits a part elsewhere: the
// newest attempt of the candidate at that part of that bank on another terminal, submitted
// when its sheet arrived; an empty answer when there is none.
func (s *Service) handleAdmission(w http.ResponseWriter, r *http.Request) {
	terminal, _, body, ok := s.readSigned(w, r, sheet.MaxHandoverRequestSize, "an admission check")
	if !ok {
		return
	}
	check, err := sheet.ReadAdmissionCheck(body)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	list, err := s.store.AttemptsOf(r.Context(), check.Candidate)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, err)
		return
	}
	var answer sheet.AdmissionAnswer
	for _, a := range list {
		if a.BankID != check.BankID || a.Part != check.Part || a.Terminal == terminal {
			continue
		}
		answer = sheet.AdmissionAnswer{Attempt: a.AttemptID, Terminal: a.Terminal, State: a.State}
		if _, err := s.store.Sheet(r.Context(), a.AttemptID); err == nil {
			answer.State = exam.StateSubmitted
		}
		break
	}
	writeJSON(w, http.StatusOK, answer)
}

// movedAway refuses with 410 Gone the sheet of an attempt that was moved away from the
// terminal that sealed it: the candidate continued elsewhere, and their sheet comes from there.
// A sheet whose attempt was continued from the terminal the scorer has it on, without a
// hand-over (an export on removable media, its checkpoints not received yet), is the
// candidate's sheet and is taken.
func (s *Service) movedAway(ctx context.Context, h *sheet.Header, plain *exam.Sheet) error {
	rec, err := s.store.AttemptState(ctx, h.SheetID)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return refuse(http.StatusServiceUnavailable, "looking up attempt %s: %v", h.SheetID, err)
	case rec.Terminal == h.Terminal:
		return nil
	}
	if plain != nil {
		if from, export := plain.Continuation(); from == rec.Terminal && export != nil {
			if err := s.checkExport(ctx, export, h.SheetID, rec.Terminal); err != nil {
				return err
			}
			s.cfg.Log.Info("the sheet of an attempt continued without a hand-over", "attempt", h.SheetID, "from", rec.Terminal, "to", h.Terminal)
			return nil
		}
	}
	return &IngestError{Status: http.StatusGone, MovedTo: rec.Terminal, Err: fmt.Errorf("the attempt %s was moved to terminal %s at %s: the sheet of terminal %s is not accepted, the candidate's sheet comes from %s",
		h.SheetID, rec.Terminal, rec.MovedAt.UTC().Format(time.RFC3339), h.Terminal, rec.Terminal)}
}

// checkExport checks that p, which a spare sent with an attempt's checkpoint or sheet, is the
// signed export of that attempt by terminal from, with from's enrolled key: the proof that the
// attempt left from for removable media, without which the scorer moves nothing it did not hand
// over. The error is an *IngestError: 401 for a signature or a terminal not enrolled, 400 for
// the rest.
func (s *Service) checkExport(ctx context.Context, p *exam.ExportProof, attemptID, from string) error {
	key, err := s.terminalKey(ctx, from)
	if err != nil {
		return err
	}
	err = sheet.CheckExportProof(p, key, attemptID, from)
	switch {
	case errors.Is(err, sheet.ErrSignature):
		return refuse(http.StatusUnauthorized, "the attempt's export: %v", err)
	case err != nil:
		return refuse(http.StatusBadRequest, "the attempt's export: %v", err)
	}
	return nil
}

// runningAttemptOf is the candidate's attempt that the scorer has a checkpoint of and that is
// not submitted: the newest such.
func (s *Service) runningAttemptOf(r *http.Request, candidate string) (*AttemptRecord, error) {
	list, err := s.store.AttemptsOf(r.Context(), candidate)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if a.State != exam.StateSubmitted {
			return a, nil
		}
	}
	if len(list) > 0 {
		return list[0], nil
	}
	return nil, &HandoverError{Reason: HandoverNoAttempt, Err: fmt.Errorf("the scorer has no checkpoint of an attempt of candidate %q", clipID(candidate))}
}

// refuseHandover answers a refused hand-over with its reason.
func (s *Service) refuseHandover(w http.ResponseWriter, r *http.Request, status int, err error) {
	s.cfg.Log.Info("hand-over refused", "status", status, "terminal", r.Header.Get(sheet.HeaderTerminal), "reason", err.Error())
	body := HandoverRefusal{Error: err.Error()}
	var he *HandoverError
	if errors.As(err, &he) {
		body.Reason, body.Terminal = he.Reason, he.Terminal
		body.SilentS, body.NeededS = int64(he.Silent/time.Second), int64(he.Needed/time.Second)
	}
	writeJSON(w, status, body)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// clipID shortens an id from a request for a message.
func clipID(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
