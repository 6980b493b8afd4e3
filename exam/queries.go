package exam

import (
	"sort"
	"strings"
	"time"

	"ispit/bank"
)

// ItemView is one item as the candidate sees it now.
type ItemView struct {
	Index int // 0-based position in the attempt
	Item  *bank.Item
	// Options are the item's options in the order shown to this candidate.
	Options []bank.Option
	Chosen  string // the chosen option id, or ""
	Flagged bool
	Text    string // a written task's text, including typing not yet durable
	// Saved reports whether everything shown for the item is durable.
	Saved bool
}

// NavEntry is one cell of the navigator.
type NavEntry struct {
	Index    int
	ItemID   string
	Answered bool
	Flagged  bool
}

// ID is the attempt's id.
func (a *Attempt) ID() string { return a.id }

// Candidate returns the candidate's code, name and position.
func (a *Attempt) Candidate() bank.Candidate {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	c := a.data.Candidate
	return bank.Candidate{Code: c.Code, Name: c.Name, Position: c.Position, Language: c.Language}
}

// Part returns the part the candidate sits.
func (a *Attempt) Part() *bank.Part {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	p, _ := a.s.Bank.Manifest.Part(a.data.Part)
	return p
}

// Len is the number of items of the attempt.
func (a *Attempt) Len() int {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return len(a.data.Items)
}

// State returns the attempt's state and, once submitted, why.
func (a *Attempt) State() (State, SubmitReason) {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.state, a.reason
}

// Language is the language the candidate reads the exam in.
func (a *Attempt) Language() string {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.language
}

// Current is the index of the item the candidate was last on.
func (a *Attempt) Current() int {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.current
}

// TimeLeft is the running time the candidate has left.
func (a *Attempt) TimeLeft() time.Duration {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.timeLeftLocked()
}

// Used is the running time used so far.
func (a *Attempt) Used() time.Duration {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.usedLocked()
}

// Allowance is the part's time plus any extensions.
func (a *Attempt) Allowance() time.Duration {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.allowance
}

// Item returns item index (0-based) as the candidate sees it.
func (a *Attempt) Item(index int) (ItemView, error) {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	if index < 0 || index >= len(a.data.Items) {
		return ItemView{}, ErrUnknownItem
	}
	shown := a.data.Items[index]
	it, _ := a.s.Bank.Item(shown.ID)
	v := ItemView{Index: index, Item: it, Chosen: a.choice[shown.ID], Flagged: a.flagged[shown.ID], Text: string(a.text[shown.ID]), Saved: true}
	for _, id := range shown.Options {
		for _, o := range it.Options {
			if o.ID == id {
				v.Options = append(v.Options, o)
			}
		}
	}
	a.textMu.Lock()
	if p, ok := a.pending[shown.ID]; ok {
		v.Text, v.Saved = p.text, p.text == v.Text
	}
	a.textMu.Unlock()
	return v, nil
}

// Navigator returns every item's state: answered or not, flagged or not.
func (a *Attempt) Navigator() []NavEntry {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	a.textMu.Lock()
	defer a.textMu.Unlock()
	nav := make([]NavEntry, len(a.data.Items))
	for i, shown := range a.data.Items {
		nav[i] = NavEntry{Index: i, ItemID: shown.ID, Answered: a.answeredLocked(shown.ID), Flagged: a.flagged[shown.ID]}
	}
	return nav
}

// Unanswered returns the indexes of the items with no answer yet.
func (a *Attempt) Unanswered() []int {
	var out []int
	for _, n := range a.Navigator() {
		if !n.Answered {
			out = append(out, n.Index)
		}
	}
	return out
}

// answeredLocked needs textMu too.
func (a *Attempt) answeredLocked(itemID string) bool {
	if _, ok := a.choice[itemID]; ok {
		return true
	}
	text := string(a.text[itemID])
	if p, ok := a.pending[itemID]; ok {
		text = p.text
	}
	return strings.TrimSpace(text) != ""
}

// Sheet returns the plain answer sheet of a submitted attempt, or nil.
func (a *Attempt) Sheet() []byte {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.sheet
}

func sortStrings(s []string) { sort.Strings(s) }
