package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"ispit/scorer"
)

// Cookie names. The __Host- prefix makes the browser refuse them unless Secure, on this host
// only and for the whole site; over plain HTTP (Config.Insecure) they go without the prefix.
const (
	sessionCookie = "ispit-session"
	signInCookie  = "ispit-signin" // the CSRF token of the sign-in form, before a session exists
	langCookie    = "ispit-lang"
)

// maxFormBytes bounds a form's body: the longest is a grader's comment or an appeal's grounds.
// maxUploadBytes bounds a form with a file: an amendment.
const (
	maxFormBytes   = 64 << 10
	maxUploadBytes = 2 << 20
)

// request is what a signed-in member's handler gets.
type request struct {
	*http.Request
	user    *scorer.User
	session *scorer.Session
	view    *view
}

type handler func(http.ResponseWriter, *request)

func (c *Console) cookieName(name string) string {
	if c.cfg.Insecure {
		return name
	}
	return "__Host-" + name
}

func (c *Console) setCookie(w http.ResponseWriter, name, value string, maxAge int, httpOnly bool) {
	http.SetCookie(w, &http.Cookie{
		Name: c.cookieName(name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: httpOnly, Secure: !c.cfg.Insecure, SameSite: http.SameSiteStrictMode,
	})
}

func (c *Console) cookie(r *http.Request, name string) string {
	ck, err := r.Cookie(c.cookieName(name))
	if err != nil {
		return ""
	}
	return ck.Value
}

// member wraps a handler that needs a signed-in member (with the role, if given): it finds the
// session, ends it when expired, sends a member with a one-time password to choose their own,
// and checks the CSRF token of every form.
func (c *Console) member(role *scorer.Role, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := c.newView(w, r)
		now := c.cfg.Now()
		token := c.cookie(r, sessionCookie)
		if token == "" {
			c.toSignIn(w, r, "")
			return
		}
		se, err := c.store.Session(r.Context(), scorer.HashToken(token))
		if errors.Is(err, scorer.ErrNotFound) || (err == nil && !se.Valid(now)) {
			c.setCookie(w, sessionCookie, "", -1, true)
			c.toSignIn(w, r, "console.signin.expired")
			return
		}
		if err != nil {
			c.fail(w, v, err)
			return
		}
		u, err := c.store.User(r.Context(), se.User)
		if err != nil || u.Disabled {
			c.setCookie(w, sessionCookie, "", -1, true)
			c.toSignIn(w, r, "console.signin.expired")
			return
		}
		if r.Method == http.MethodPost {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
				r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
				err = r.ParseMultipartForm(maxUploadBytes)
			} else {
				r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
				err = r.ParseForm()
			}
			if err != nil {
				c.status(w, v, http.StatusRequestEntityTooLarge, "console.error.form_too_large")
				return
			}
			if !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(se.CSRF)) != 1 {
				c.status(w, v, http.StatusForbidden, "console.error.csrf")
				return
			}
		}
		if se.Seen.Add(time.Minute).Before(now) { // at most one write a minute per session
			if err := c.store.TouchSession(r.Context(), se.TokenHash, now, se.Extended(now)); err != nil {
				c.fail(w, v, err)
				return
			}
		}
		v.user, v.csrf = u, se.CSRF
		if u.MustChange && r.URL.Path != "/password" && r.URL.Path != "/signout" {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		if role != nil && !u.Has(*role) {
			c.status(w, v, http.StatusForbidden, "console.error.forbidden")
			return
		}
		h(w, &request{Request: r, user: u, session: se, view: v})
	})
}

// sameOrigin refuses a form posted from another site: a browser says where a POST comes from
// (Sec-Fetch-Site) and names its origin, or "null" where its referrer policy hides it.
func sameOrigin(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" && site != "none" {
		return false
	}
	switch origin := r.Header.Get("Origin"); origin {
	case "":
		return true
	case "null":
		return site == "same-origin"
	default:
		u, err := url.Parse(origin)
		return err == nil && u.Host == r.Host
	}
}

func (c *Console) toSignIn(w http.ResponseWriter, r *http.Request, notice string) {
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	if notice != "" {
		q.Set("notice", notice)
	}
	target := "/signin"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext is a local path to go to after signing in, never another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}

type signInData struct {
	Token, Name, Next string
	Error             string
	Locked            time.Time
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	v := c.newView(w, r)
	token := c.cookie(r, signInCookie)
	if token == "" {
		token = scorer.RandomToken()
		c.setCookie(w, signInCookie, token, 3600, true)
	}
	notice := r.URL.Query().Get("notice")
	if notice != "console.signin.expired" && notice != "console.signin.signed_out" {
		notice = ""
	}
	v.notice = notice
	c.render(w, v, http.StatusOK, "signin", signInData{Token: token, Next: safeNext(r.URL.Query().Get("next"))})
}

