package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ispit/internal/competition"
	"ispit/scorer"
)

var taskLink = regexp.MustCompile(`href="(/grading/[0-9A-Z]{4}-[0-9A-Z]{4}/[a-z0-9-]+)"`)

// queue lists the task paths of a grader's queue page, to grade first.
func (b *browser) queue() []string {
	b.w.t.Helper()
	p := b.get("/grading")
	if p.status != http.StatusOK {
		b.w.t.Fatalf("queue: %d", p.status)
	}
	toGrade, _, _ := strings.Cut(p.body, "you graded")
	var out []string
	for _, m := range taskLink.FindAllStringSubmatch(toGrade, -1) {
		out = append(out, m[1])
	}
	return out
}

func (b *browser) grade(path string, points int, comment string) page {
	return b.post(path, path, url.Values{"points": {fmt.Sprint(points)}, "comment": {comment}})
}

// identities are everything that would tell a grader whose script they read.
func identities(t *testing.T, w *world) []string {
	t.Helper()
	var out []string
	sn, err := scorer.NewBoard(w.store, nil).Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sn.Roster {
		out = append(out, c.Code, c.Name)
		out = append(out, strings.Fields(c.Name)...)
	}
	for _, bs := range sn.Sheets {
		out = append(out, bs.Record.SheetID, bs.Record.ReceiptCode, bs.Record.Session)
	}
	return append(out, "T-01")
}

