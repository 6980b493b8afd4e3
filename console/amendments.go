package console

import (
	"errors"
	"io"
	"net/http"

	"ispit/bank"
	"ispit/scorer"
)

// Key amendments: the authority's signed corrections of an answer key, what each changed
// (whose points, outcome and place, before and after), and, where the console trusts the
// authority's key, loading one from a file.

// maxAmendmentBytes bounds an uploaded amendment file.
const maxAmendmentBytes = 1 << 20

type amendmentView struct {
	scorer.StoredAmendment
	Amendment *bank.Amendment
}

type amendmentsData struct {
	Amendments []amendmentView
	CanUpload  bool
	Error      string
	Detail     string
}

func (c *Console) amendmentsData(r *request) (amendmentsData, error) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		return amendmentsData{}, err
	}
	d := amendmentsData{CanUpload: c.cfg.Trust != nil}
	for i := len(sn.Amendments) - 1; i >= 0; i-- {
		sa := sn.Amendments[i]
		am, err := bank.DecodeAmendment(sa.File)
		if err != nil {
			return d, err
		}
		sa.LoadedBy = c.fullName(r, sa.LoadedBy)
		d.Amendments = append(d.Amendments, amendmentView{StoredAmendment: sa, Amendment: am})
	}
	return d, nil
}

func (c *Console) amendmentsPage(w http.ResponseWriter, r *request) {
	d, err := c.amendmentsData(r)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.render(w, r.view, http.StatusOK, "amendments", d)
}

func (c *Console) uploadAmendment(w http.ResponseWriter, r *request) {
	d, err := c.amendmentsData(r)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	if c.cfg.Trust == nil {
		c.status(w, r.view, http.StatusForbidden, "console.amendments.no_trust")
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		d.Error = "console.amendments.no_file"
		c.render(w, r.view, http.StatusBadRequest, "amendments", d)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxAmendmentBytes+1))
	if err != nil || len(data) > maxAmendmentBytes {
		d.Error = "console.amendments.too_large"
		c.render(w, r.view, http.StatusRequestEntityTooLarge, "amendments", d)
		return
	}
	sa, loaded, err := scorer.ApplyAmendment(r.Context(), c.board, data, c.cfg.Trust, r.user.Name, c.cfg.Now())
	if err != nil {
		d.Error, d.Detail = amendmentProblem(err), err.Error()
		c.render(w, r.view, http.StatusBadRequest, "amendments", d)
		return
	}
	if !loaded {
		c.flash(w, "console.amendments.again")
	} else {
		c.flash(w, "console.amendments.applied")
	}
	http.Redirect(w, r.Request, "/amendments#"+sa.SHA256[:12], http.StatusSeeOther)
}

// amendmentProblem says in the member's language why an amendment was refused; the exact
// reason goes with it.
func amendmentProblem(err error) string {
	switch {
	case errors.Is(err, bank.ErrUntrusted), errors.Is(err, bank.ErrBadSignature):
		return "console.amendments.untrusted"
	case errors.Is(err, bank.ErrAmendmentMismatch):
		return "console.amendments.mismatch"
	case errors.Is(err, scorer.ErrAmendmentOrder):
		return "console.amendments.order"
	case errors.Is(err, scorer.ErrNotFound):
		return "console.amendments.no_key"
	}
	return "console.amendments.malformed"
}
