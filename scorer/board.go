package scorer

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"ispit/bank"
	"ispit/exam"
)

// Board keeps everything the scorer holds scored and ready for the commission: the console
// asks it for the Current snapshot on every request. It reads only what changed since it last
// looked (new sheets, or a commission change), scores again only the sheets whose answer key,
// grades or resolutions changed, on every processor, and builds the results only when a page
// asks for them. A grade stored through the board (PutGrade) is applied to its snapshot
// directly when nothing else changed in the store meanwhile. Safe for concurrent use.
type Board struct {
	store Store
	now   func() time.Time

	mu      sync.Mutex
	cur     *Snapshot
	secret  []byte
	sheets  []*BoardSheet
	index   map[string]int // sheet id → place in sheets
	lastSeq int64
	// scriptOrder is the places of the written sheets in sheets, by script code.
	scriptOrder []int
}

// BoardSheet is one stored sheet as the board holds it. It is never changed once in a
// snapshot: scoring it again makes a new one.
type BoardSheet struct {
	// Record is the stored record without its sealed and plain bytes.
	Record *SheetRecord
	// Sheet is the decoded plain sheet without its events; nil when it does not decode.
	Sheet *exam.Sheet
	// Script is the anonymous code of a written sheet (see ScriptCode); "" for other parts.
	Script string
	// Result is the sheet's score; nil when the sheet is held.
	Result *PartResult
	// Held says why the sheet is not scored: no answer key, or it does not fit the key.
	Held string

	inputs uint64 // a digest of what Result was scored from
}

// Snapshot is the board at one moment. It is never changed once made: a request reads one
// snapshot throughout.
type Snapshot struct {
	Revision Revision
	BuiltAt  time.Time
	Rules    Rules
	// Sheets are every stored sheet, in the order stored.
	Sheets       []*BoardSheet
	Keys         map[string]*Key // by bank id, for the banks whose key is loaded
	Grades       []Grade
	Resolutions  []Resolution
	Interviews   []Interview
	Appeals      []AppealRecord
	Publications map[string]Publication // by position
	Amendments   []StoredAmendment
	// Roster is every candidate of the loaded rosters, by code.
	Roster []bank.Candidate

	keyErrs       map[string]string // why a bank has no key
	gradesOf      map[string][]Grade
	resolutionsOf map[string][]Resolution
	byID          map[string]*BoardSheet
	byScript      map[string]*BoardSheet
	written       []*BoardSheet // the scored written sheets, by script code

	reportOnce sync.Once
	report     *Report
}

// NewBoard returns a board over a store; now is its clock (nil: time.Now).
func NewBoard(store Store, now func() time.Time) *Board {
	if now == nil {
		now = time.Now
	}
	return &Board{store: store, now: now, index: map[string]int{}}
}

// Current returns the snapshot of what the store holds now, refreshed if anything changed.
func (b *Board) Current(ctx context.Context) (*Snapshot, error) {
	rev, err := b.store.Revision(ctx)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur != nil && b.cur.Revision == rev {
		return b.cur, nil
	}
	if b.secret == nil {
		if b.secret, err = b.store.Secret(ctx, ScriptSecretName, 32); err != nil {
			return nil, err
		}
	}
	if b.cur == nil || rev.LastSheet != b.lastSeq {
		records, err := b.store.SheetsAfter(ctx, b.lastSeq)
		if err != nil {
			return nil, err
		}
		for _, bs := range decodeSheets(records) {
			b.index[bs.Record.SheetID] = len(b.sheets)
			b.sheets = append(b.sheets, bs)
			b.lastSeq = max(b.lastSeq, bs.Record.Seq)
		}
	}
	sn, err := b.load(ctx, rev)
	if err != nil {
		return nil, err
	}
	b.score(sn)
	b.cur = sn
	return sn, nil
}

// decodeSheets decodes stored records on every processor, keeping what the board needs.
func decodeSheets(records []*SheetRecord) []*BoardSheet {
	out := make([]*BoardSheet, len(records))
	parallel(len(records), func(i int) { out[i] = newSheet(records[i]) })
	return out
}

// parallel runs f(0) … f(n-1) on every processor.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f(i)
			}
		})
	}
	wg.Wait()
}

// newSheet decodes a stored record.
func newSheet(rec *SheetRecord) *BoardSheet {
	bs := &BoardSheet{}
	s, err := decodeScoredSheet(rec.Plain)
	if err != nil {
		bs.Held = err.Error()
	} else {
		bs.Sheet = s
	}
	meta := *rec
	meta.Plain, meta.Sealed, meta.Receipt = nil, nil, nil
	bs.Record = &meta
	return bs
}

