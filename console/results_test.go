package console_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ispit/internal/competition"
	"ispit/scorer"
)

// writtenPoints are the points two graders agree on per demo candidate's task, by the
// quality of the answer: strong, fair, weak.
var writtenPoints = [3]int{44, 36, 12}

// gradeTheDemo has ana and boris grade every written task by the answer's quality in the plan.
func gradeTheDemo(t *testing.T, w *world) {
	t.Helper()
	sn, err := scorer.NewBoard(w.store, nil).Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	quality := map[string]int{}
	for _, bs := range sn.Sheets {
		if bs.Script == "" {
			continue
		}
		for _, s := range competition.Plan {
			if s.Code == bs.Sheet.Candidate.Code {
				quality[bs.Script] = s.Written
			}
		}
	}
	gradeAll(t, w, w.signIn("ana"), w.signIn("boris"), func(path string, grader int) int {
		return writtenPoints[quality[strings.Split(path, "/")[2]]] + grader
	})
}

// interviewAll has ana and dino enter interview points for every candidate offered.
func interviewAll(t *testing.T, w *world, points func(code string, interviewer int) int) {
	t.Helper()
	for i, name := range []string{"ana", "dino"} {
		b := w.signIn(name)
		for _, pos := range []string{competition.WrittenPosition, competition.ChoicePosition} {
			path := "/interviews/" + url.PathEscape(pos)
			p := b.get(path)
			for _, code := range interviewCodes(p.body) {
				form := url.Values{}
				n := points(code, i)
				if pos == competition.WrittenPosition { // four competences: 10, 8, 7, 5
					form = competences(n)
				} else {
					form.Set("points", fmt.Sprint(n))
				}
				if r := b.post(path+"/"+url.PathEscape(code), path, form); r.status != http.StatusSeeOther {
					t.Fatalf("%s interviewing %s: %d %.400s", name, code, r.status, r.body)
				}
			}
		}
	}
}

// competences splits interview points over the demo position's four competences.
func competences(n int) url.Values {
	form := url.Values{}
	for _, c := range []struct {
		id  string
		max int
	}{{"professional-knowledge", 10}, {"communication", 8}, {"problem-solving", 7}, {"motivation", 5}} {
		v := min(n, c.max)
		form.Set("c-"+c.id, fmt.Sprint(v))
		n -= v
	}
	return form
}

func interviewCodes(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `<tr id="`)[1:] {
		out = append(out, part[:strings.Index(part, `"`)])
	}
	return out
}