func TestGradingIsBlind(t *testing.T) {
	w := newWorld(t)
	ana := w.signIn("ana")
	tasks := ana.queue()
	if len(tasks) != 12 { // six scripts of DEMO-12/2026, two tasks each
		t.Fatalf("%d tasks in the queue: %v", len(tasks), tasks)
	}
	secret := identities(t, w)
	seen := map[string]bool{}
	check := func(what, text string) {
		t.Helper()
		for _, s := range secret {
			if len(s) > 2 && strings.Contains(text, s) {
				t.Errorf("%s shows %q", what, s)
			}
		}
	}
	check("the queue", ana.get("/grading").body)
	for _, path := range tasks {
		check("the URL "+path, path)
		p := ana.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d", path, p.status)
		}
		check(path, p.body)
		script := strings.Split(path, "/")[2]
		seen[script] = true
		for _, want := range []string{"The candidate&#39;s answer", "Grading guide", "Model answer", "worth 50 points"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	if len(seen) != 6 {
		t.Errorf("%d scripts", len(seen))
	}
	// The script shows the candidate's text exactly, paragraph by paragraph, and the prompt in
	// the candidate's language.
	sn, _ := scorer.NewBoard(w.store, nil).Current(context.Background())
	for _, bs := range sn.Sheets {
		if bs.Script == "" {
			continue
		}
		for _, si := range bs.Sheet.Items {
			p := ana.get("/grading/" + bs.Script + "/" + si.ID)
			for _, para := range strings.Split(si.Text, "\n\n") {
				first := strings.SplitN(para, "\n", 2)[0]
				if !strings.Contains(p.body, htmlEscape(first)) {
					t.Errorf("script %s does not show the candidate's line %q", bs.Script, first)
				}
			}
			if !strings.Contains(p.body, `lang="`+bs.Sheet.Language+`"`) {
				t.Errorf("script %s is not marked as %s", bs.Script, bs.Sheet.Language)
			}
		}
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestGradesAreKeptApart(t *testing.T) {
	w := newWorld(t)
	ana, boris, cvijeta := w.signIn("ana"), w.signIn("boris"), w.signIn("cvijeta")
	task := ana.queue()[0]
	if p := ana.grade(task, 37, "Dobro obrazloženje, nedostaje pouka."); p.status != http.StatusSeeOther {
		t.Fatalf("grading: %d %.300s", p.status, p.body)
	}
	mine := ana.get(task)
	if !strings.Contains(mine.body, `value="37"`) || !strings.Contains(mine.body, "nedostaje pouka") {
		t.Errorf("ana does not see her own grade")
	}
	other := boris.get(task)
	// Only the points field and the comment would carry ana's grade: "37" alone can occur by chance
	// in a token or a word count.
	if strings.Contains(other.body, `value="37"`) || strings.Contains(other.body, "nedostaje pouka") {
		t.Errorf("boris sees ana's grade")
	}
	if !slicesContains(boris.queue(), task) {
		t.Errorf("the task is not in boris's queue")
	}
	for name, points := range map[string]string{"negative": "-1", "over the maximum": "51", "not a number": "abc", "fraction": "20.5", "empty": ""} {
		if p := boris.post(task, task, url.Values{"points": {points}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "Enter whole points from 0 to 50.") {
			t.Errorf("%s points: %d", name, p.status)
		}
	}
	if p := boris.post(task, task, url.Values{"points": {"30"}, "comment": {strings.Repeat("ž", 2001)}}); p.status != http.StatusBadRequest {
		t.Errorf("a comment of 2001 characters: %d", p.status)
	}
	if p := boris.grade(task, 40, ""); p.status != http.StatusSeeOther {
		t.Fatalf("boris grading: %d", p.status)
	}
	// Two graders is what the rules require: a third is not asked.
	if slicesContains(cvijeta.queue(), task) {
		t.Errorf("a task with its graders is offered to a third")
	}
	if p := cvijeta.grade(task, 10, ""); p.status != http.StatusBadRequest || !strings.Contains(p.body, "does not need your grade") {
		t.Errorf("a third grade: %d", p.status)
	}
	grades, _ := w.store.Grades(context.Background())
	if len(grades) != 2 {
		t.Fatalf("%d grades stored: %+v", len(grades), grades)
	}
	// A grader changes their own grade; the mean follows (37 and 42 give 39.5, rounded up to 40).
	if p := ana.grade(task, 42, "revised"); p.status != http.StatusSeeOther {
		t.Fatalf("changing a grade: %d", p.status)
	}
	sn, _ := scorer.NewBoard(w.store, nil).Current(context.Background())
	script := strings.Split(task, "/")[2]
	bs, _ := sn.SheetByScript(script)
	for _, ir := range bs.Result.Items {
		if "/grading/"+script+"/"+ir.ID == task && (ir.Points != 41 || ir.Pending) {
			t.Errorf("task %s: %d points (pending %v), want 41 (42 and 40)", ir.ID, ir.Points, ir.Pending)
		}
	}
	// Graders and interviewers cannot open a task by a made-up or candidate's code.
	for _, path := range []string{"/grading/ZZZZ-ZZZZ/pro-wr-01", "/grading/DEMO-0001/pro-wr-01", "/grading/" + script + "/pro-mc-01", "/grading/" + script + "/nothing"} {
		if p := ana.get(path); p.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, p.status)
		}
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// gradeAll has two graders grade every written task: each task the points of pointsFor.
func gradeAll(t *testing.T, w *world, first, second *browser, pointsFor func(path string, grader int) int) {
	t.Helper()
	for i, g := range []*browser{first, second} {
		for _, task := range g.queue() {
			if p := g.grade(task, pointsFor(task, i), ""); p.status != http.StatusSeeOther {
				t.Fatalf("grading %s: %d %.300s", task, p.status, p.body)
			}
		}
	}
}

func TestDisagreementGoesToTheSecretary(t *testing.T) {
	w := newWorld(t)
	ana, boris, cvijeta, sec := w.signIn("ana"), w.signIn("boris"), w.signIn("cvijeta"), w.signIn("tajnica")
	tasks := ana.queue()
	disputed, decided := tasks[0], tasks[1]
	gradeAll(t, w, ana, boris, func(path string, grader int) int {
		if (path == disputed || path == decided) && grader == 1 {
			return 10 // 30 against 10: more than the limit of 10
		}
		return 30
	})
	p := sec.get("/disputes")
	if strings.Count(p.body, `value="further-grader"`) != 2 {
		t.Fatalf("the secretary sees %d disputes", strings.Count(p.body, `value="further-grader"`))
	}
	if !strings.Contains(p.body, "Ana Anić") && !strings.Contains(p.body, "ana") {
		t.Errorf("the secretary does not see who graded")
	}
	// Names stay hidden while a dispute is open.
	if r := sec.get("/results/" + url.PathEscape(competition.WrittenPosition)); strings.Contains(r.body, "Emina") {
		t.Errorf("names shown while grading goes on")
	}
	disputedPath := "/disputes/" + strings.TrimPrefix(disputed, "/grading/")
	decidedPath := "/disputes/" + strings.TrimPrefix(decided, "/grading/")
	if p := sec.post(decidedPath, "/disputes", url.Values{"kind": {"decision"}, "points": {"25"}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "needs its reason") {
		t.Errorf("a decision without a reason: %d", p.status)
	}
	if p := sec.post(decidedPath, "/disputes", url.Values{"kind": {"decision"}, "points": {"51"}, "note": {"x"}}); p.status != http.StatusBadRequest {
		t.Errorf("a decision over the maximum: %d", p.status)
	}
	if p := sec.post(decidedPath, "/disputes", url.Values{"kind": {"decision"}, "points": {"25"}, "note": {"Komisija je ujednačila ocjene."}}); p.status != http.StatusSeeOther {
		t.Fatalf("a decision: %d %.300s", p.status, p.body)
	}
	if p := sec.post(disputedPath, "/disputes", url.Values{"kind": {"further-grader"}}); p.status != http.StatusSeeOther {
		t.Fatalf("asking a further grader: %d", p.status)
	}
	if p := sec.post(disputedPath, "/disputes", url.Values{"kind": {"further-grader"}}); p.status != http.StatusNotFound {
		t.Errorf("resolving a resolved dispute: %d", p.status)
	}
	if q := cvijeta.queue(); len(q) != 1 || q[0] != disputed {
		t.Fatalf("cvijeta's queue: %v", q)
	}
	if p := cvijeta.grade(disputed, 20, "Treći ocjenjivač."); p.status != http.StatusSeeOther {
		t.Fatal(p.status)
	}
	sn, _ := scorer.NewBoard(w.store, nil).Current(context.Background())
	if len(sn.Disputes()) != 0 || !sn.Revealed(competition.WrittenPosition) {
		t.Fatalf("disputes %d, revealed %v", len(sn.Disputes()), sn.Revealed(competition.WrittenPosition))
	}
	for _, bs := range sn.Sheets {
		for _, ir := range bs.Result.Items {
			path := "/grading/" + bs.Script + "/" + ir.ID
			switch path {
			case decided:
				if ir.Points != 25 {
					t.Errorf("decided task: %d points", ir.Points)
				}
			case disputed:
				if ir.Points != 20 { // 30, 10 and 20
					t.Errorf("task with a further grader: %d points", ir.Points)
				}
			}
		}
	}
	if r := sec.get("/results/" + url.PathEscape(competition.WrittenPosition)); !strings.Contains(r.body, "Emina Hodžić") {
		t.Errorf("names not shown once grading is complete")
	}
	var kinds []scorer.ResolutionKind
	rs, _ := w.store.Resolutions(context.Background())
	for _, r := range rs {
		kinds = append(kinds, r.Kind)
	}
	if len(kinds) != 2 {
		t.Errorf("resolutions %v", kinds)
	}
}
