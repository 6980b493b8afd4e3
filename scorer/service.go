package scorer

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/sheet"
)

// Config tunes the service. The zero value is usable.
type Config struct {
	// MaxActive bounds the uploads whose bodies are read and being opened or stored at once;
	// the others wait their turn unread (see admission). Default 2 × MaxBatch.
	MaxActive int
	// MaxConns bounds the connections the scorer serves at once on a listener from Listener;
	// more are accepted and wait their turn (see connLimit). Default 2048: a kiosk keeps its
	// connection between checkpoints (every 5 s), and beyond the limit the scorer closes idle
	// ones, so that every checkpoint would pay a new connection, with TLS some 1 ms of CPU
	// (BenchmarkConnectionCost); each connection kept costs some 27 KB (docs/scorer-api.md).
	MaxConns int
	// MaxQueued bounds the uploads waiting for their turn with their bodies unread, and, on
	// each listener from Listener, the accepted connections waiting to be served; more
	// uploads are refused at once with 503 and Retry-After, more connections wait in the
	// kernel's accept queue. Default 65536.
	MaxQueued int
	// QueueWait is the longest an upload waits for its turn before it is refused with 503 and
	// Retry-After; it stays below the HTTP server's read time-out. Default 15 s.
	QueueWait time.Duration
	// MaxBatch bounds the sheets, or the checkpoints, stored in one transaction. Default 512.
	MaxBatch int
	// HandoverSilence is how long an attempt's terminal must have sent no checkpoint before a
	// spare terminal may take the attempt over without the secretary's confirmation.
	// Default 60 s: twelve checkpoints missed.
	HandoverSilence time.Duration
	// ConfirmValid is how long the secretary's confirmation that an attempt may move holds.
	// Default 15 min.
	ConfirmValid time.Duration
	// Now is the clock for receipts; nil means time.Now.
	Now func() time.Time
	// Log receives one line per refused upload; nil means slog.Default.
	Log *slog.Logger
}

// Service receives sealed sheets, checks them and stores them durably before it receipts them.
type Service struct {
	store    Store
	keys     *Keys
	cfg      Config
	admit    *admission
	stored   *rateMeter
	metrics  *metrics
	connsMu  sync.Mutex
	conns    []*connLimit
	cpu      chan struct{}
	sheets   *batcher[*SheetRecord, PutResult]
	points   *batcher[*AttemptRecord, CheckpointResult]
	stop     chan struct{}
	done     sync.WaitGroup
	termMu   sync.Mutex
	termKeys map[string]ssh.PublicKey
}

// NewService starts a service over a store with the scorer's keys. Close stops it.
func NewService(store Store, keys *Keys, cfg Config) *Service {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 512
	}
	if cfg.MaxActive <= 0 {
		cfg.MaxActive = 2 * cfg.MaxBatch
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 2048
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = 65536
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = 15 * time.Second
	}
	if cfg.HandoverSilence <= 0 {
		cfg.HandoverSilence = time.Minute
	}
	if cfg.ConfirmValid <= 0 {
		cfg.ConfirmValid = 15 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Service{
		store:    store,
		keys:     keys,
		cfg:      cfg,
		stored:   newRateMeter(cfg.Now),
		cpu:      make(chan struct{}, runtime.GOMAXPROCS(0)),
		stop:     make(chan struct{}),
		termKeys: map[string]ssh.PublicKey{},
	}
	s.admit = newAdmission(cfg.MaxActive, cfg.MaxQueued, cfg.QueueWait, s.stored)
	s.admit.ahead = s.connsWaiting
	s.metrics = newMetrics(s)
	s.sheets = newBatcher(cfg.MaxActive, cfg.MaxBatch, 0, s.storeSheets)
	s.points = newBatcher(cfg.MaxActive, cfg.MaxBatch, checkpointLinger, func(records []*AttemptRecord) []CheckpointResult {
		return s.store.PutCheckpoints(context.Background(), records)
	})
	for _, run := range []func(<-chan struct{}){s.sheets.run, s.points.run} {
		s.done.Go(func() { run(s.stop) })
	}
	return s
}

