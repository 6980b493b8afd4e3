package scorer

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"ispit/bank"
	"ispit/exam"
)

// Board keeps everything the scorer holds scored and ready for the commission: the console
// asks it for the Current snapshot on every request. It reads only what changed since it last
// looked (new sheets, or a commission change), and scores again only the sheets whose answer
// key, grades or resolutions changed. Safe for concurrent use.
type Board struct {
	store Store
	now   func() time.Time

	mu      sync.Mutex
	cur     *Snapshot
	secret  []byte
	sheets  []*BoardSheet
	lastSeq int64
}

// BoardSheet is one stored sheet as the board holds it.
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
	Report   *Report
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

	byID     map[string]*BoardSheet
	byScript map[string]*BoardSheet
	written  []*BoardSheet // the scored written sheets
}

// NewBoard returns a board over a store; now is its clock (nil: time.Now).
func NewBoard(store Store, now func() time.Time) *Board {
	if now == nil {
		now = time.Now
	}
	return &Board{store: store, now: now}
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
		for _, rec := range records {
			b.sheets = append(b.sheets, b.newSheet(rec))
			b.lastSeq = max(b.lastSeq, rec.Seq)
		}
	}
	sn, err := b.build(ctx, rev)
	if err != nil {
		return nil, err
	}
	b.cur = sn
	return sn, nil
}

// newSheet decodes a stored record, keeping what the board needs.
func (b *Board) newSheet(rec *SheetRecord) *BoardSheet {
	bs := &BoardSheet{}
	s, err := decodePlainSheet(rec.Plain)
	if err != nil {
		bs.Held = err.Error()
	} else {
		s.Events = nil
		bs.Sheet = s
	}
	meta := *rec
	meta.Plain, meta.Sealed = nil, nil
	bs.Record = &meta
	return bs
}

// build makes a snapshot: the commission's data read again, the sheets scored where their
// inputs changed, the results built.
func (b *Board) build(ctx context.Context, rev Revision) (*Snapshot, error) {
	sn := &Snapshot{Revision: rev, BuiltAt: b.now(), Keys: map[string]*Key{}, Publications: map[string]Publication{},
		byID: map[string]*BoardSheet{}, byScript: map[string]*BoardSheet{}}
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
	keyErrs := map[string]string{}
	for _, bs := range b.sheets {
		if bs.Sheet == nil {
			continue
		}
		id := bs.Record.BankID
		if _, done := sn.Keys[id]; done || keyErrs[id] != "" {
			continue
		}
		key, err := loadKey(ctx, b.store, id, sn.Amendments)
		switch {
		case errors.Is(err, ErrNotFound):
			keyErrs[id] = "no answer key loaded for this bank"
		case err != nil:
			return nil, err
		default:
			sn.Keys[id] = key
		}
	}

	gradesOf := map[string][]Grade{}
	for _, g := range sn.Grades {
		gradesOf[g.SheetID] = append(gradesOf[g.SheetID], g)
	}
	resolutionsOf := map[string][]Resolution{}
	for _, r := range sn.Resolutions {
		resolutionsOf[r.SheetID] = append(resolutionsOf[r.SheetID], r)
	}
	rules := sn.Rules
	for i, bs := range b.sheets {
		if bs.Sheet == nil {
			sn.Sheets = append(sn.Sheets, bs)
			continue
		}
		id := bs.Record.SheetID
		key := sn.Keys[bs.Record.BankID]
		inputs := scoreInputs(rules, key, gradesOf[id], resolutionsOf[id])
		if inputs != bs.inputs || (bs.Result == nil && bs.Held == "") {
			next := *bs
			next.inputs, next.Result, next.Held, next.Script = inputs, nil, "", ""
			if key == nil {
				next.Held = keyErrs[bs.Record.BankID]
			} else if r, err := rules.ScoreSheet(key, bs.Sheet, gradesOf[id], resolutionsOf[id]); err != nil {
				next.Held = err.Error()
			} else {
				next.Result = &r
				if r.Kind == bank.PartProfessionalWritten {
					next.Script = ScriptCode(b.secret, id)
				}
			}
			bs = &next
			b.sheets[i] = bs
		}
		sn.Sheets = append(sn.Sheets, bs)
	}
	var parts []PartResult
	sn.Report = &Report{Held: []Held{}}
	for _, bs := range sn.Sheets {
		sn.byID[bs.Record.SheetID] = bs
		switch {
		case bs.Result != nil:
			parts = append(parts, *bs.Result)
			if bs.Script != "" {
				sn.byScript[bs.Script] = bs
				sn.written = append(sn.written, bs)
			}
		default:
			code := ""
			if bs.Sheet != nil {
				code = bs.Sheet.Candidate.Code
			}
			sn.Report.Held = append(sn.Report.Held, Held{bs.Record.SheetID, bs.Record.BankID, code, bs.Held})
		}
	}
	sn.Report.Results = rules.BuildResults(parts, sn.Interviews, positionsOf(sn.Keys))
	addAbsentees(&sn.Report.Results, sn.Roster)
	return sn, nil
}

// WithKey returns the report the snapshot would give with another key for one bank (the
// bank's key with one more amendment): every sheet of that bank scored again.
func (sn *Snapshot) WithKey(key *Key) *Report {
	gradesOf := map[string][]Grade{}
	for _, g := range sn.Grades {
		gradesOf[g.SheetID] = append(gradesOf[g.SheetID], g)
	}
	resolutionsOf := map[string][]Resolution{}
	for _, r := range sn.Resolutions {
		resolutionsOf[r.SheetID] = append(resolutionsOf[r.SheetID], r)
	}
	keys := maps.Clone(sn.Keys)
	keys[key.BankID] = key
	report := &Report{Held: []Held{}}
	var parts []PartResult
	for _, bs := range sn.Sheets {
		switch {
		case bs.Sheet != nil && bs.Record.BankID == key.BankID:
			id := bs.Record.SheetID
			r, err := sn.Rules.ScoreSheet(key, bs.Sheet, gradesOf[id], resolutionsOf[id])
			if err != nil {
				report.Held = append(report.Held, Held{id, bs.Record.BankID, bs.Sheet.Candidate.Code, err.Error()})
				continue
			}
			parts = append(parts, r)
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
	for i := range sn.Report.Results.Positions {
		if sn.Report.Results.Positions[i].Code == code {
			return &sn.Report.Results.Positions[i], true
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
	for _, c := range sn.Report.Results.Candidates {
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