func TestInterviewsAndTheList(t *testing.T) {
	w := newWorld(t)
	dino := w.signIn("dino")
	written := "/interviews/" + url.PathEscape(competition.WrittenPosition)
	if p := dino.get(written); !strings.Contains(p.body, "once every written task of the position is graded") || len(interviewCodes(p.body)) != 0 {
		t.Fatalf("interviews offered before grading is complete")
	}
	gradeTheDemo(t, w)
	p := dino.get(written)
	codes := interviewCodes(p.body)
	// DEMO-12/2026: 0001 strong (88), 0002 fair (72, fails 75), 0005 failed the public exam,
	// 0007 strong, 0008 weak, 0009 fair: 0001 and 0007 are offered.
	if strings.Join(codes, ",") != "DEMO-0001,DEMO-0007" {
		t.Fatalf("offered for an interview: %v", codes)
	}
	if p := dino.post(written+"/DEMO-0008", written, competences(20)); p.status != http.StatusNotFound {
		t.Errorf("interviewing a candidate who failed: %d", p.status)
	}
	bad := competences(20)
	bad.Set("c-motivation", "6") // its maximum is 5
	if p := dino.post(written+"/DEMO-0001", written, bad); p.status != http.StatusBadRequest {
		t.Errorf("a competence over its maximum: %d", p.status)
	}
	choice := "/interviews/" + url.PathEscape(competition.ChoicePosition)
	if p := dino.post(choice+"/DEMO-0003", choice, url.Values{"points": {"31"}}); p.status != http.StatusBadRequest {
		t.Errorf("31 interview points: %d", p.status)
	}
	if ivs, _ := w.store.Interviews(context.Background()); len(ivs) != 0 {
		t.Fatalf("refused entries stored: %+v", ivs)
	}
	interviewAll(t, w, func(code string, interviewer int) int {
		return map[string]int{"DEMO-0001": 20, "DEMO-0007": 25, "DEMO-0003": 24, "DEMO-0012": 18, "DEMO-0006": 15, "DEMO-0004": 22}[code] + interviewer
	})
	sec := w.signIn("tajnica")
	r := sec.get("/results/" + url.PathEscape(competition.ChoicePosition))
	// DEMO-14/2026: 0003 90+25 (24, 25: mean 24.5 → 25) = 115, 0012 100+19 = 119, 0006 80+16 =
	// 96, 0004 70+23 = 93, 0010 failed (60), 0011 absent.
	list := r.body[strings.Index(r.body, `<ol class="list">`):]
	list = list[:strings.Index(list, "</ol>")]
	order := []string{"Dženan Mujić", "Драгана Петровић", "Marko Jurić"}
	last := -1
	for _, name := range order {
		i := strings.Index(list, name)
		if i < last {
			t.Errorf("the list is not in order %v: %s", order, list)
		}
		last = i
	}
	if strings.Contains(list, "Arbër") {
		t.Errorf("fourth place on the list of three")
	}
	if !strings.Contains(r.body, "Tomislav Babić") || !strings.Contains(r.body, "did not come") {
		t.Errorf("the absentee is not listed")
	}
	if strings.Count(r.body, "<svg") != 2 || !strings.Contains(r.body, "pass mark 70") {
		t.Errorf("charts: %d", strings.Count(r.body, "<svg"))
	}
	rec := sec.get("/results/" + url.PathEscape(competition.ChoicePosition) + "/record")
	for _, want := range []string{"Record of the results: DEMO-14/2026", "Amra Tajić", "Ana Anić", "Dino Dinić", "Signature"} {
		if !strings.Contains(rec.body, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	pub := sec.post("/results/"+url.PathEscape(competition.ChoicePosition)+"/publication", "/results/"+url.PathEscape(competition.ChoicePosition), url.Values{"action": {"publish"}})
	if pub.status != http.StatusSeeOther {
		t.Fatalf("publishing: %d", pub.status)
	}
	if p := w.signIn("ana").post(choice+"/DEMO-0003", choice, url.Values{"points": {"30"}}); p.status != http.StatusConflict {
		t.Errorf("interview points after publication: %d", p.status)
	}

	data := sec.get("/ranking.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(data.body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("ranking CSV: %v, %d rows", err, len(rows))
	}
	if rows[1][0] != competition.ChoicePosition && rows[1][0] != competition.WrittenPosition {
		t.Errorf("ranking CSV row %v", rows[1])
	}
}

func TestResultsHideNamesWhileGrading(t *testing.T) {
	w := newWorld(t)
	sec := w.signIn("tajnica")
	p := sec.get("/results/" + url.PathEscape(competition.WrittenPosition))
	for _, name := range []string{"Emina", "Ivana", "DEMO-0001"} {
		if strings.Contains(p.body, name) {
			t.Errorf("the results of a position being graded show %q", name)
		}
	}
	if strings.Contains(sec.get("/results.csv").body, "Emina") {
		t.Errorf("the CSV download shows a position being graded")
	}
	if p := sec.post("/results/"+url.PathEscape(competition.WrittenPosition)+"/publication", "/results", url.Values{"action": {"publish"}}); p.status != http.StatusConflict {
		t.Errorf("publishing before grading is complete: %d", p.status)
	}
	if p := sec.get("/results/NO-SUCH"); p.status != http.StatusNotFound {
		t.Errorf("an unknown position: %d", p.status)
	}
}