// checkpointLinger is how long a batch of checkpoints waits for more after its first: at 400
// a second, a transaction then holds some 40 of them instead of one or two.
const checkpointLinger = 100 * time.Millisecond

// Close stops the service after the sheets being stored are durable.
func (s *Service) Close() {
	close(s.stop)
	s.done.Wait()
}

// storeSheets stores a batch of sheets in one transaction.
func (s *Service) storeSheets(records []*SheetRecord) []PutResult {
	results := s.store.PutSheets(context.Background(), records)
	s.stored.add(len(records))
	s.metrics.batch.Observe(float64(len(records)))
	return results
}

// IngestOutcome says what became of an uploaded sheet.
type IngestOutcome int

// The outcomes of Ingest.
const (
	Stored    IngestOutcome = iota // a new sheet, stored and receipted (HTTP 201)
	Duplicate                      // the same sheet again: the same receipt (HTTP 200)
)

// IngestError is a refused sheet with the HTTP status that says why.
type IngestError struct {
	Status     int
	Err        error
	MovedTo    string        // with 410: the terminal the sheet's attempt was moved to
	RetryAfter time.Duration // with 503: when to try again (1 s when zero)
}

func (e *IngestError) Error() string { return e.Err.Error() }
func (e *IngestError) Unwrap() error { return e.Err }

func refuse(status int, format string, args ...any) error {
	return &IngestError{Status: status, Err: fmt.Errorf(format, args...)}
}

// terminalKey returns the public key of an enrolled terminal.
func (s *Service) terminalKey(ctx context.Context, id string) (ssh.PublicKey, error) {
	s.termMu.Lock()
	key, ok := s.termKeys[id]
	s.termMu.Unlock()
	if ok {
		return key, nil
	}
	t, err := s.store.Terminal(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, refuse(http.StatusUnauthorized, "terminal %q is not enrolled", id)
	}
	if err != nil {
		return nil, refuse(http.StatusServiceUnavailable, "looking up terminal %s: %v", id, err)
	}
	key, _, _, _, err = ssh.ParseAuthorizedKey([]byte(t.PublicKey))
	if err != nil {
		return nil, refuse(http.StatusInternalServerError, "terminal %s has a damaged key: %v", id, err)
	}
	s.termMu.Lock()
	s.termKeys[id] = key
	s.termMu.Unlock()
	return key, nil
}

// Ingest checks a sealed sheet — its terminal is enrolled, its signatures and bindings hold,
// it decrypts — and stores it durably. It returns the stored record with its signed receipt.
// The same sheet twice yields the same record; the same id with other content is refused.
func (s *Service) Ingest(ctx context.Context, sealed []byte) (*SheetRecord, IngestOutcome, error) {
	return s.ingest(ctx, sealed, "")
}

// ingest is Ingest for an upload by terminal uploader ("" for an import): a terminal may
// upload only its own sheets.
func (s *Service) ingest(ctx context.Context, sealed []byte, uploader string) (*SheetRecord, IngestOutcome, error) {
	// Opening is the costly part: as many run at once as there are processors, which keeps
	// each quick and memory bounded however many uploads wait.
	select {
	case s.cpu <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, refuse(http.StatusServiceUnavailable, "not stored: %v", ctx.Err())
	}
	var h *sheet.Header
	opened, err := sheet.OpenLookup(sealed, func(hdr *sheet.Header) (ssh.PublicKey, error) {
		h = hdr
		if uploader != "" && hdr.Terminal != uploader {
			return nil, refuse(http.StatusUnauthorized, "terminal %s uploaded a sheet of terminal %s", uploader, hdr.Terminal)
		}
		return s.terminalKey(ctx, hdr.Terminal)
	}, s.keys.SheetIdentity)
	var receipt sheet.Receipt
	var signed []byte
	if err == nil {
		receipt = sheet.NewReceipt(h.SheetID, sealed, s.cfg.Now())
		signed, err = sheet.SignReceipt(receipt, s.keys.Receipt)
		if err != nil {
			err = refuse(http.StatusInternalServerError, "signing the receipt: %v", err)
		}
	}
	<-s.cpu
	if err == nil {
		err = s.movedAway(ctx, h, opened.Sheet)
	}
	var ie *IngestError
	switch {
	case errors.As(err, &ie):
		return nil, 0, err
	case errors.Is(err, sheet.ErrSignature):
		return nil, 0, refuse(http.StatusUnauthorized, "%v", err)
	case errors.Is(err, sheet.ErrTooLarge):
		return nil, 0, refuse(http.StatusRequestEntityTooLarge, "%v", err)
	case err != nil:
		return nil, 0, refuse(http.StatusBadRequest, "%v", err)
	}
	return s.store1(ctx, h, opened, sealed, receipt, signed)
}

