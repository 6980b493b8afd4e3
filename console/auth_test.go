package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ispit/scorer"
)

func TestSignInAndOut(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	if p := b.get("/"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/signin") {
		t.Fatalf("a stranger at / is sent to %d %s", p.status, p.location)
	}
	if p := b.get("/results"); !strings.Contains(p.location, "next=%2Fresults") {
		t.Errorf("the sign-in does not lead back: %s", p.location)
	}

	resp, err := b.client.Get(w.server.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || !strings.HasPrefix(c.Name, "__Host-") {
			t.Errorf("cookie %s: HttpOnly %v, Secure %v, SameSite %v", c.Name, c.HttpOnly, c.Secure, c.SameSite)
		}
	}

	wrong := b.post("/signin", "/signin", url.Values{"name": {"ana"}, "password": {"not her password"}})
	unknown := b.post("/signin", "/signin", url.Values{"name": {"nobody"}, "password": {"not her password"}})
	if wrong.status != http.StatusUnauthorized || unknown.status != http.StatusUnauthorized ||
		!strings.Contains(wrong.body, "Wrong user name or password.") || !strings.Contains(unknown.body, "Wrong user name or password.") {
		t.Errorf("wrong password %d, unknown name %d", wrong.status, unknown.status)
	}
	if p := b.post("/signin", "/signin", url.Values{"name": {"ana"}, "password": {memberPassword}, "csrf": {"forged"}}); p.status != http.StatusForbidden {
		t.Errorf("a forged sign-in token: %d", p.status)
	}
	if p := b.do(http.MethodPost, "/signin", url.Values{"name": {"ana"}, "password": {memberPassword}}); p.status != http.StatusForbidden {
		t.Errorf("a sign-in without its token: %d", p.status)
	}

	a := w.signIn("ana")
	if p := a.get("/"); p.status != http.StatusOK || !strings.Contains(p.body, "Welcome, Ana Anić") {
		t.Fatalf("home: %d", p.status)
	}
	if p := a.post("/signout", "/", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", p.status)
	}
	if p := a.get("/"); p.status != http.StatusSeeOther {
		t.Errorf("after signing out / is %d", p.status)
	}
}

func TestSignInLockOut(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	for i := 1; i <= 5; i++ { // five wrong passwords are allowed
		if p := b.post("/signin", "/signin", url.Values{"name": {"boris"}, "password": {"guess"}}); p.status != http.StatusUnauthorized {
			t.Fatalf("try %d: %d", i, p.status)
		}
	}
	p := b.post("/signin", "/signin", url.Values{"name": {"boris"}, "password": {"guess again"}})
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "Too many failed attempts") {
		t.Fatalf("the sixth wrong password: %d", p.status)
	}
	// Locked, the right password is refused too, and the refusal is counted durably.
	if p := b.post("/signin", "/signin", url.Values{"name": {"boris"}, "password": {memberPassword}}); p.status != http.StatusTooManyRequests {
		t.Fatalf("the right password while locked: %d", p.status)
	}
	w.clock.advance(2 * time.Minute)
	w.signIn("boris")
	entries, err := w.store.Audit(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, e := range entries {
		if e.Action == scorer.AuditSignInRefused && e.Actor == "boris" {
			refused++
		}
	}
	if refused != 7 {
		t.Errorf("%d refused sign-ins in the audit log, want 7", refused)
	}
}

func TestSessionExpires(t *testing.T) {
	w := newWorld(t)
	a := w.signIn("ana")
	w.clock.advance(scorer.SessionIdle - time.Minute)
	if p := a.get("/"); p.status != http.StatusOK {
		t.Fatalf("within the idle time: %d", p.status)
	}
	w.clock.advance(scorer.SessionIdle - time.Minute) // used a minute ago: extended
	if p := a.get("/"); p.status != http.StatusOK {
		t.Fatalf("after use, within the idle time: %d", p.status)
	}
	w.clock.advance(scorer.SessionIdle + time.Second)
	if p := a.get("/grading"); p.status != http.StatusSeeOther || !strings.Contains(p.location, "expired") {
		t.Errorf("an idle session: %d %s", p.status, p.location)
	}
}

