package scorer

import (
	"cmp"
	"slices"
	"time"

	"ispit/exam"
)

// SilentAfter is how long an attempt that is not submitted may send no checkpoint before the
// exam day shows it as silent: three checkpoints missed.
const SilentAfter = 3 * exam.DefaultProgressInterval

// LiveAttempt is one attempt as the exam day shows it, from its latest checkpoint and whether
// its sheet arrived.
type LiveAttempt struct {
	AttemptID, Session, Terminal, Candidate, Part, BankID string
	// State is the attempt's state at its latest checkpoint, or submitted once its sheet
	// arrived.
	State        exam.State
	SheetArrived bool
	Answered     int
	Items        int
	// TimeLeft is the time left now: a running attempt has used the time since its
	// checkpoint arrived as well.
	TimeLeft time.Duration
	// Silent is how long the attempt's terminal has sent nothing of it, when that is longer
	// than SilentAfter and the attempt is not submitted; 0 otherwise.
	Silent      time.Duration
	LastSeen    time.Time
	MovedFrom   string
	ConfirmedBy string
	// Elsewhere are the other attempts of the same candidate at the same part of the same
	// bank (their terminals): a candidate who signed in twice, which the kiosks refuse when
	// they can reach the scorer, and the scorer shows when they could not.
	Elsewhere []string
}

// Live is the exam day's view of the attempts: one row per attempt the scorer has a checkpoint
// or a sheet of, by session, terminal and candidate, with the duplicates marked.
func Live(attempts []*AttemptRecord, sheets []*BoardSheet, now time.Time) []LiveAttempt {
	rows := make([]LiveAttempt, 0, len(attempts))
	index := map[string]int{}
	for _, a := range attempts {
		row := LiveAttempt{AttemptID: a.AttemptID, Session: a.Session, Terminal: a.Terminal, Candidate: a.Candidate, Part: a.Part,
			BankID: a.BankID, State: a.State, Answered: a.Answered, Items: a.Items, LastSeen: a.ReceivedAt,
			MovedFrom: a.MovedFrom, ConfirmedBy: a.ConfirmedBy, TimeLeft: a.TimeLeft()}
		if a.State == exam.StateRunning {
			row.TimeLeft = max(row.TimeLeft-now.Sub(a.ReceivedAt), 0)
		}
		index[a.AttemptID] = len(rows)
		rows = append(rows, row)
	}
	for _, bs := range sheets {
		if bs.Sheet == nil {
			continue
		}
		i, ok := index[bs.Record.SheetID]
		if !ok {
			s := bs.Sheet
			i = len(rows)
			index[bs.Record.SheetID] = i
			answered := 0
			for _, it := range s.Items {
				if it.Answer != "" || it.Text != "" {
					answered++
				}
			}
			rows = append(rows, LiveAttempt{AttemptID: s.SheetID, Session: s.Session, Terminal: s.Terminal, Candidate: s.Candidate.Code,
				Part: s.Part, BankID: s.BankID, Answered: answered, Items: len(s.Items)})
		}
		rows[i].State, rows[i].SheetArrived, rows[i].TimeLeft = exam.StateSubmitted, true, 0
		rows[i].LastSeen = later(rows[i].LastSeen, bs.Record.ReceivedAt)
	}
	type sitting struct{ bank, candidate, part string }
	terminals := map[sitting][]int{}
	for i, r := range rows {
		if silent := now.Sub(r.LastSeen); r.State != exam.StateSubmitted && silent > SilentAfter {
			rows[i].Silent = silent
		}
		k := sitting{r.BankID, r.Candidate, r.Part}
		terminals[k] = append(terminals[k], i)
	}
	for _, list := range terminals {
		for _, i := range list {
			for _, j := range list {
				if i != j {
					rows[i].Elsewhere = append(rows[i].Elsewhere, rows[j].Terminal)
				}
			}
			slices.Sort(rows[i].Elsewhere)
		}
	}
	slices.SortFunc(rows, func(a, b LiveAttempt) int {
		return cmp.Or(cmp.Compare(a.Session, b.Session), cmp.Compare(a.Terminal, b.Terminal), cmp.Compare(a.Candidate, b.Candidate), cmp.Compare(a.AttemptID, b.AttemptID))
	})
	return rows
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