// store1 stores one opened sheet through the batcher and waits until it is durable.
func (s *Service) store1(ctx context.Context, h *sheet.Header, opened *sheet.Opened, sealed []byte, receipt sheet.Receipt, signed []byte) (*SheetRecord, IngestOutcome, error) {
	record := &SheetRecord{
		SheetID:      h.SheetID,
		Terminal:     h.Terminal,
		Session:      h.Session,
		BankID:       h.BankID,
		SealedSHA256: hex.EncodeToString(opened.SealedSHA256),
		Sealed:       sealed,
		Plain:        opened.SheetJSON,
		ReceivedAt:   receipt.ReceivedAt,
		Receipt:      signed,
		ReceiptCode:  receipt.Code,
	}
	res, err := s.sheets.do(ctx, record)
	if err != nil {
		return nil, 0, refuse(http.StatusServiceUnavailable, "not stored: %v", err)
	}
	switch {
	case errors.Is(res.Err, ErrConflict):
		return nil, 0, refuse(http.StatusConflict, "%v", res.Err)
	case res.Err != nil:
		return nil, 0, refuse(http.StatusServiceUnavailable, "%v", res.Err)
	case res.Created:
		return res.Record, Stored, nil
	}
	return res.Record, Duplicate, nil
}

// Listener lets srv serve the connections of ln Config.MaxConns at a time; up to
// Config.MaxQueued others are accepted and wait their turn, and beyond that they wait in the
// kernel's queue. srv is the server that serves Handler on it.
func (s *Service) Listener(srv *http.Server, ln net.Listener) net.Listener {
	l := newConnLimit(ln, s.cfg.MaxConns, s.cfg.MaxQueued)
	l.hook(srv)
	s.connsMu.Lock()
	s.conns = append(s.conns, l)
	s.connsMu.Unlock()
	return l
}

// connsWaiting is the number of accepted connections that wait for a place on the listeners.
func (s *Service) connsWaiting() int64 {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	var n int64
	for _, l := range s.conns {
		n += l.waiting()
	}
	return n
}

// connsContended tells whether connections wait for a place on a listener.
func (s *Service) connsContended() bool {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	for _, l := range s.conns {
		if l.contended() {
			return true
		}
	}
	return false
}

// Handler serves the scorer's HTTP API (docs/scorer-api.md).
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/sheets", s.handleSheet)
	mux.HandleFunc("POST /v1/checkpoints", s.handleCheckpoint)
	mux.HandleFunc("POST /v1/handovers", s.handleHandover)
	mux.HandleFunc("POST /v1/admissions", s.handleAdmission)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", s.metrics.handler())
	return mux
}

// health is the body of GET /healthz.
type health struct {
	Status  string `json:"status"`  // "up": the service answers
	Storage string `json:"storage"` // "ok", or "down" with the error
	Error   string `json:"error,omitempty"`
	Queued  int64  `json:"queued"` // uploads waiting for their turn
	Active  int    `json:"active"` // uploads being opened or stored
}

