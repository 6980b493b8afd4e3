package scorer

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"ispit/bank"
	"ispit/exam"
)

// Verdict is how one part (or the interview) stands for a candidate.
type Verdict string

// The verdicts of a part.
const (
	VerdictPassed  Verdict = "passed"
	VerdictFailed  Verdict = "failed"
	VerdictPending Verdict = "pending" // written tasks await grades
	VerdictMissing Verdict = "missing" // no result given
)

// Outcome is where a candidate stands in the selection.
type Outcome string

// The outcomes of a candidate; see Rules.BuildResults.
const (
	OutcomeSuccessful Outcome = "successful" // eligible and on the list of successful candidates
	OutcomeEligible   Outcome = "eligible"   // passed everything, placed below the list
	OutcomePending    Outcome = "pending"    // a written part awaits grades; not ranked
	OutcomeIncomplete Outcome = "incomplete" // a part or the interview has no result; not ranked
	OutcomeFailed     Outcome = "failed"     // did not pass a part or the interview; not ranked
)

// CandidateResult is everything scored for one candidate.
type CandidateResult struct {
	Candidate exam.SheetPerson `json:"candidate"`
	Outcome   Outcome          `json:"outcome"`
	// Place is the candidate's place among the eligible candidates of their position;
	// 0 when not ranked. Tied reports that another eligible candidate has the same total.
	Place               int     `json:"place,omitempty"`
	Tied                bool    `json:"tied,omitempty"`
	PublicVerdict       Verdict `json:"public_verdict"`
	ProfessionalVerdict Verdict `json:"professional_verdict"`
	InterviewVerdict    Verdict `json:"interview_verdict"`
	// PublicSheet and ProfessionalSheet are the sheets that count.
	PublicSheet        string `json:"public_sheet,omitempty"`
	ProfessionalSheet  string `json:"professional_sheet,omitempty"`
	ProfessionalPoints int    `json:"professional_points"`
	InterviewPoints    int    `json:"interview_points"`
	// Total is ProfessionalPoints plus InterviewPoints; partial while a part is pending.
	Total int `json:"total"`
	// Parts are all the candidate's scored sheets: public first, then by part and sheet id.
	Parts []PartResult `json:"parts"`
	// Interviews are the interviewers' entries that count, one per interviewer, by
	// interviewer; InterviewPoints is their mean.
	Interviews []Interview `json:"interviews,omitempty"`
	// Notes say what was odd and how it was resolved: a second sheet, a refused interview.
	Notes []string `json:"notes,omitempty"`
}

// RankEntry is one candidate in a position's ranking or pending list.
type RankEntry struct {
	Place              int              `json:"place,omitempty"`
	Candidate          exam.SheetPerson `json:"candidate"`
	Outcome            Outcome          `json:"outcome"`
	ProfessionalPoints int              `json:"professional_points"`
	InterviewPoints    int              `json:"interview_points"`
	Total              int              `json:"total"`
	Tied               bool             `json:"tied,omitempty"`
}

// PositionResult is the selection for one position.
type PositionResult struct {
	Code         string    `json:"code"`
	Department   bank.Text `json:"department,omitempty"`
	Municipality string    `json:"municipality,omitempty"`
	Openings     int       `json:"openings,omitempty"`
	// Candidates counts every candidate of the position, whatever their outcome.
	Candidates int `json:"candidates"`
	// Ranking lists the eligible candidates, best first; those with OutcomeSuccessful are the
	// list of successful candidates.
	Ranking []RankEntry `json:"ranking"`
	// Pending lists the candidates not ranked yet: pending or incomplete.
	Pending []RankEntry `json:"pending"`
	// Failed counts the candidates who failed a part or the interview.
	Failed int `json:"failed"`
	// Absent lists the candidates on a loaded roster who have no sheet and no interview.
	Absent []exam.SheetPerson `json:"absent,omitempty"`
}

// Results are the results of every candidate and the selection for every position.
type Results struct {
	// Positions are in the order given to BuildResults, then positions only candidates name.
	Positions []PositionResult `json:"positions"`
	// Candidates are grouped by position in the order of Positions, then ordered by code.
	Candidates []CandidateResult `json:"candidates"`
	// Notes are about input that belongs to no candidate.
	Notes []string `json:"notes,omitempty"`
}

