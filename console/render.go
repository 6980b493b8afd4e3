package console

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"ispit/i18n"
	"ispit/scorer"
)

// pages are the parsed templates: each screen's template with the one layout and the parts
// several screens share (templates/parts).
type pages struct {
	byName map[string]*template.Template
}

func loadPages() (*pages, error) {
	layout, err := fs.ReadFile(files, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	partNames, err := fs.Glob(files, "templates/parts/*.html")
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, name := range partNames {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		parts = append(parts, string(data))
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" {
			continue
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("console: layout: %w", err)
		}
		for i, part := range parts {
			if _, err := t.New(partNames[i]).Parse(part); err != nil {
				return nil, fmt.Errorf("console: %s: %w", partNames[i], err)
			}
		}
		if _, err := t.New(base).Parse(string(body)); err != nil {
			return nil, fmt.Errorf("console: %s: %w", name, err)
		}
		p.byName[base] = t
	}
	return p, nil
}

// funcs are the template functions that need no request.
var funcs = template.FuncMap{
	"pathEscape": url.PathEscape,
	"add":        func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	// dict passes several values to a template defined within a page: dict "A" 1 "B" 2.
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"paragraphs": paragraphs,
	"shortID":    shortID,
	"bankText":   bankText,
	"words":      words,
}

// view is what every page shows besides its own data: the language, the member and the
// navigation, the CSRF token for forms, a notice.
type view struct {
	L      *loc
	Lang   string
	Langs  []i18n.Language
	Path   string // the page's path with its query, for the language links
	user   *scorer.User
	csrf   string
	notice string
	// Refresh, when set, reloads the page every so many seconds (the exam day).
	Refresh int
}

// newView starts a request's view: the language from the cookie, the browser's languages or
// English, and a notice left by the previous page.
func (c *Console) newView(w http.ResponseWriter, r *http.Request) *view {
	lang := c.cookie(r, langCookie)
	if _, err := i18n.New(lang); lang == "" || err != nil {
		lang = pickAccepted(r.Header.Get("Accept-Language"))
	}
	v := &view{L: c.newLoc(lang), Lang: lang, Langs: i18n.Languages(), Path: r.URL.RequestURI()}
	if id := c.cookie(r, flashCookie); strings.HasPrefix(id, "console.") {
		v.notice = id
		c.setCookie(w, flashCookie, "", -1, true)
	}
	return v
}

// pickAccepted picks the console's language from a browser's Accept-Language list.
func pickAccepted(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if tag == "" || tag == "*" {
			continue
		}
		if lang := i18n.Pick(tag); lang != i18n.Fallback || strings.HasPrefix(strings.ToLower(tag), "en") {
			return lang
		}
	}
	return i18n.Fallback
}

const flashCookie = "ispit-flash"

// flash leaves a notice for the next page the browser shows.
func (c *Console) flash(w http.ResponseWriter, id string) { c.setCookie(w, flashCookie, id, 60, true) }

// setLanguage switches the console's language and goes back to the page.
func (c *Console) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if _, err := i18n.New(lang); err == nil {
		c.setCookie(w, langCookie, lang, 365*24*3600, false)
	}
	http.Redirect(w, r, safeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
}

// page is the data a template gets: the view and the screen's own data.
type page struct {
	*view
	Data any
}

// User is the signed-in member, or nil on the sign-in page.
func (p page) User() *scorer.User { return p.user }

// CSRF is the token every form carries.
func (p page) CSRF() string { return p.csrf }

// Notice is the catalogue id of a message for the member, or "".
func (p page) Notice() string { return p.notice }

// render writes a page.
func (c *Console) render(w http.ResponseWriter, v *view, status int, name string, data any) {
	t, ok := c.pages.byName[name]
	if !ok {
		c.cfg.Log.Error("console: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", page{view: v, Data: data}); err != nil {
		c.cfg.Log.Error("console: rendering", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type statusData struct {
	Message string
	Status  int
}

// status renders a page that says what went wrong, in the member's language.
func (c *Console) status(w http.ResponseWriter, v *view, status int, messageID string) {
	c.render(w, v, status, "status", statusData{Message: messageID, Status: status})
}

// fail reports an error of the storage or the program: logged in full, the member told that
// nothing was saved.
func (c *Console) fail(w http.ResponseWriter, v *view, err error) {
	c.cfg.Log.Error("console", "err", err)
	c.status(w, v, http.StatusInternalServerError, "console.error.internal")
}

// shortID is an id short enough for a table's column: its last 8 characters after an
// ellipsis. Sessions and attempts have UUIDv7 ids, whose first characters are the time they
// began to the minute, the same for every room that opened when the start code was released;
// their last characters are random.
func shortID(id string) string {
	const keep = 8
	r := []rune(id)
	if len(r) <= keep+1 {
		return id
	}
	return "…" + string(r[len(r)-keep:])
}

// paragraphs splits a candidate's text into paragraphs exactly as written: lines kept, blank
// lines separating paragraphs.
func paragraphs(text string) [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// words counts the words of a text as the kiosk's editor does: runs of non-space.
func words(text string) int { return len(strings.Fields(text)) }