// load reads the commission's data and the answer keys: a snapshot with no sheet scored yet.
func (b *Board) load(ctx context.Context, rev Revision) (*Snapshot, error) {
	sn := &Snapshot{Revision: rev, BuiltAt: b.now(), Keys: map[string]*Key{}, Publications: map[string]Publication{}, keyErrs: map[string]string{}}
	var err error
	if sn.Rules, err = b.store.Rules(ctx); err != nil {
		return nil, err
	}
	if sn.Grades, err = b.store.Grades(ctx); err != nil {
		return nil, err
	}
	if sn.Resolutions, err = b.store.Resolutions(ctx); err != nil {
		return nil, err
	}
	if sn.Interviews, err = b.store.Interviews(ctx); err != nil {
		return nil, err
	}
	if sn.Appeals, err = b.store.Appeals(ctx); err != nil {
		return nil, err
	}
	if sn.Amendments, err = b.store.Amendments(ctx); err != nil {
		return nil, err
	}
	pubs, err := b.store.Publications(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range pubs {
		sn.Publications[p.Position] = p
	}
	if sn.Roster, err = loadRoster(ctx, b.store); err != nil {
		return nil, err
	}
	for _, bs := range b.sheets {
		id := bs.Record.BankID
		if _, done := sn.Keys[id]; done || bs.Sheet == nil || sn.keyErrs[id] != "" {
			continue
		}
		key, err := loadKey(ctx, b.store, id, sn.Amendments)
		switch {
		case errors.Is(err, ErrNotFound):
			sn.keyErrs[id] = "no answer key loaded for this bank"
		case err != nil:
			return nil, err
		default:
			sn.Keys[id] = key
		}
	}
	sn.gradesOf = map[string][]Grade{}
	for _, g := range sn.Grades {
		sn.gradesOf[g.SheetID] = append(sn.gradesOf[g.SheetID], g)
	}
	sn.resolutionsOf = map[string][]Resolution{}
	for _, r := range sn.Resolutions {
		sn.resolutionsOf[r.SheetID] = append(sn.resolutionsOf[r.SheetID], r)
	}
	return sn, nil
}

// score scores, on every processor, the sheets whose inputs changed and indexes the
// snapshot's sheets.
func (b *Board) score(sn *Snapshot) {
	parallel(len(b.sheets), func(i int) {
		if bs := b.sheets[i]; bs.Sheet != nil {
			b.sheets[i] = b.scored(sn, bs)
		}
	})
	sn.Sheets = slices.Clone(b.sheets)
	sn.byID = make(map[string]*BoardSheet, len(sn.Sheets))
	sn.byScript = map[string]*BoardSheet{}
	scripts := 0
	for _, bs := range sn.Sheets {
		sn.byID[bs.Record.SheetID] = bs
		if bs.Script != "" {
			sn.byScript[bs.Script] = bs
			scripts++
		}
	}
	// The written sheets in the order of their script codes, which tells nothing about who
	// wrote them; sorted again only when a script appears or goes.
	if scripts != len(b.scriptOrder) || slices.ContainsFunc(b.scriptOrder, func(i int) bool { return b.sheets[i].Script == "" }) {
		b.scriptOrder = b.scriptOrder[:0]
		for i, bs := range b.sheets {
			if bs.Script != "" {
				b.scriptOrder = append(b.scriptOrder, i)
			}
		}
		slices.SortFunc(b.scriptOrder, func(x, y int) int { return cmp.Compare(b.sheets[x].Script, b.sheets[y].Script) })
	}
	sn.written = make([]*BoardSheet, len(b.scriptOrder))
	for j, i := range b.scriptOrder {
		sn.written[j] = b.sheets[i]
	}
}

// rescore scores one sheet again into next, a copy of the snapshot prev; it reports false
// when the sheet's script changed, which only a whole score can index.
func (b *Board) rescore(prev, next *Snapshot, i int) bool {
	old := b.sheets[i]
	bs := b.scored(next, old)
	if bs.Script != old.Script {
		return false
	}
	b.sheets[i] = bs
	next.Sheets = slices.Clone(prev.Sheets)
	next.Sheets[i] = bs
	next.byID = maps.Clone(prev.byID)
	next.byID[bs.Record.SheetID] = bs
	next.byScript = prev.byScript
	next.written = prev.written
	if bs.Script != "" {
		next.byScript = maps.Clone(prev.byScript)
		next.byScript[bs.Script] = bs
		next.written = slices.Clone(prev.written)
		j, _ := slices.BinarySearchFunc(next.written, bs.Script, func(w *BoardSheet, script string) int { return cmp.Compare(w.Script, script) })
		next.written[j] = bs
	}
	return true
}

// scored returns the sheet scored with the snapshot's key, grades and resolutions, or the
// sheet itself when they are what it was scored from.
func (b *Board) scored(sn *Snapshot, bs *BoardSheet) *BoardSheet {
	id := bs.Record.SheetID
	key := sn.Keys[bs.Record.BankID]
	inputs := scoreInputs(sn.Rules, key, sn.gradesOf[id], sn.resolutionsOf[id])
	if inputs == bs.inputs {
		return bs
	}
	next := *bs
	next.inputs, next.Result, next.Held, next.Script = inputs, nil, "", ""
	if key == nil {
		next.Held = sn.keyErrs[bs.Record.BankID]
	} else if r, err := sn.Rules.ScoreSheet(key, bs.Sheet, sn.gradesOf[id], sn.resolutionsOf[id]); err != nil {
		next.Held = err.Error()
	} else {
		next.Result = &r
		if r.Kind == bank.PartProfessionalWritten {
			next.Script = ScriptCode(b.secret, id)
		}
	}
	return &next
}

// PutGrade stores a grade and brings the board up to date with it: when nothing else changed
// in the store since the board last looked, it scores the graded sheet again and nothing more.
func (b *Board) PutGrade(ctx context.Context, g Grade, audit AuditEntry) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.store.PutGrade(ctx, g, audit); err != nil {
		return err
	}
	cur := b.cur
	i, known := b.index[g.SheetID]
	if cur == nil || !known {
		return nil
	}
	rev, err := b.store.Revision(ctx)
	if err != nil || rev.LastSheet != cur.Revision.LastSheet || rev.Commission != cur.Revision.Commission+1 {
		return nil // someone else changed the store too: the next Current reads it all again
	}
	next := &Snapshot{Revision: rev, BuiltAt: b.now(), Rules: cur.Rules, Keys: cur.Keys, Resolutions: cur.Resolutions,
		Interviews: cur.Interviews, Appeals: cur.Appeals, Publications: cur.Publications, Amendments: cur.Amendments,
		Roster: cur.Roster, keyErrs: cur.keyErrs, resolutionsOf: cur.resolutionsOf, gradesOf: maps.Clone(cur.gradesOf)}
	replace := func(grades []Grade) []Grade {
		out := slices.Clone(grades)
		for j := range out {
			if out[j].SheetID == g.SheetID && out[j].ItemID == g.ItemID && out[j].Grader == g.Grader {
				out[j] = g
				return out
			}
		}
		return append(out, g)
	}
	next.Grades = replace(cur.Grades)
	next.gradesOf[g.SheetID] = replace(cur.gradesOf[g.SheetID])
	if !b.rescore(cur, next, i) {
		b.score(next)
	}
	b.cur = next
	return nil
}