// Candidate returns the result of the candidate with this code, compared without regard to
// case.
func (r *Results) Candidate(code string) (*CandidateResult, bool) {
	for i := range r.Candidates {
		if strings.EqualFold(r.Candidates[i].Candidate.Code, strings.TrimSpace(code)) {
			return &r.Candidates[i], true
		}
	}
	return nil, false
}

// BuildResults puts scored sheets and interviews together with the default Rules; see
// Rules.BuildResults.
func BuildResults(parts []PartResult, interviews []Interview, positions []bank.Position) Results {
	return Rules{}.BuildResults(parts, interviews, positions)
}

// BuildResults puts scored sheets and interviews together into per-candidate results and
// per-position rankings. It never fails: what it cannot count it leaves out with a note.
//
// Input: parts holds one result per sheet (a later one with the same sheet id replaces an
// earlier one). A candidate is identified by their code, compared without regard to case as
// the roster does; their position is the one their professional sheet names (else their public
// sheet, else the interview). interviews may hold several entries for a candidate: each
// interviewer's latest valid one counts (for equal times, the later one in the slice), and the
// candidate's interview points are the mean over the interviewers who scored, rounded half up,
// passed at bank.InterviewPassPoints; an entry out of range or for another position is left
// out with a note. positions gives the positions' details and their
// order; a position only candidates name follows, with its code alone.
//
// Points: a candidate's total is their professional exam points plus their interview points;
// the public exam qualifies and adds nothing. A candidate sits the written or the
// multiple-choice professional exam; should results of both (or two sheets of one part) be
// given, the best counts, with a note: a passed one before a failed one, then the higher
// points (so a failed 74 of a written exam does not beat a passed 70 of a multiple-choice
// one). A pending one makes the professional exam pending. Two public sheets: the best counts.
//
// Outcomes, in this order: failed (the public exam, the professional exam or the interview is
// scored and not passed; a candidate who failed the public exam is never ranked, whatever else
// is pending); pending (a written part awaits grades); incomplete (the public exam, the
// professional exam or the interview has no result yet); otherwise eligible, and successful
// when placed within the list.
//
// Ranking, per position, of the eligible candidates by total: a candidate's place is one more
// than the number of eligible candidates of the position with a higher total, so equal totals
// share a place (1, 2, 2, 4). The list of successful candidates is every eligible candidate
// placed within r.ListSize (three by default): a tie for the last place puts all the tied
// candidates on the list, which then has more than three names, and the commission decides
// among them; no arbitrary rule drops a candidate with the same points. Within a place the
// order shown is by professional points, then interview points, then code; it decides nothing.
func (r Rules) BuildResults(parts []PartResult, interviews []Interview, positions []bank.Position) Results {
	res := Results{Positions: []PositionResult{}, Candidates: []CandidateResult{}}

	type acc struct {
		code       string
		parts      []PartResult
		result     *CandidateResult
		interviews map[string]Interview // by interviewer
		notes      []string
	}
	byCode := map[string]*acc{}
	get := func(code string) *acc {
		code = strings.TrimSpace(code)
		k := strings.ToUpper(code)
		a := byCode[k]
		if a == nil {
			a = &acc{code: code}
			byCode[k] = a
		}
		return a
	}

	bySheet := map[string]int{}
	var sheets []PartResult
	for _, p := range parts {
		if i, ok := bySheet[p.SheetID]; ok {
			sheets[i] = p
			continue
		}
		bySheet[p.SheetID] = len(sheets)
		sheets = append(sheets, p)
	}
	for _, p := range sheets {
		if strings.TrimSpace(p.Candidate.Code) == "" {
			res.Notes = append(res.Notes, fmt.Sprintf("sheet %s names no candidate; not counted", p.SheetID))
			continue
		}
		a := get(p.Candidate.Code)
		a.parts = append(a.parts, p)
	}
	// Candidates and their positions come from the sheets first, so that an interview can be
	// checked against the position the candidate sat the exam for.
	for _, a := range byCode {
		a.result = newCandidateResult(a.parts, &a.notes)
	}
	for _, iv := range interviews {
		if err := iv.Validate(); err != nil {
			if strings.TrimSpace(iv.Candidate) == "" {
				res.Notes = append(res.Notes, err.Error()+"; not counted")
				continue
			}
			a := get(iv.Candidate)
			a.notes = append(a.notes, err.Error()+"; not counted")
			continue
		}
		a := get(iv.Candidate)
		if a.result == nil {
			a.result = newCandidateResult(nil, &a.notes)
			a.result.Candidate = exam.SheetPerson{Code: a.code, Position: iv.Position}
		}
		if len(a.parts) == 0 && a.result.Candidate.Position == "" {
			a.result.Candidate.Position = iv.Position
		}
		if pos := a.result.Candidate.Position; iv.Position != "" && pos != "" && iv.Position != pos {
			a.notes = append(a.notes, fmt.Sprintf("interview points for position %s, but the candidate applied for %s; not counted", iv.Position, pos))
			continue
		}
		by := strings.ToLower(strings.TrimSpace(iv.By))
		if a.interviews == nil {
			a.interviews = map[string]Interview{}
		}
		if prev, ok := a.interviews[by]; !ok || !iv.Entered.Before(prev.Entered) {
			a.interviews[by] = iv
		}
	}

	all := make([]*CandidateResult, 0, len(byCode))
	for _, a := range byCode {
		if a.result == nil { // known only from refused interview points
			a.result = newCandidateResult(nil, &a.notes)
			a.result.Candidate = exam.SheetPerson{Code: a.code}
		}
		cr := a.result
		cr.InterviewVerdict = VerdictMissing
		if len(a.interviews) > 0 {
			sum := 0
			for _, by := range slices.Sorted(maps.Keys(a.interviews)) {
				cr.Interviews = append(cr.Interviews, a.interviews[by])
				sum += a.interviews[by].Points
			}
			cr.InterviewPoints = meanHalfUp(sum, len(cr.Interviews))
			cr.InterviewVerdict = VerdictFailed
			if cr.InterviewPoints >= bank.InterviewPassPoints {
				cr.InterviewVerdict = VerdictPassed
			}
		}
		cr.Total = cr.ProfessionalPoints + cr.InterviewPoints
		cr.Notes = a.notes
		verdicts := []Verdict{cr.PublicVerdict, cr.ProfessionalVerdict, cr.InterviewVerdict}
		switch {
		case slices.Contains(verdicts, VerdictFailed):
			cr.Outcome = OutcomeFailed
		case slices.Contains(verdicts, VerdictPending):
			cr.Outcome = OutcomePending
		case slices.Contains(verdicts, VerdictMissing):
			cr.Outcome = OutcomeIncomplete
		default:
			cr.Outcome = OutcomeEligible
		}
		all = append(all, cr)
	}

	// Positions: the given ones in order, then any other a candidate names, by code.
	posIndex := map[string]int{}
	for _, p := range positions {
		if _, dup := posIndex[p.Code]; dup {
			continue
		}
		posIndex[p.Code] = len(res.Positions)
		res.Positions = append(res.Positions, PositionResult{
			Code: p.Code, Department: p.Department, Municipality: p.Municipality, Openings: p.Openings,
		})
	}
	var extra []string
	for _, cr := range all {
		if _, ok := posIndex[cr.Candidate.Position]; !ok && !slices.Contains(extra, cr.Candidate.Position) {
			extra = append(extra, cr.Candidate.Position)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		posIndex[code] = len(res.Positions)
		res.Positions = append(res.Positions, PositionResult{Code: code})
	}

	slices.SortFunc(all, func(a, b *CandidateResult) int {
		return cmp.Or(
			cmp.Compare(posIndex[a.Candidate.Position], posIndex[b.Candidate.Position]),
			cmp.Compare(strings.ToUpper(a.Candidate.Code), strings.ToUpper(b.Candidate.Code)),
			cmp.Compare(a.Candidate.Code, b.Candidate.Code),
		)
	})
	groups := map[string][]*CandidateResult{}
	for _, cr := range all {
		groups[cr.Candidate.Position] = append(groups[cr.Candidate.Position], cr)
	}
	for i := range res.Positions {
		pr := &res.Positions[i]
		pr.Ranking, pr.Pending = []RankEntry{}, []RankEntry{}
		group := groups[pr.Code]
		pr.Candidates = len(group)
		var eligible []*CandidateResult
		for _, cr := range group {
			switch cr.Outcome {
			case OutcomeEligible:
				eligible = append(eligible, cr)
			case OutcomeFailed:
				pr.Failed++
			default:
				pr.Pending = append(pr.Pending, rankEntry(cr))
			}
		}
		slices.SortStableFunc(eligible, func(a, b *CandidateResult) int {
			return cmp.Or(
				cmp.Compare(b.Total, a.Total),
				cmp.Compare(b.ProfessionalPoints, a.ProfessionalPoints),
				cmp.Compare(b.InterviewPoints, a.InterviewPoints),
			)
		})
		for _, cr := range eligible {
			for _, other := range eligible {
				if other.Total > cr.Total {
					cr.Place++
				} else if other != cr && other.Total == cr.Total {
					cr.Tied = true
				}
			}
			cr.Place++
			if cr.Place <= r.listSize() {
				cr.Outcome = OutcomeSuccessful
			}
			pr.Ranking = append(pr.Ranking, rankEntry(cr))
		}
	}
	for _, cr := range all {
		res.Candidates = append(res.Candidates, *cr)
	}
	return res
}

func rankEntry(cr *CandidateResult) RankEntry {
	return RankEntry{
		Place: cr.Place, Candidate: cr.Candidate, Outcome: cr.Outcome,
		ProfessionalPoints: cr.ProfessionalPoints, InterviewPoints: cr.InterviewPoints, Total: cr.Total, Tied: cr.Tied,
	}
}

// newCandidateResult picks the sheets that count among one candidate's sheets, adding notes.
func newCandidateResult(parts []PartResult, notes *[]string) *CandidateResult {
	parts = slices.Clone(parts)
	slices.SortFunc(parts, func(a, b PartResult) int {
		return cmp.Or(
			cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)),
			cmp.Compare(a.Part, b.Part),
			cmp.Compare(a.SheetID, b.SheetID),
		)
	})
	cr := &CandidateResult{Parts: parts}
	if cr.Parts == nil {
		cr.Parts = []PartResult{}
	}
	var public, professional []*PartResult
	for i := range parts {
		if parts[i].Kind == bank.PartPublic {
			public = append(public, &parts[i])
		} else {
			professional = append(professional, &parts[i])
		}
	}
	pub, v := best(public)
	cr.PublicVerdict = v
	if pub != nil {
		cr.PublicSheet = pub.SheetID
		cr.Candidate = pub.Candidate
	}
	if len(public) > 1 {
		*notes = append(*notes, fmt.Sprintf("%d public exam sheets (%s); sheet %s counts", len(public), sheetIDs(public), cr.PublicSheet))
	}
	prof, v := best(professional)
	cr.ProfessionalVerdict = v
	if prof != nil {
		cr.ProfessionalSheet = prof.SheetID
		cr.ProfessionalPoints = prof.Points
		cr.Candidate = prof.Candidate
	}
	if len(professional) > 1 {
		if v == VerdictPending {
			*notes = append(*notes, fmt.Sprintf("%d professional exam sheets (%s); the best counts once none is pending", len(professional), sheetIDs(professional)))
		} else {
			*notes = append(*notes, fmt.Sprintf("%d professional exam sheets (%s); sheet %s counts, the best", len(professional), sheetIDs(professional), cr.ProfessionalSheet))
		}
	}
	for _, p := range parts {
		if p.Candidate.Position != cr.Candidate.Position {
			*notes = append(*notes, fmt.Sprintf("sheet %s names position %s, not %s", p.SheetID, p.Candidate.Position, cr.Candidate.Position))
		}
	}
	return cr
}

