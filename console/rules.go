package console

import (
	"fmt"
	"net/http"

	"ispit/scorer"
)

// The grading rules: graders per written task, the disagreement limit, places on the list.

type rulesData struct {
	Rules      scorer.Rules
	Error      string
	MaxGraders int
	MaxList    int
}

func (c *Console) rulesPage(w http.ResponseWriter, r *request) {
	rules, err := c.store.Rules(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.render(w, r.view, http.StatusOK, "rules", rulesData{Rules: rules.WithDefaults(), MaxGraders: scorer.MaxMinGraders, MaxList: scorer.MaxListSize})
}

func (c *Console) saveRules(w http.ResponseWriter, r *request) {
	rules, problem := parseRulesForm(r.PostForm)
	if problem != "" {
		c.render(w, r.view, http.StatusBadRequest, "rules", rulesData{Rules: rules, Error: problem, MaxGraders: scorer.MaxMinGraders, MaxList: scorer.MaxListSize})
		return
	}
	now := c.cfg.Now()
	detail := map[string]string{"graders": fmt.Sprint(rules.MinGraders), "disagreement": fmt.Sprint(rules.Disagreement), "list": fmt.Sprint(rules.ListSize)}
	if err := c.store.PutRules(r.Context(), rules, scorer.Audit(r.user.Name, scorer.AuditRules, "rules", now, detail)); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.rules.saved")
	http.Redirect(w, r.Request, "/rules", http.StatusSeeOther)
}
