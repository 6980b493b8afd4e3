package app

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/bank"
	"ispit/i18n"
)

// refreshBanks lists the library, each bank checked again now, with what its manifest says.
func (a *adminView) refreshBanks() {
	u := a.u
	banks, err := u.K.Banks()
	var items []fyne.CanvasObject
	switch {
	case err != nil:
		items = append(items, wrapped(u.t("error.unexpected", map[string]any{"Error": err.Error()})))
	case len(banks) == 0:
		items = append(items, wrapped(u.t("admin.banks.empty", nil)))
	}
	for _, b := range banks {
		items = append(items, widget.NewSeparator(), a.bankCard(b))
	}
	a.setBody(a.bankBody, items)
}

// bankCard is one bank of the library: whether it verifies, its manifest, and its remove button.
func (a *adminView) bankCard(b kiosk.BankEntry) fyne.CanvasObject {
	u := a.u
	id := strings.TrimSuffix(filepath.Base(b.File), ".bank")
	name := filepath.Base(b.File)
	if b.Manifest != nil {
		id, name = b.Manifest.BankID, u.title(b.Manifest.Title)
	}
	items := []fyne.CanvasObject{bold(name)}
	if b.Err == nil {
		ok := wrapped("✔ " + u.t("admin.status.verified", nil))
		ok.Importance = widget.SuccessImportance
		items = append(items, ok)
	} else {
		status := wrapped("✘ " + u.t("admin.status.refused", nil))
		status.Importance = widget.DangerImportance
		items = append(items, status, wrapped(u.t("admin.reason", map[string]any{"Reason": u.refusal(b.Err, b.Manifest)})))
	}
	if m := b.Manifest; m != nil {
		if b.Err == nil {
			items = append(items, a.manifestFacts(m, b.Signer))
		} else {
			items = append(items, facts(fact(u.t("admin.manifest.bank_id", nil), m.BankID)),
				wrapped(u.t("admin.manifest.validity", map[string]any{"From": u.date(m.ValidFrom), "Until": u.date(m.ValidUntil)})))
		}
	}
	remove := newButton(u.t("admin.banks.remove", nil), func() { a.confirmRemove(id, name) })
	remove.Importance = widget.DangerImportance
	items = append(items, container.NewHBox(remove))
	return container.NewVBox(items...)
}

// manifestFacts is what a verified bank's manifest says: identity, signer, validity, languages,
// contents, positions and parts.
func (a *adminView) manifestFacts(m *bank.Manifest, signer string) fyne.CanvasObject {
	u := a.u
	s := kiosk.SummarizeBank(m)
	signedBy := m.Authority
	if signer != "" {
		signedBy = signer + " (" + m.Authority + ")"
	}
	var contents []string
	if s.Questions > 0 {
		contents = append(contents, u.Loc.N("admin.manifest.items", s.Questions, nil))
	}
	if s.Tasks > 0 {
		contents = append(contents, u.Loc.N("admin.manifest.tasks", s.Tasks, nil))
	}
	if s.Images > 0 {
		contents = append(contents, u.Loc.N("admin.manifest.images", s.Images, nil))
	}
	positions := container.NewVBox()
	for _, p := range m.Positions {
		line := p.Code + " — " + u.title(p.Department)
		if p.Municipality != "" {
			line += ", " + p.Municipality
		}
		positions.Add(wrapped(line))
	}
	parts := container.NewVBox()
	for _, p := range s.Parts {
		parts.Add(a.partFacts(p))
	}
	rows := [][2]fyne.CanvasObject{
		fact(u.t("admin.manifest.bank_id", nil), m.BankID),
		fact(u.t("admin.manifest.created", nil), u.date(m.CreatedAt)),
		fact(u.t("admin.manifest.languages", nil), languageNames(m.Languages)),
		fact(u.t("admin.manifest.contents", nil), strings.Join(contents, ", ")),
		{factLabel(u.Loc.N("admin.manifest.positions", len(m.Positions), nil)), positions},
		{factLabel(u.t("admin.manifest.parts", nil)), parts},
	}
	return container.NewVBox(
		wrapped(u.t("admin.signed_by", map[string]any{"Signer": signedBy})),
		wrapped(u.t("admin.manifest.validity", map[string]any{"From": u.date(m.ValidFrom), "Until": u.date(m.ValidUntil)})),
		facts(rows...),
	)
}