func kindOrder(k bank.PartKind) int {
	switch k {
	case bank.PartPublic:
		return 0
	case bank.PartProfessionalChoice, bank.PartProfessionalWritten:
		return 1
	}
	return 2
}

// best returns the result that counts among ps, and its verdict: a pending one makes the lot
// pending; else a passed one before a failed one, then the higher points.
func best(ps []*PartResult) (*PartResult, Verdict) {
	if len(ps) == 0 {
		return nil, VerdictMissing
	}
	for _, p := range ps {
		if p.Pending {
			return p, VerdictPending
		}
	}
	b := slices.MinFunc(ps, func(a, b *PartResult) int {
		return cmp.Or(
			cmp.Compare(boolInt(b.Passed), boolInt(a.Passed)),
			cmp.Compare(b.Points, a.Points),
			cmp.Compare(a.SheetID, b.SheetID),
		)
	})
	if b.Passed {
		return b, VerdictPassed
	}
	return b, VerdictFailed
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sheetIDs(ps []*PartResult) string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.SheetID
	}
	return strings.Join(ids, ", ")
}

// utf8BOM starts every CSV file so that spreadsheets read it as UTF-8 (Cyrillic intact).
const utf8BOM = "\ufeff"

// ResultsCSVHeader is the header row WriteCSV writes.
var ResultsCSVHeader = []string{
	"position", "candidate_code", "candidate_name", "part", "kind", "sheet_id", "counted",
	"correct", "points", "max_points", "pass_mark", "passed", "pending",
	"professional_points", "interview_points", "total", "outcome", "place", "notes",
}

