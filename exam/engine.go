package exam

import (
	"database/sql"
	"errors"
	"sync"
	"time"
)

// Options configure an engine.
type Options struct {
	// TerminalID names this terminal on sheets and in refusals.
	TerminalID string
	// Secret keys the seals of the event timeline (the terminal secret); at least 16 bytes.
	Secret []byte
	// Clock is the time source; nil means the system clock.
	Clock Clock
	// ProgramVersion is recorded on every sheet.
	ProgramVersion string
	// Sealer seals each sheet at submission, in the same transaction, into the outbox. Nil
	// means sheets are kept plain only (tests of the engine alone).
	Sealer Sealer
	// Progress seals the progress checkpoints of running attempts for the scorer; nil means
	// none are made.
	Progress ProgressSealer
	// ProgressInterval is how often a running attempt's progress is checkpointed; default
	// DefaultProgressInterval.
	ProgressInterval time.Duration
}

// Sealer seals a plain sheet for the scorer: signed by the terminal, encrypted to the scorer.
type Sealer interface {
	Seal(plain []byte, info SealInfo) ([]byte, error)
}

// SealInfo is what the sealed sheet's cleartext header says.
type SealInfo struct {
	SheetID  string
	Terminal string
	Session  string
	BankID   string
	SealedAt time.Time
}

// Timing of the engine's background work.
const (
	tickInterval       = 250 * time.Millisecond
	checkpointInterval = tickInterval           // running time is made durable at every tick
	textFlushDelay     = 500 * time.Millisecond // typing is durable at most this long after a keystroke
)

// Engine runs the attempts of one terminal. It is safe for concurrent use; every method that
// records something returns once it is durable.
type Engine struct {
	mu       sync.Mutex
	db       *sql.DB
	opt      Options
	clock    Clock
	sessions map[string]*Session
	closed   bool

	subMu  sync.Mutex
	subs   map[int]chan Notification
	nextID int

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// Open opens the engine's database at path (creating it if need be), checks it, and starts the
// clock that checkpoints running time and submits attempts whose time is up.
func Open(path string, opt Options) (*Engine, error) {
	if len(opt.Secret) < 16 {
		return nil, errors.New("exam: the terminal secret must be at least 16 bytes")
	}
	if opt.TerminalID == "" {
		return nil, errors.New("exam: a terminal id is required")
	}
	if opt.Clock == nil {
		opt.Clock = NewSystemClock()
	}
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		db:       db,
		opt:      opt,
		clock:    opt.Clock,
		sessions: map[string]*Session{},
		subs:     map[int]chan Notification{},
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go e.run()
	return e, nil
}

// Close stops the clock, makes pending typing durable and closes the database. Running
// attempts stay running: the next Open resumes them where they were.
func (e *Engine) Close() error {
	e.stopOnce.Do(func() { close(e.stop) })
	<-e.done
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	var firstErr error
	for _, s := range e.sessions {
		for _, a := range s.attempts {
			if err := a.flushTextLocked(); err != nil && firstErr == nil {
				firstErr = err
			}
			if a.state == StateRunning {
				if err := e.checkpointLocked([]*Attempt{a}); err != nil && firstErr == nil {
					firstErr = err
				}
			}
		}
	}
	e.closed = true
	if err := e.db.Close(); err != nil && firstErr == nil {
		firstErr = err
	}
	return firstErr
}

// run is the engine's clock: it ticks, checkpoints, flushes typing, warns and times out.
func (e *Engine) run() {
	defer close(e.done)
	t := time.NewTicker(tickInterval)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			e.tick()
		}
	}
}

func (e *Engine) tick() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	var due []*Attempt
	for _, s := range e.sessions {
		for _, a := range s.attempts {
			if a.tickLocked() {
				due = append(due, a)
			}
		}
	}
	e.checkpointLocked(due)
	e.progressLocked()
}

// checkpointLocked makes the running time of these attempts durable, in one transaction.
func (e *Engine) checkpointLocked(attempts []*Attempt) error {
	if len(attempts) == 0 {
		return nil
	}
	type point struct {
		a    *Attempt
		used int64
	}
	points := make([]point, len(attempts))
	err := withTx(e.db, func(tx *sql.Tx) error {
		for i, a := range attempts {
			used := a.usedLocked().Milliseconds()
			points[i] = point{a, used}
			if _, err := tx.Exec(`UPDATE attempts SET used_ms = ?, checkpoint_mac = ? WHERE id = ? AND last_seq = ?`,
				used, checkpointMAC(e.opt.Secret, a.id, a.lastSeq(), used, a.state), a.id, a.lastSeq()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	now := e.clock.Elapsed()
	for _, p := range points {
		p.a.lastCheckpoint = now
	}
	return nil
}

// Subscribe returns a channel of notifications and a function that ends the subscription.
// Notifications are sent without waiting: a subscriber that falls behind misses some, and
// can always ask the attempt for its state.
func (e *Engine) Subscribe() (<-chan Notification, func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	id := e.nextID
	e.nextID++
	ch := make(chan Notification, 256)
	e.subs[id] = ch
	return ch, func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		if _, ok := e.subs[id]; ok {
			delete(e.subs, id)
			close(ch)
		}
	}
}

func (e *Engine) notify(n Notification) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	for _, ch := range e.subs {
		select {
		case ch <- n:
		default:
		}
	}
}

// NotificationKind says what a notification is about.
type NotificationKind int

// The kinds of notification.
const (
	NotifyTick      NotificationKind = iota // the time left changed
	NotifyWarning                           // 10, 5 or 1 minutes are left
	NotifyTimeOut                           // time ran out and the attempt was submitted
	NotifySaved                             // an answer or a batch of typing is durable
	NotifyState                             // the attempt changed state (paused, resumed, submitted…)
	NotifyDelivered                         // the scorer confirmed the attempt's sheet; Receipt holds the code
	NotifyProgress                          // progress checkpoints wait to be sent to the scorer
	NotifyMoved                             // the attempt was handed to another terminal (Terminal)
)

// Notification tells subscribers what happened to an attempt.
type Notification struct {
	Kind     NotificationKind
	Attempt  string
	TimeLeft time.Duration
	// Minutes is the warning's number of minutes left.
	Minutes int
	// Item is the item whose answer was saved.
	Item  string
	State State
	// Receipt is the receipt code of a delivered sheet.
	Receipt string
	// Terminal is the terminal a moved attempt went to.
	Terminal string
}