func TestOneTimePasswordMustBeChanged(t *testing.T) {
	w := newWorld(t)
	sec := w.signIn("tajnica")
	p := sec.post("/users", "/users", url.Values{"name": {"ema"}, "full_name": {"Ema Emić"}, "role": {"grader", "interviewer"}})
	if p.status != http.StatusCreated {
		t.Fatalf("adding a member: %d %.300s", p.status, p.body)
	}
	otp := oneTimePassword(t, p.body)
	e := w.browser()
	if p := e.post("/signin", "/signin", url.Values{"name": {"ema"}, "password": {otp}}); p.status != http.StatusSeeOther {
		t.Fatalf("signing in with the one-time password: %d", p.status)
	}
	if p := e.get("/grading"); p.status != http.StatusSeeOther || p.location != "/password" {
		t.Fatalf("before choosing a password, /grading is %d %s", p.status, p.location)
	}
	for name, form := range map[string]url.Values{
		"wrong current": {"current": {"nope"}, "new": {"a new password"}, "again": {"a new password"}},
		"mismatch":      {"current": {otp}, "new": {"a new password"}, "again": {"another password"}},
		"too short":     {"current": {otp}, "new": {"short"}, "again": {"short"}},
	} {
		if p := e.post("/password", "/password", form); p.status != http.StatusBadRequest {
			t.Errorf("%s: %d", name, p.status)
		}
	}
	p = e.post("/password", "/password", url.Values{"current": {otp}, "new": {"ema's own password"}, "again": {"ema's own password"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("choosing a password: %d %.300s", p.status, p.body)
	}
	if p := e.get("/grading"); p.status != http.StatusOK {
		t.Errorf("after choosing a password, /grading is %d", p.status)
	}
	if p := w.browser().post("/signin", "/signin", url.Values{"name": {"ema"}, "password": {otp}}); p.status != http.StatusUnauthorized {
		t.Errorf("the one-time password still works: %d", p.status)
	}
}

// oneTimePassword reads the one-time password a users page shows.
func oneTimePassword(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `<p class="big code">`)
	if i < 0 {
		t.Fatalf("no one-time password on the page")
	}
	rest := body[i+len(`<p class="big code">`):]
	return rest[:strings.Index(rest, "<")]
}

func TestRolesAndCSRF(t *testing.T) {
	w := newWorld(t)
	grader := w.signIn("boris")
	for _, path := range []string{"/results", "/users", "/audit", "/disputes", "/day", "/appeals", "/amendments", "/interviews"} {
		if p := grader.get(path); p.status != http.StatusForbidden {
			t.Errorf("a grader opens %s: %d", path, p.status)
		}
	}
	sec := w.signIn("tajnica")
	if p := sec.get("/grading"); p.status != http.StatusForbidden {
		t.Errorf("the secretary opens grading: %d", p.status)
	}
	before := auditCount(t, w)
	for name, form := range map[string]url.Values{
		"forged token":    {"graders": {"3"}, "disagreement": {"5"}, "list": {"3"}, "csrf": {"forged"}},
		"missing token":   {"graders": {"3"}, "disagreement": {"5"}, "list": {"3"}, "csrf": {""}},
		"another's token": {"graders": {"3"}, "disagreement": {"5"}, "list": {"3"}, "csrf": {grader.csrf("/")}},
	} {
		if p := sec.post("/rules", "/rules", form); p.status != http.StatusForbidden {
			t.Errorf("%s: %d", name, p.status)
		}
	}
	cross := sec.do(http.MethodPost, "/rules", url.Values{"graders": {"3"}, "disagreement": {"5"}, "list": {"3"}, "csrf": {sec.csrf("/rules")}})
	if cross.status != http.StatusSeeOther {
		t.Errorf("a same-origin form: %d", cross.status)
	}
	req, _ := http.NewRequest(http.MethodPost, w.server.URL+"/rules", strings.NewReader(url.Values{"graders": {"4"}, "disagreement": {"5"}, "list": {"3"}, "csrf": {sec.csrf("/rules")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := sec.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form from another site: %d", resp.StatusCode)
	}
	rules, _ := w.store.Rules(context.Background())
	if rules.MinGraders != 3 || auditCount(t, w) != before+1 {
		t.Errorf("rules %+v, audit entries %d → %d: only the one good form may change anything", rules, before, auditCount(t, w))
	}
}

func auditCount(t *testing.T, w *world) int {
	t.Helper()
	entries, err := w.store.Audit(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action != scorer.AuditSignIn && e.Action != scorer.AuditSignOut && e.Action != scorer.AuditSignInRefused {
			n++
		}
	}
	return n
}