func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	v := c.newView(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		c.status(w, v, http.StatusRequestEntityTooLarge, "console.error.form_too_large")
		return
	}
	token := c.cookie(r, signInCookie)
	if token == "" || !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(token)) != 1 {
		c.status(w, v, http.StatusForbidden, "console.error.csrf")
		return
	}
	name, password := r.PostForm.Get("name"), r.PostForm.Get("password")
	data := signInData{Token: token, Name: name, Next: safeNext(r.PostForm.Get("next"))}
	now := c.cfg.Now()
	c.hashing <- struct{}{}
	u, err := scorer.SignIn(r.Context(), c.store, name, password, now)
	<-c.hashing
	var locked *scorer.LockedError
	switch {
	case errors.As(err, &locked):
		data.Error, data.Locked = "console.signin.locked", locked.Until
		c.auditQuietly(r.Context(), scorer.Audit(auditName(name), scorer.AuditSignInRefused, auditName(name), now, map[string]string{"reason": "locked"}))
		c.render(w, v, http.StatusTooManyRequests, "signin", data)
		return
	case errors.Is(err, scorer.ErrSignIn):
		data.Error = "console.signin.wrong"
		c.auditQuietly(r.Context(), scorer.Audit(auditName(name), scorer.AuditSignInRefused, auditName(name), now, map[string]string{"reason": "wrong"}))
		c.render(w, v, http.StatusUnauthorized, "signin", data)
		return
	case err != nil:
		c.fail(w, v, err)
		return
	}
	se, secret := scorer.NewSession(u.Name, now)
	if err := c.store.CreateSession(r.Context(), se); err != nil {
		c.fail(w, v, err)
		return
	}
	c.auditQuietly(r.Context(), scorer.Audit(u.Name, scorer.AuditSignIn, u.Name, now, nil))
	c.setCookie(w, signInCookie, "", -1, true)
	c.setCookie(w, sessionCookie, secret, int(scorer.SessionMax/time.Second), true)
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

// auditName is a typed sign-in name as the audit log may hold it: trimmed, bounded, one line.
func auditName(name string) string {
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if len(n) > 64 {
		n = n[:64]
	}
	if n == "" {
		n = "-"
	}
	return n
}

// auditQuietly appends an entry that goes with no change; failing to log a sign-in does not
// stop it, but is logged.
func (c *Console) auditQuietly(ctx context.Context, a scorer.AuditEntry) {
	if err := c.store.AppendAudit(ctx, a); err != nil {
		c.cfg.Log.Error("console: audit", "action", a.Action, "err", err)
	}
}

func (c *Console) signOut(w http.ResponseWriter, r *request) {
	if err := c.store.DeleteSession(r.Context(), r.session.TokenHash); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.auditQuietly(r.Context(), scorer.Audit(r.user.Name, scorer.AuditSignOut, r.user.Name, c.cfg.Now(), nil))
	c.setCookie(w, sessionCookie, "", -1, true)
	http.Redirect(w, r.Request, "/signin?notice=console.signin.signed_out", http.StatusSeeOther)
}

type passwordData struct {
	MustChange bool
	Error      string
	Min, Max   int
}

func (c *Console) passwordPage(w http.ResponseWriter, r *request) {
	c.render(w, r.view, http.StatusOK, "password", passwordData{MustChange: r.user.MustChange, Min: scorer.MinPasswordLength, Max: scorer.MaxPasswordLength})
}

func (c *Console) changePassword(w http.ResponseWriter, r *request) {
	data := passwordData{MustChange: r.user.MustChange, Min: scorer.MinPasswordLength, Max: scorer.MaxPasswordLength}
	current, next, again := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("again")
	c.hashing <- struct{}{}
	ok := scorer.VerifyPassword(r.user.Password, current)
	<-c.hashing
	switch {
	case !ok:
		data.Error = "console.password.wrong_current"
	case next != again:
		data.Error = "console.password.mismatch"
	case scorer.CheckPassword(next) != nil:
		data.Error = "console.password.rules"
	case next == current:
		data.Error = "console.password.same"
	}
	if data.Error != "" {
		c.render(w, r.view, http.StatusBadRequest, "password", data)
		return
	}
	u := *r.user
	u.Password, u.MustChange = scorer.HashPassword(next), false
	now := c.cfg.Now()
	if err := c.store.UpdateUser(r.Context(), u, scorer.Audit(u.Name, scorer.AuditPasswordChanged, u.Name, now, nil)); err != nil {
		c.fail(w, r.view, err)
		return
	}
	// Changing the password ended every session of the member: this one starts anew.
	se, secret := scorer.NewSession(u.Name, now)
	if err := c.store.CreateSession(r.Context(), se); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.setCookie(w, sessionCookie, secret, int(scorer.SessionMax/time.Second), true)
	c.flash(w, "console.password.changed")
	http.Redirect(w, r.Request, "/", http.StatusSeeOther)
}
