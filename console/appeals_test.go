package console_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/i18n"
	"ispit/internal/competition"
	"ispit/scorer"
	"ispit/sheet"
)

func TestAppealLookUpAndDecision(t *testing.T) {
	w := newWorld(t)
	sec := w.signIn("tajnica")
	code := w.receipts["DEMO-0004 "+competition.PublicPart]
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	p := sec.get("/appeals?code=" + url.QueryEscape(typed))
	if p.status != http.StatusSeeOther || p.location != "/appeals/"+code {
		t.Fatalf("look-up of %q: %d %s", typed, p.status, p.location)
	}
	p = sec.get(p.location)
	if p.status != http.StatusOK {
		t.Fatalf("the sheet: %d", p.status)
	}
	sn, _ := scorer.NewBoard(w.store, nil).Current(context.Background())
	content, _ := w.store.BankContent(context.Background(), "demo-2026")
	sheet := sn.LookUp(code)[0].Sheet
	// Every item in the order shown, in Albanian, with the candidate's answer marked.
	last := 0
	for _, si := range sheet.Items {
		it, _ := content.Item(si.ID)
		stem := htmlEscape(it.Stem["sq"])
		i := strings.Index(p.body, stem)
		if i < last {
			t.Fatalf("item %s is not where the candidate saw it", si.ID)
		}
		last = i
	}
	if n := strings.Count(p.body, "the candidate&#39;s answer"); n != 21 {
		t.Errorf("%d answers marked, want 21", n)
	}
	if !strings.Contains(p.body, "14 / 21") {
		t.Errorf("the score 14 / 21 is not shown")
	}

	if p := sec.get("/appeals/NOT-A-CODE"); p.status != http.StatusBadRequest {
		t.Errorf("a malformed code: %d", p.status)
	}
	if p := sec.get("/appeals/0000-0000-000"); p.status != http.StatusNotFound && p.status != http.StatusBadRequest {
		t.Errorf("an unknown code: %d", p.status)
	}
	path := "/appeals/" + code
	if p := sec.post(path, path, url.Values{"sheet": {sheet.SheetID}, "grounds": {"  "}}); p.status != http.StatusBadRequest {
		t.Errorf("an appeal without grounds: %d", p.status)
	}
	if p := sec.post(path, path, url.Values{"sheet": {"another"}, "grounds": {"x"}}); p.status != http.StatusBadRequest {
		t.Errorf("an appeal for another sheet: %d", p.status)
	}
	if p := sec.post(path, path, url.Values{"sheet": {sheet.SheetID}, "grounds": {"Kandidatkinja tvrdi da je pitanje 5 imalo dva tačna odgovora."}}); p.status != http.StatusSeeOther {
		t.Fatalf("lodging: %d %.300s", p.status, p.body)
	}
	appeals, _ := w.store.Appeals(context.Background())
	if len(appeals) != 1 || appeals[0].Status != scorer.AppealOpen {
		t.Fatalf("appeals %+v", appeals)
	}
	decide := path + "/" + itoa(appeals[0].ID)
	if p := sec.post(decide, path, url.Values{"status": {"upheld"}}); p.status != http.StatusBadRequest {
		t.Errorf("a decision without reasons: %d", p.status)
	}
	if p := sec.post(decide, path, url.Values{"status": {"maybe"}, "reasons": {"x"}}); p.status != http.StatusBadRequest {
		t.Errorf("an unknown decision: %d", p.status)
	}
	if p := sec.post(decide, path, url.Values{"status": {"rejected"}, "reasons": {"Ključ je tačan; pitanje ima jedan tačan odgovor."}}); p.status != http.StatusSeeOther {
		t.Fatalf("deciding: %d", p.status)
	}
	if p := sec.post(decide, path, url.Values{"status": {"upheld"}, "reasons": {"again"}}); p.status != http.StatusConflict {
		t.Errorf("deciding twice: %d", p.status)
	}
	if p := sec.post(path+"/999", path, url.Values{"status": {"upheld"}, "reasons": {"x"}}); p.status != http.StatusNotFound {
		t.Errorf("deciding an unknown appeal: %d", p.status)
	}
	if p := sec.get(path); !strings.Contains(p.body, "Ključ je tačan") {
		t.Errorf("the decision is not shown")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// amendment signs a key amendment of the demo bank voiding an item.
func amendment(t *testing.T, w *world, signer ssh.Signer, sequence int, void string) []byte {
	t.Helper()
	key, err := bank.DecodeAnswerKey(w.sat.files.Answers)
	if err != nil {
		t.Fatal(err)
	}
	am := &bank.Amendment{Format: "ispit-amendment/1", BankID: key.BankID, ManifestSHA256: key.ManifestSHA256, Sequence: sequence,
		IssuedAt: time.Now().UTC().Truncate(time.Second), Reason: "Odluka Agencije broj 12/26",
		Changes: []bank.AmendmentChange{{Item: void, Action: bank.AmendVoid}}}
	file, err := bank.SignAmendment(am, signer)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// upload posts an amendment file as the console's form does.
func (b *browser) upload(file []byte) page {
	b.w.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf("/amendments"))
	fw, _ := mw.CreateFormFile("file", "demo.amend")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.w.server.URL+"/amendments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.w.server.URL)
	resp, err := b.client.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: out.String()}
}

func TestAmendmentShowsBeforeAndAfter(t *testing.T) {
	w := newWorld(t)
	sec := w.signIn("tajnica")
	sn, _ := scorer.NewBoard(w.store, nil).Current(context.Background())
	// An item DEMO-0010 (60 points, failed) answered wrongly: voided, it gives them 70.
	var wrong string
	for _, bs := range sn.Sheets {
		if bs.Result != nil && bs.Sheet.Candidate.Code == "DEMO-0010" && bs.Result.Part == competition.ChoicePart {
			for _, ir := range bs.Result.Items {
				if !ir.Correct {
					wrong = ir.ID
					break
				}
			}
		}
	}
	if wrong == "" {
		t.Fatal("DEMO-0010 answered everything right")
	}
	stranger, _, err := newSigner("not the authority")
	if err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, w)
	if p := sec.upload(amendment(t, w, stranger, 1, wrong)); p.status != http.StatusBadRequest || !strings.Contains(p.body, "not signed by the exam authority") {
		t.Errorf("an amendment by another key: %d", p.status)
	}
	if p := sec.upload(amendment(t, w, w.sat.authority, 2, wrong)); p.status != http.StatusBadRequest || !strings.Contains(p.body, "an earlier one is missing") {
		t.Errorf("amendment 2 before 1: %d", p.status)
	}
	if p := sec.upload([]byte("not an amendment")); p.status != http.StatusBadRequest {
		t.Errorf("garbage: %d", p.status)
	}
	if auditCount(t, w) != before {
		t.Fatalf("refused amendments changed something")
	}
	file := amendment(t, w, w.sat.authority, 1, wrong)
	p := sec.upload(file)
	if p.status != http.StatusSeeOther {
		t.Fatalf("applying: %d %.400s", p.status, p.body)
	}
	p = sec.get("/amendments")
	row := regexp.MustCompile(`(?s)Lejla Begović.*?</tr>`).FindString(p.body)
	if !strings.Contains(row, "60 → <strong>70</strong>") || !strings.Contains(row, "did not pass → <strong>incomplete</strong>") {
		t.Errorf("the before and after of DEMO-0010: %s", row)
	}
	if !strings.Contains(p.body, "Item "+wrong+" is voided.") {
		t.Errorf("the change is not shown")
	}
	if p := sec.upload(file); p.status != http.StatusSeeOther {
		t.Errorf("the same amendment again: %d", p.status)
	}
	if ams, _ := w.store.Amendments(context.Background()); len(ams) != 1 {
		t.Errorf("%d amendments stored", len(ams))
	}
}