// RankingCSVHeader is the header row WriteRankingCSV writes.
var RankingCSVHeader = []string{
	"position", "place", "candidate_code", "candidate_name",
	"professional_points", "interview_points", "total", "tied", "outcome",
}

// WriteCSV writes the results as CSV for a spreadsheet: UTF-8 with a byte order mark, commas,
// the header ResultsCSVHeader, then one row per candidate and part (each scored sheet, then the
// interview as part "interview"), candidates in the order of r.Candidates. counted says whether
// the row is the sheet or interview that counts; place is empty when the candidate is not
// ranked; notes are joined with "; ".
func WriteCSV(w io.Writer, r Results) error {
	cw, err := newCSVWriter(w, ResultsCSVHeader)
	if err != nil {
		return err
	}
	for _, c := range r.Candidates {
		common := func(part, kind, sheet string, counted bool, correct string, points, maxPoints, passMark int, passed, pending bool) []string {
			return []string{
				c.Candidate.Position, c.Candidate.Code, c.Candidate.Name, part, kind, sheet, strconv.FormatBool(counted),
				correct, strconv.Itoa(points), strconv.Itoa(maxPoints), strconv.Itoa(passMark),
				strconv.FormatBool(passed), strconv.FormatBool(pending),
				strconv.Itoa(c.ProfessionalPoints), strconv.Itoa(c.InterviewPoints), strconv.Itoa(c.Total),
				string(c.Outcome), placeString(c.Place), strings.Join(c.Notes, "; "),
			}
		}
		for _, p := range c.Parts {
			correct := ""
			if p.Kind != bank.PartProfessionalWritten {
				correct = strconv.Itoa(p.Correct)
			}
			counted := p.SheetID == c.PublicSheet || p.SheetID == c.ProfessionalSheet
			if err := cw.Write(common(p.Part, string(p.Kind), p.SheetID, counted, correct, p.Points, p.MaxPoints, p.PassMark, p.Passed, p.Pending)); err != nil {
				return err
			}
		}
		if len(c.Interviews) > 0 {
			row := common("interview", "interview", "", true, "", c.InterviewPoints, bank.InterviewMaxPoints, bank.InterviewPassPoints, c.InterviewVerdict == VerdictPassed, false)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		if len(c.Parts) == 0 && len(c.Interviews) == 0 {
			if err := cw.Write(common("", "", "", false, "", 0, 0, 0, false, false)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteRankingCSV writes every position's ranking as CSV for a spreadsheet: UTF-8 with a byte
// order mark, commas, the header RankingCSVHeader, then per position (in the order of
// r.Positions) the eligible candidates best first, outcome "successful" marking the list of
// successful candidates, followed by the candidates not ranked yet (outcome "pending" or
// "incomplete", place empty). Candidates who failed are not listed.
func WriteRankingCSV(w io.Writer, r Results) error {
	cw, err := newCSVWriter(w, RankingCSVHeader)
	if err != nil {
		return err
	}
	for _, p := range r.Positions {
		for _, e := range slices.Concat(p.Ranking, p.Pending) {
			row := []string{
				p.Code, placeString(e.Place), e.Candidate.Code, e.Candidate.Name,
				strconv.Itoa(e.ProfessionalPoints), strconv.Itoa(e.InterviewPoints), strconv.Itoa(e.Total),
				strconv.FormatBool(e.Tied), string(e.Outcome),
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the results as indented JSON, the encoding of Results with its snake_case
// field names; HTML characters are not escaped.
func WriteJSON(w io.Writer, r Results) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func newCSVWriter(w io.Writer, header []string) (*csv.Writer, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return cw, nil
}

func placeString(place int) string {
	if place == 0 {
		return ""
	}
	return strconv.Itoa(place)
}