// Report returns the results and the held sheets, built the first time they are asked for.
func (sn *Snapshot) Report() *Report {
	sn.reportOnce.Do(func() {
		report := &Report{Held: []Held{}}
		var parts []PartResult
		for _, bs := range sn.Sheets {
			if bs.Result != nil {
				parts = append(parts, *bs.Result)
				continue
			}
			code := ""
			if bs.Sheet != nil {
				code = bs.Sheet.Candidate.Code
			}
			report.Held = append(report.Held, Held{bs.Record.SheetID, bs.Record.BankID, code, bs.Held})
		}
		report.Results = sn.Rules.BuildResults(parts, sn.Interviews, positionsOf(sn.Keys))
		addAbsentees(&report.Results, sn.Roster)
		sn.report = report
	})
	return sn.report
}

// WithKey returns the report the snapshot would give with another key for one bank (the
// bank's key with one more amendment): every sheet of that bank scored again, on every
// processor.
func (sn *Snapshot) WithKey(key *Key) *Report {
	keys := maps.Clone(sn.Keys)
	keys[key.BankID] = key
	rescored := make([]*PartResult, len(sn.Sheets))
	errs := make([]error, len(sn.Sheets))
	parallel(len(sn.Sheets), func(i int) {
		bs := sn.Sheets[i]
		if bs.Sheet == nil || bs.Record.BankID != key.BankID {
			return
		}
		id := bs.Record.SheetID
		r, err := sn.Rules.ScoreSheet(key, bs.Sheet, sn.gradesOf[id], sn.resolutionsOf[id])
		rescored[i], errs[i] = &r, err
	})
	report := &Report{Held: []Held{}}
	var parts []PartResult
	for i, bs := range sn.Sheets {
		switch {
		case errs[i] != nil:
			report.Held = append(report.Held, Held{bs.Record.SheetID, bs.Record.BankID, bs.Sheet.Candidate.Code, errs[i].Error()})
		case rescored[i] != nil:
			parts = append(parts, *rescored[i])
		case bs.Result != nil:
			parts = append(parts, *bs.Result)
		}
	}
	report.Results = sn.Rules.BuildResults(parts, sn.Interviews, positionsOf(keys))
	addAbsentees(&report.Results, sn.Roster)
	return report
}