// handleHealth answers 200 when the service is up and its storage answers, and 503 with
// storage "down" when the service is up but cannot store: a load balancer takes the replica
// out, an operator sees which of the two is wrong.
func (s *Service) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	h := health{Status: "up", Storage: "ok", Queued: s.admit.depth(), Active: len(s.admit.active)}
	status := http.StatusOK
	if _, err := s.store.Revision(ctx); err != nil {
		h.Storage, h.Error, status = "down", err.Error(), http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(h)
}

// errorBody is the JSON body of a refusal.
type errorBody struct {
	Error   string `json:"error"`
	MovedTo string `json:"moved_to,omitempty"` // with 410: where the attempt went
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	s.cfg.Log.Info("upload refused", "status", status, "terminal", r.Header.Get(sheet.HeaderTerminal), "remote", r.RemoteAddr, "reason", err.Error())
	s.metrics.refusedFor(status, errors.Is(err, errBusy))
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		retry := time.Second
		var ie *IngestError
		if errors.As(err, &ie) && ie.RetryAfter > retry {
			retry = ie.RetryAfter
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := errorBody{Error: err.Error()}
	var ie *IngestError
	if errors.As(err, &ie) {
		body.MovedTo = ie.MovedTo
	}
	json.NewEncoder(w).Encode(body)
}

func (s *Service) handleSheet(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if r.ContentLength > sheet.MaxSealedSize {
		s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("a sheet is at most %d bytes", sheet.MaxSealedSize))
		return
	}
	if err := s.admit.enter(r.Context()); err != nil {
		s.failIngest(w, r, err)
		return
	}
	defer s.admit.leave()
	terminal, _, body, ok := s.readSigned(w, r, sheet.MaxSealedSize, "a sheet")
	if !ok {
		return
	}
	record, outcome, err := s.ingest(r.Context(), body, terminal)
	if err != nil {
		s.failIngest(w, r, err)
		return
	}
	s.metrics.receipted(outcome, arrived)
	if s.connsContended() {
		w.Header().Set("Connection", "close") // this kiosk has its receipt; its place goes to the next
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(record.Receipt)))
	if outcome == Stored {
		w.WriteHeader(http.StatusCreated)
	}
	w.Write(record.Receipt)
}

// readSigned reads a terminal's request of at most limit bytes (what names it in the refusal)
// and checks its signature by the terminal it names. On failure it has answered, and ok is
// false.
func (s *Service) readSigned(w http.ResponseWriter, r *http.Request, limit int64, what string) (terminal string, key ssh.PublicKey, body []byte, ok bool) {
	tooLarge := func() {
		s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("%s is at most %d bytes", what, limit))
	}
	if r.ContentLength > limit {
		tooLarge()
		return "", nil, nil, false
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge()
		} else {
			s.fail(w, r, http.StatusRequestTimeout, fmt.Errorf("reading the upload: %v", err))
		}
		return "", nil, nil, false
	}
	terminal = r.Header.Get(sheet.HeaderTerminal)
	key, err = s.terminalKey(r.Context(), terminal)
	if err != nil {
		s.failIngest(w, r, err)
		return "", nil, nil, false
	}
	if err := sheet.VerifyRequest(r.Header.Get(sheet.HeaderSignature), terminal, r.Method, r.URL.Path, body, key); err != nil {
		s.fail(w, r, http.StatusUnauthorized, err)
		return "", nil, nil, false
	}
	return terminal, key, body, true
}

// readBody reads a request's body of at most limit bytes, into one buffer of the announced
// length when the client gave it (net/http reads no more than that). Uploads read and waiting
// for the processors hold their bodies, a thousand of them in a burst: a buffer grown past the
// body's length would double what each holds.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	if r.ContentLength <= 0 {
		return io.ReadAll(body)
	}
	buf := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(body, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

func (s *Service) failIngest(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	var ie *IngestError
	if errors.As(err, &ie) {
		status = ie.Status
	}
	s.fail(w, r, status, err)
}

// NewHTTPServer returns an http.Server for the handler with the time-outs a public service
// needs: a client that trickles its request in slowly is cut off.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
}