// partFacts is one part of a bank: its title and kind, how many items each candidate gets,
// its time and pass mark, and whose candidates sit it.
func (a *adminView) partFacts(p kiosk.PartSummary) fyne.CanvasObject {
	u := a.u
	kind := map[bank.PartKind]string{
		bank.PartPublic:              "admin.part_kind.public",
		bank.PartProfessionalChoice:  "admin.part_kind.professional_choice",
		bank.PartProfessionalWritten: "admin.part_kind.professional_written",
	}
	kindText := string(p.Kind)
	if id, ok := kind[p.Kind]; ok {
		kindText = u.t(id, nil)
	}
	count := "admin.manifest.part.listed_questions"
	switch {
	case p.Drawn && p.Written:
		count = "admin.manifest.part.drawn_tasks"
	case p.Drawn:
		count = "admin.manifest.part.drawn_questions"
	case p.Written:
		count = "admin.manifest.part.listed_tasks"
	}
	who := u.t("admin.manifest.part.all_positions", nil)
	if p.Positions != nil {
		who = u.t("admin.manifest.part.positions", map[string]any{"Positions": strings.Join(p.Positions, ", ")})
	}
	return container.NewVBox(
		bold(u.title(p.Title)),
		wrapped(u.t("admin.manifest.part.kind", map[string]any{"Kind": kindText})),
		wrapped(u.Loc.N(count, p.Count, map[string]any{"Pool": p.Pool})),
		wrapped(u.Loc.N("admin.manifest.part.time_pass", p.Minutes, map[string]any{"Pass": p.PassMark, "Max": p.MaxPoints})),
		wrapped(who),
	)
}

// languageNames names languages by their own names (Shqip, Српски (ћирилица)).
func languageNames(tags []string) string {
	names := map[string]string{}
	for _, l := range i18n.Languages() {
		names[l.Tag] = l.Name
	}
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t
		if n, ok := names[t]; ok {
			out[i] = n
		}
	}
	return strings.Join(out, ", ")
}

// chooseBank asks for a bank file on the USB stick.
func (a *adminView) chooseBank() {
	a.openFile(a.u.t("admin.bank.choose", nil), bankExtensions, a.bankStatus, a.loadBankFile)
}

// loadBankFile checks the bank file at path and, if it verifies, adds it to the library; the
// status says which, and why a bank is refused.
func (a *adminView) loadBankFile(path string) {
	u := a.u
	a.setStatus(a.bankStatus, widget.MediumImportance, u.t("admin.verifying", nil))
	a.loadBank.Disable()
	var entry *kiosk.BankEntry
	var err error
	u.background(func() { entry, err = u.K.LoadBank(path) }, func() {
		a.loadBank.Enable()
		file := u.t("admin.file", map[string]any{"File": filepath.Base(path)})
		switch {
		case err == nil:
			a.setStatus(a.bankStatus, widget.SuccessImportance, u.t("admin.bank.verified", nil), u.title(entry.Manifest.Title)+" ("+entry.Manifest.BankID+")", file)
		case errors.Is(err, kiosk.ErrBankInUse):
			a.setStatus(a.bankStatus, widget.DangerImportance, u.t("admin.bank.refused", nil), u.t("admin.reason", map[string]any{"Reason": u.t("admin.bank.replace_in_use", nil)}), file)
		default:
			var m *bank.Manifest
			if entry != nil {
				m = entry.Manifest
			}
			lines := []string{u.t("admin.bank.refused", nil), u.t("admin.reason", map[string]any{"Reason": u.refusal(err, m)}), file}
			if m != nil {
				lines = append(lines, u.title(m.Title)+" ("+m.BankID+")")
			}
			a.setStatus(a.bankStatus, widget.DangerImportance, append(lines, a.details(err)...)...)
		}
		a.refreshBanks()
	})
}

// details is the technical reason of a refusal, for the authority's help desk; a file that
// could not be read at all already says it in its reason.
func (a *adminView) details(err error) []string {
	for _, known := range []error{bank.ErrMalformed, bank.ErrUnsupportedFormat, bank.ErrUntrusted, bank.ErrBadSignature, bank.ErrPayloadDigest} {
		if errors.Is(err, known) {
			return []string{a.u.t("admin.details", map[string]any{"Details": err.Error()})}
		}
	}
	return nil
}

// confirmRemove asks before removing a bank; the keyboard focus starts on Cancel.
func (a *adminView) confirmRemove(id, title string) {
	u := a.u
	var d *kioskDialog
	cancel := newButton(u.t("common.cancel", nil), func() { d.Hide() })
	remove := newButton(u.t("common.remove", nil), func() {
		d.Hide()
		a.removeBank(id)
	})
	remove.Importance = widget.DangerImportance
	d = newDialog(u.Win, u.t("admin.banks.remove", nil), wrapped(u.t("admin.banks.remove_confirm", map[string]any{"Title": title})), cancel, remove)
	d.open(u.Win.Canvas().Size().Width*0.6, nil)
}

// removeBank removes a bank from the library, unless the open session uses it.
func (a *adminView) removeBank(id string) {
	u := a.u
	switch err := u.K.RemoveBank(id); {
	case err == nil:
		a.setStatus(a.bankStatus, widget.SuccessImportance, u.t("admin.banks.removed", nil))
	case errors.Is(err, kiosk.ErrBankInUse):
		a.setStatus(a.bankStatus, widget.DangerImportance, u.t("admin.banks.in_use", nil))
	default:
		a.setStatus(a.bankStatus, widget.DangerImportance, u.t("error.unexpected", map[string]any{"Error": err.Error()}))
	}
	a.refreshBanks()
	u.Win.Canvas().Focus(a.loadBank)
}