// TestAppealByTheCodeShownBeforeDelivery: a candidate whose sheet was not delivered at
// submission left with the code the kiosk computed from the sealed sheet. Until the sheet
// arrives the console says where it still is; once it arrives, by upload or import, the same
// code finds it.
func TestAppealByTheCodeShownBeforeDelivery(t *testing.T) {
	key := "DEMO-0004 " + competition.PublicPart
	w := newWorld(t, key)
	held := w.held[key]
	code := sheet.SealedReceiptCode(held.Sealed) // what the kiosk's receipt screen showed
	sec := w.signIn("tajnica")
	setLanguage(t, sec, "sr-Cyrl")
	loc, err := i18n.New("sr-Cyrl")
	if err != nil {
		t.Fatal(err)
	}
	p := sec.get("/appeals/" + code)
	if notFound := htmlEscape(loc.T("console.appeals.not_found", map[string]any{"Code": code})); p.status != http.StatusNotFound || !strings.Contains(p.body, notFound) {
		t.Fatalf("before delivery: %d, want 404 with %q: %.500s", p.status, notFound, p.body)
	}

	w.deliver(key)
	if w.receipts[key] != code {
		t.Fatalf("the scorer's receipt code %s, the kiosk's %s", w.receipts[key], code)
	}
	p = sec.get("/appeals/" + code)
	h, err := sheet.ReadHeader(held.Sealed)
	if err != nil {
		t.Fatal(err)
	}
	if p.status != http.StatusOK || !strings.Contains(p.body, h.SheetID) {
		t.Fatalf("after delivery: %d, want the sheet %s: %.500s", p.status, h.SheetID, p.body)
	}
}
