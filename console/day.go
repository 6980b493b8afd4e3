package console

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"ispit/bank"
	"ispit/scorer"
)

// The exam day: what has arrived, from which session and terminal, for which position, what
// waits for grading and what is held; the page reloads itself.

// dayRefreshSeconds is how often the exam day page reloads.
const dayRefreshSeconds = 15

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
	r.view.Refresh = dayRefreshSeconds
	c.render(w, r.view, http.StatusOK, "day", d)
}
