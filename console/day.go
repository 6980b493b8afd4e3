package console

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"ispit/bank"
	"ispit/exam"
	"ispit/scorer"
)

// The exam day: what has arrived, from which session and terminal, for which position, what
// waits for grading and what is held; the page reloads itself.

// dayRefreshSeconds is how often the exam day page reloads.
const dayRefreshSeconds = 10

type dayCount struct {
	Key      string
	Sheets   int
	Held     int
	First    time.Time
	Last     time.Time
	Sessions int // for a terminal: the sessions it sent sheets of
}

func (d *dayCount) add(bs *scorer.BoardSheet) {
	d.Sheets++
	if bs.Result == nil {
		d.Held++
	}
	at := bs.Record.ReceivedAt
	if d.First.IsZero() || at.Before(d.First) {
		d.First = at
	}
	if at.After(d.Last) {
		d.Last = at
	}
}

type dayPosition struct {
	Code          string
	Public        int
	Professional  int
	TasksPending  int
	TasksDisputed int
}

type dayData struct {
	Sheets, Scored int
	Last           time.Time
	Sessions       []dayCount
	Terminals      []dayCount
	Silent         []string // registered terminals that sent nothing
	Positions      []dayPosition
	Held           []scorer.Held
	Refresh        int
	// Live are the attempts that need an eye (not submitted, or a candidate signed in twice),
	// from their terminals' checkpoints; Done the submitted ones.
	Live, Done              []liveRow
	Running, Quiet, Doubled int // attempts running or paused; silent ones; duplicated sittings
}

// liveRow is an attempt of the exam day with what the page shows of it.
type liveRow struct {
	scorer.LiveAttempt
	PartName string // the part's title in the member's language
	SilentS  int    // seconds without a checkpoint, 0 when not silent
	Left     string // the time left as m:ss
	Others   string // the other terminals of the same sitting, comma-separated
	CanAllow bool   // the secretary may let it move to a spare terminal now
}

func (c *Console) dayPage(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	terminals, err := c.store.Terminals(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	d := dayData{Held: sn.Report().Held, Refresh: dayRefreshSeconds}
	sessions, byTerminal := map[string]*dayCount{}, map[string]*dayCount{}
	termSessions := map[string]map[string]bool{}
	positions := map[string]*dayPosition{}
	for _, bs := range sn.Sheets {
		d.Sheets++
		if bs.Result != nil {
			d.Scored++
		}
		if bs.Record.ReceivedAt.After(d.Last) {
			d.Last = bs.Record.ReceivedAt
		}
		rec := bs.Record
		if sessions[rec.Session] == nil {
			sessions[rec.Session] = &dayCount{Key: rec.Session}
		}
		sessions[rec.Session].add(bs)
		if byTerminal[rec.Terminal] == nil {
			byTerminal[rec.Terminal] = &dayCount{Key: rec.Terminal}
			termSessions[rec.Terminal] = map[string]bool{}
		}
		byTerminal[rec.Terminal].add(bs)
		termSessions[rec.Terminal][rec.Session] = true
		if bs.Sheet == nil {
			continue
		}
		code := bs.Sheet.Candidate.Position
		if positions[code] == nil {
			positions[code] = &dayPosition{Code: code}
		}
		p := positions[code]
		if bs.Result == nil {
			continue
		}
		if bs.Result.Kind == bank.PartPublic {
			p.Public++
		} else {
			p.Professional++
		}
		for _, ir := range bs.Result.Items {
			switch {
			case ir.Disputed:
				p.TasksDisputed++
			case ir.Pending:
				p.TasksPending++
			}
		}
	}
	for _, s := range sessions {
		d.Sessions = append(d.Sessions, *s)
	}
	for id, t := range byTerminal {
		t.Sessions = len(termSessions[id])
		d.Terminals = append(d.Terminals, *t)
	}
	for _, t := range terminals {
		if byTerminal[t.ID] == nil {
			d.Silent = append(d.Silent, t.ID)
		}
	}
	for _, p := range positions {
		d.Positions = append(d.Positions, *p)
	}
	byLast := func(a, b dayCount) int { return cmp.Or(b.Last.Compare(a.Last), cmp.Compare(a.Key, b.Key)) }
	slices.SortFunc(d.Sessions, byLast)
	slices.SortFunc(d.Terminals, func(a, b dayCount) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(d.Positions, func(a, b dayPosition) int { return cmp.Compare(a.Code, b.Code) })
	attempts, err := c.store.Attempts(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	for _, a := range scorer.Live(attempts, sn.Sheets, c.cfg.Now()) {
		row := liveRow{LiveAttempt: a, PartName: a.Part, SilentS: int(a.Silent / time.Second), Left: minutesSeconds(a.TimeLeft), Others: strings.Join(a.Elsewhere, ", ")}
		if key, ok := sn.Keys[a.BankID]; ok {
			for _, p := range key.Parts {
				if p.ID == a.Part {
					row.PartName = r.view.L.Text(p.Title)
				}
			}
		}
		open := a.State == exam.StateRunning || a.State == exam.StatePaused
		row.CanAllow = open && !a.SheetArrived && a.ConfirmedBy == ""
		if open {
			d.Running++
		}
		if a.Silent > 0 {
			d.Quiet++
		}
		if len(a.Elsewhere) > 0 {
			d.Doubled++
		}
		if a.State == exam.StateSubmitted && len(a.Elsewhere) == 0 {
			d.Done = append(d.Done, row)
		} else {
			d.Live = append(d.Live, row)
		}
	}
	r.view.Refresh = dayRefreshSeconds
	c.render(w, r.view, http.StatusOK, "day", d)
}

// minutesSeconds writes a duration as m:ss.
func minutesSeconds(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// allowMove records the secretary's leave for an attempt to continue on a spare terminal at
// once, before its terminal has been silent for a minute (a proctor reported the PC dead).
func (c *Console) allowMove(w http.ResponseWriter, r *request) {
	id := r.PathValue("attempt")
	now := c.cfg.Now()
	rec, err := c.store.AttemptState(r.Context(), id)
	if errors.Is(err, scorer.ErrNotFound) || (err == nil && rec.State != exam.StateRunning && rec.State != exam.StatePaused) {
		c.status(w, r.view, http.StatusNotFound, "console.day.no_such_attempt")
		return
	}
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	audit := scorer.Audit(r.user.Name, scorer.AuditMoveConfirmed, rec.Candidate, now, map[string]string{"attempt": id, "from": rec.Terminal})
	if err := c.store.ConfirmMove(r.Context(), id, r.user.Name, now, audit); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.day.move_allowed")
	http.Redirect(w, r.Request, "/day", http.StatusSeeOther)
}
