package console

import (
	"errors"
	"net/http"
	"strings"

	"ispit/scorer"
)

// Accounts: the secretary adds members with their roles (each gets a one-time password, shown
// once), gives a member a new one-time password, disables and enables accounts.

type usersData struct {
	Users    []scorer.User
	Roles    []scorer.Role
	Form     userForm
	Error    string
	Password string // a one-time password just made, shown once
	For      string // whose
	Self     string
}

func (c *Console) usersData(r *request) (usersData, error) {
	users, err := c.store.Users(r.Context())
	return usersData{Users: users, Roles: scorer.Roles, Self: r.user.Name}, err
}

func (c *Console) usersPage(w http.ResponseWriter, r *request) {
	d, err := c.usersData(r)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.render(w, r.view, http.StatusOK, "users", d)
}

func (c *Console) addUser(w http.ResponseWriter, r *request) {
	d, err := c.usersData(r)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	form, problem := parseUserForm(r.PostForm)
	d.Form = form
	if problem != "" {
		d.Form.Name, d.Form.FullName = r.PostForm.Get("name"), r.PostForm.Get("full_name")
		d.Error = problem
		c.render(w, r.view, http.StatusBadRequest, "users", d)
		return
	}
	password := scorer.OneTimePassword()
	now := c.cfg.Now()
	u := scorer.User{Name: form.Name, FullName: form.FullName, Roles: form.Roles, Password: scorer.HashPassword(password), MustChange: true, Created: now}
	roles := make([]string, len(u.Roles))
	for i, ro := range u.Roles {
		roles[i] = string(ro)
	}
	audit := scorer.Audit(r.user.Name, scorer.AuditUserAdded, u.Name, now, map[string]string{"roles": strings.Join(roles, ","), "full_name": u.FullName})
	switch err := c.store.AddUser(r.Context(), u, audit); {
	case errors.Is(err, scorer.ErrConflict):
		d.Error = "console.users.taken"
		c.render(w, r.view, http.StatusConflict, "users", d)
		return
	case err != nil:
		c.fail(w, r.view, err)
		return
	}
	c.showPassword(w, r, http.StatusCreated, u.Name, password)
}

// showPassword shows the members with a one-time password just made, once.
func (c *Console) showPassword(w http.ResponseWriter, r *request, status int, name, password string) {
	d, err := c.usersData(r)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	d.Password, d.For = password, name
	c.render(w, r.view, status, "users", d)
}

func (c *Console) changeUser(w http.ResponseWriter, r *request) {
	d, err := c.usersData(r)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	u, err := c.store.User(r.Context(), r.PathValue("name"))
	if errors.Is(err, scorer.ErrNotFound) {
		c.status(w, r.view, http.StatusNotFound, "console.users.unknown")
		return
	}
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	now := c.cfg.Now()
	var action scorer.AuditAction
	var password string
	switch r.PostForm.Get("action") {
	case "reset":
		password = scorer.OneTimePassword()
		u.Password, u.MustChange, action = scorer.HashPassword(password), true, scorer.AuditPasswordReset
	case "disable":
		if u.Name == r.user.Name {
			d.Error = "console.users.not_self"
			c.render(w, r.view, http.StatusBadRequest, "users", d)
			return
		}
		u.Disabled, action = true, scorer.AuditUserDisabled
	case "enable":
		u.Disabled, action = false, scorer.AuditUserEnabled
	default:
		c.status(w, r.view, http.StatusBadRequest, "console.error.bad_form")
		return
	}
	if err := c.store.UpdateUser(r.Context(), *u, scorer.Audit(r.user.Name, action, u.Name, now, nil)); err != nil {
		c.fail(w, r.view, err)
		return
	}
	if action == scorer.AuditPasswordReset {
		if err := c.store.SetSignInState(r.Context(), u.Name, scorer.SignInState{}); err != nil {
			c.fail(w, r.view, err)
			return
		}
		c.showPassword(w, r, http.StatusOK, u.Name, password)
		return
	}
	c.flash(w, "console.users.changed")
	http.Redirect(w, r.Request, "/users", http.StatusSeeOther)
}

// fullName is a member's name as the console shows it: the full name of an account, or the
// name as recorded ("cli:operator") when there is no such account.
func (c *Console) fullName(r *request, name string) string {
	if u, err := c.store.User(r.Context(), name); err == nil {
		return u.FullName
	}
	return name
}