// scoreInputs digests what a sheet's score depends on besides the sheet itself.
func scoreInputs(rules Rules, key *Key, grades []Grade, resolutions []Resolution) uint64 {
	h := fnv.New64a()
	put := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	num := func(n int64) { binary.Write(h, binary.LittleEndian, n) }
	num(int64(rules.minGraders()))
	num(int64(rules.Disagreement))
	if key != nil {
		put(key.BankID)
		put(key.ManifestSHA256)
		num(int64(len(key.Amendments)))
	}
	for _, g := range grades {
		put(g.ItemID)
		put(g.Grader)
		num(int64(g.Points))
		put(g.Comment)
		num(g.At.UnixNano())
	}
	for _, r := range resolutions {
		num(r.Seq)
	}
	return h.Sum64() | 1 // never 0, which means "not scored yet"
}

// loadKey reads a bank's answer key and its amendments from the store.
func loadKey(ctx context.Context, store Store, bankID string, amendments []StoredAmendment) (*Key, error) {
	file, err := store.AnswerKeyFile(ctx, bankID)
	if err != nil {
		return nil, err
	}
	ak, err := bank.DecodeAnswerKey(file)
	if err != nil {
		return nil, fmt.Errorf("the stored answer key of bank %s: %w", bankID, err)
	}
	var ams []*bank.Amendment
	for _, sa := range amendments {
		if sa.BankID != bankID {
			continue
		}
		am, err := bank.DecodeAmendment(sa.File)
		if err != nil {
			return nil, fmt.Errorf("the stored amendment %d of bank %s: %w", sa.Sequence, bankID, err)
		}
		ams = append(ams, am)
	}
	return NewKey(ak, ams)
}

// positionsOf lists the positions of the keys, by code, each once.
func positionsOf(keys map[string]*Key) []bank.Position {
	var out []bank.Position
	seen := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(keys)) {
		for _, p := range keys[id].Positions {
			if !seen[p.Code] {
				seen[p.Code] = true
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b bank.Position) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// addAbsentees lists, per position, the roster's candidates who have no scored or held
// sheet and no interview: they did not come.
func addAbsentees(r *Results, roster []bank.Candidate) {
	seen := map[string]bool{}
	for _, c := range r.Candidates {
		seen[strings.ToUpper(c.Candidate.Code)] = true
	}
	index := map[string]int{}
	for i, p := range r.Positions {
		index[p.Code] = i
	}
	for _, c := range roster {
		if seen[strings.ToUpper(c.Code)] {
			continue
		}
		i, ok := index[c.Position]
		if !ok {
			r.Positions = append(r.Positions, PositionResult{Code: c.Position, Ranking: []RankEntry{}, Pending: []RankEntry{}})
			i = len(r.Positions) - 1
			index[c.Position] = i
		}
		r.Positions[i].Absent = append(r.Positions[i].Absent, exam.SheetPerson{Code: c.Code, Name: c.Name, Position: c.Position})
	}
}

// SheetByID returns a stored sheet.
func (sn *Snapshot) SheetByID(id string) (*BoardSheet, bool) {
	bs, ok := sn.byID[id]
	return bs, ok
}

// SheetByScript returns the written sheet graded under a script code.
func (sn *Snapshot) SheetByScript(code string) (*BoardSheet, bool) {
	bs, ok := sn.byScript[code]
	return bs, ok
}

// Published reports whether a position's results are published.
func (sn *Snapshot) Published(position string) bool {
	_, ok := sn.Publications[position]
	return ok
}

// Position returns a position's results.
func (sn *Snapshot) Position(code string) (*PositionResult, bool) {
	for i := range sn.Report().Results.Positions {
		if sn.Report().Results.Positions[i].Code == code {
			return &sn.Report().Results.Positions[i], true
		}
	}
	return nil, false
}

// PositionDetails returns a position as the answer keys describe it.
func (sn *Snapshot) PositionDetails(code string) (*bank.Position, bool) {
	for _, id := range slices.Sorted(maps.Keys(sn.Keys)) {
		for i := range sn.Keys[id].Positions {
			if sn.Keys[id].Positions[i].Code == code {
				return &sn.Keys[id].Positions[i], true
			}
		}
	}
	return nil, false
}

// CandidatesOf lists the results of a position's candidates, by code.
func (sn *Snapshot) CandidatesOf(position string) []CandidateResult {
	var out []CandidateResult
	for _, c := range sn.Report().Results.Candidates {
		if c.Candidate.Position == position {
			out = append(out, c)
		}
	}
	return out
}

// InterviewCandidates lists the candidates of a position who may be interviewed: those who
// passed the professional exam and did not fail the public exam.
func (sn *Snapshot) InterviewCandidates(position string) []CandidateResult {
	var out []CandidateResult
	for _, c := range sn.CandidatesOf(position) {
		if c.ProfessionalVerdict == VerdictPassed && c.PublicVerdict != VerdictFailed {
			out = append(out, c)
		}
	}
	return out
}
