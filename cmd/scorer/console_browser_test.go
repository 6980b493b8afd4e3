package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/exam"
	"ispit/internal/competition"
	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

// TestConsoleInABrowser walks a whole competition through the commission's console in
// Debian's chromium, headless, on a real `scorer serve` over HTTPS: the secretary adds the
// members; two graders grade every written task blind and one disagreement is resolved;
// interviewers enter points; the list of three appears and is published; a key amendment
// voids an item and the console shows whose standing it changed; an appeal is looked up by
// receipt code; the printable record renders. With ISPIT_SHOTS=DIR it saves screenshots of
// every screen in Serbian Cyrillic and Albanian at 1366×768.
func TestConsoleInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives chromium")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: run make deps (Debian package chromium)")
	}
	start := time.Now()
	dir := t.TempDir()
	data := filepath.Join(dir, "scorer")
	bin, keys := lgScorerWithKeys(t, data)

	// The authority's files, and the demo competition sat on one terminal.
	authorityKey, authorityPub, err := sshsig.GenerateKey("authority")
	if err != nil {
		t.Fatal(err)
	}
	authority, err := ssh.ParsePrivateKey(authorityKey)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := sshsig.ParseTrust(authorityPub)
	if err != nil {
		t.Fatal(err)
	}
	files, err := competition.BuildFiles(authority, 1)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	trustFile := write("authority.pub", authorityPub)
	termPriv, termPub, err := sshsig.GenerateKey("T-01")
	if err != nil {
		t.Fatal(err)
	}
	termKey, _ := ssh.ParsePrivateKey(termPriv)
	lgRunCLI(t, bin, "terminal", "add", "--data", data, "--id", "T-01", "--key", write("T-01.pub", termPub))
	sheets, err := competition.Sit(files, trust, keys.SheetRecipient, competition.Terminal{ID: "T-01", Key: termKey, Dir: filepath.Join(dir, "terminal")}, competition.Plan)
	if err != nil {
		t.Fatal(err)
	}
	stick := filepath.Join(dir, "stick")
	os.Mkdir(stick, 0o755)
	receipts := map[string]string{}
	for i, s := range sheets {
		os.WriteFile(filepath.Join(stick, fmt.Sprintf("%02d.sheet", i)), s.Sealed, 0o644)
		receipts[s.Candidate+" "+s.Part] = sheet.NewReceipt("", s.Sealed, time.Now()).Code
	}
	lgRunCLI(t, bin, "import", "--data", data, stick)
	lgRunCLI(t, bin, "answers", "load", "--data", data, "--trust", trustFile, write("demo.answers", files.Answers))
	lgRunCLI(t, bin, "bank", "load", "--data", data, "--trust", trustFile, "--start-code", files.StartCode, write("demo.bank", files.Bank))
	lgRunCLI(t, bin, "roster", "load", "--data", data, "--trust", trustFile, write("roster.signed", files.Roster))
	lgRunCLI(t, bin, "rules", "--data", data, "--graders", "2", "--disagreement", "10")
	cmd := exec.Command(bin, "user", "add", "--data", data, "--name", "tajnica", "--full-name", "Amra Tajić", "--role", "secretary", "--password-stdin")
	cmd.Stdin = strings.NewReader("tajnica ima lozinku\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	wrong := wronglyAnswered(t, data)
	amendFile := write("demo-1.amend", signAmendment(t, authority, files.Answers, wrong))

	console, api := startConsole(t, bin, data, trustFile)
	// Two candidates are still sitting on T-01, whose progress reaches the scorer.
	for i, code := range []string{"DEMO-0101", "DEMO-0102"} {
		sendCheckpoint(t, api, termKey, keys.SheetRecipient, fmt.Sprintf("live-%d", i), code)
	}
	t.Logf("prepared the scorer with %d sheets in %v", len(sheets), time.Since(start).Round(time.Millisecond))

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1366, 768),
		chromedp.Flag("ignore-certificate-errors", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "en"),
	)...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	b := &chrome{t: t, ctx: ctx, base: console}

	// The secretary signs in and adds the members.
	b.signIn("tajnica", "tajnica ima lozinku")
	passwords := map[string]string{}
	for _, m := range []struct {
		name, full string
		roles      []string
	}{
		{"ana", "Ana Anić", []string{"grader", "interviewer"}},
		{"boris", "Boris Borić", []string{"grader"}},
		{"dino", "Dino Dinić", []string{"interviewer"}},
	} {
		b.open("/users")
		b.run(chromedp.SendKeys(chromedp.CSS(`input[name=name]`), m.name), chromedp.SetValue(chromedp.CSS(`input[name=full_name]`), m.full))
		for _, r := range m.roles {
			b.run(chromedp.Click(chromedp.CSS(`input[name=role][value=` + r + `]`)))
		}
		b.submit(`form[action="/users"] button`)
		passwords[m.name] = b.text(`.password .big`)
	}
	b.signOut()

	// Two graders grade every task; boris disagrees on the first one.
	var first string
	for i, name := range []string{"ana", "boris"} {
		b.signIn(name, passwords[name])
		b.expectPath("/password")
		own := name + " chooses a password"
		b.run(chromedp.SendKeys(chromedp.CSS(`input[name=current]`), passwords[name]), chromedp.SendKeys(chromedp.CSS(`input[name=new]`), own), chromedp.SendKeys(chromedp.CSS(`input[name=again]`), own))
		b.submit(`form[action="/password"] button`)
		passwords[name] = own
		b.open("/grading")
		for n := 0; ; n++ {
			links := b.links(`table.todo a.code`)
			if len(links) == 0 || n > 20 {
				break
			}
			b.open(links[0])
			if first == "" {
				first = links[0]
			}
			if strings.Contains(b.html(`main`), "Emina") {
				t.Fatalf("the grading screen shows a candidate's name")
			}
			points := "40"
			if i == 1 && links[0] == first {
				points = "20"
			}
			b.run(chromedp.SendKeys(chromedp.CSS(`input[name=points]`), points))
			b.submit(`aside form button`)
			b.open("/grading")
		}
		if b.count(`table.todo a.code`) != 0 {
			t.Fatalf("%s did not get through the queue", name)
		}
		b.signOut()
	}

	// The secretary resolves the disagreement with a decision.
	b.signIn("tajnica", "tajnica ima lozinku")
	b.open("/disputes")
	if n := b.count(`section.card`); n != 1 {
		t.Fatalf("%d disputes", n)
	}
	b.run(chromedp.SendKeys(chromedp.CSS(`input[name=points]`), "30"), chromedp.SendKeys(chromedp.CSS(`.actions form:last-child input[name=note]`), "Komisija se opredijelila za 30 bodova."))
	b.submit(`.actions form:last-child button`)
	b.expectText(`main`, "No disagreement waits")
	b.signOut()

	// Interviews: ana and dino enter points for every candidate offered.
	for _, name := range []string{"ana", "dino"} {
		if name == "dino" {
			b.signIn(name, passwords[name])
			b.run(chromedp.SendKeys(chromedp.CSS(`input[name=current]`), passwords[name]), chromedp.SendKeys(chromedp.CSS(`input[name=new]`), "dino's own password"), chromedp.SendKeys(chromedp.CSS(`input[name=again]`), "dino's own password"))
			b.submit(`form[action="/password"] button`)
		} else {
			b.signIn(name, passwords[name])
		}
		for _, pos := range []string{competition.WrittenPosition, competition.ChoicePosition} {
			b.open("/interviews/" + url.PathEscape(pos))
			rows := b.count(`tr[id]`)
			for r := range rows {
				b.open("/interviews/" + url.PathEscape(pos))
				row := fmt.Sprintf(`tbody tr:nth-child(%d)`, r+1)
				if pos == competition.WrittenPosition {
					for _, c := range []struct{ id, v string }{{"professional-knowledge", "9"}, {"communication", "7"}, {"problem-solving", "5"}, {"motivation", "4"}} {
						b.run(chromedp.SendKeys(chromedp.CSS(row+` input[name=c-`+c.id+`]`), c.v))
					}
				} else {
					b.run(chromedp.SendKeys(chromedp.CSS(row+` input[name=points]`), "20"))
				}
				b.submit(row + ` button`)
			}
		}
		b.signOut()
	}

	// The list of three, publication, the record.
	b.signIn("tajnica", "tajnica ima lozinku")
	choice := "/results/" + url.PathEscape(competition.ChoicePosition)
	b.open(choice)
	list := b.text(`ol.list`)
	if strings.Count(list, "points") != 3 || !strings.Contains(list, "Dženan Mujić") {
		t.Fatalf("the list of three: %q", list)
	}
	b.submit(`form[action$="/publication"] button`)
	b.expectText(`main`, "Published")
	b.open(choice + "/record")
	b.expectText(`main`, "Signature")

	// A key amendment voids an item: whose standing changed shows before and after.
	b.open("/amendments")
	b.run(chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{amendFile}))
	b.submit(`form[action="/amendments"] button`)
	b.expectText(`main`, "Item "+wrong+" is voided.")
	if b.count(`table.changes tbody tr`) == 0 {
		t.Errorf("the amendment changed nobody's standing")
	}

	// An appeal is looked up by the receipt code the candidate holds.
	b.open("/appeals")
	b.run(chromedp.SendKeys(chromedp.CSS(`input[name=code]`), receipts["DEMO-0004 "+competition.PublicPart]))
	b.submit(`form[action="/appeals"] button`)
	b.expectText(`main`, "Arbër Krasniqi")
	b.run(chromedp.SendKeys(chromedp.CSS(`textarea[name=grounds]`), "Kandidat tvrdi da je pitanje 3 dvosmisleno."))
	b.submit(`section.appeal-records > form button`)
	b.expectText(`main`, "Kandidat tvrdi")

	// The exam day shows both attempts live, and the secretary lets one move to a spare.
	b.open("/day")
	b.expectText(`main`, "2 attempts in progress")
	b.submit(`form[action="/day/attempts/live-0/allow-move"] button`)
	b.expectText(`main`, "may now be continued on a spare terminal")
	b.expectText(`main`, "move allowed by tajnica")

	if shots := os.Getenv("ISPIT_SHOTS"); shots != "" {
		b.screenshots(shots, receipts["DEMO-0004 "+competition.PublicPart], passwords["ana"])
	}
	t.Logf("walked the competition in chromium in %v", time.Since(start).Round(time.Millisecond))
}

// wronglyAnswered is a multiple-choice item of the professional exam that some candidate
// answered wrongly: voiding it changes their points.
func wronglyAnswered(t *testing.T, data string) string {
	t.Helper()
	store, err := scorer.OpenSQLite(filepath.Join(data, "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sn, err := scorer.NewBoard(store, nil).Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, bs := range sn.Sheets {
		if bs.Result == nil || bs.Result.Part != competition.ChoicePart {
			continue
		}
		for _, ir := range bs.Result.Items {
			if !ir.Correct {
				return ir.ID
			}
		}
	}
	t.Fatal("every candidate answered every professional item right")
	return ""
}

// signAmendment signs an amendment of the demo answer key voiding one item.
func signAmendment(t *testing.T, authority ssh.Signer, answers []byte, item string) []byte {
	t.Helper()
	key, err := bank.DecodeAnswerKey(answers)
	if err != nil {
		t.Fatal(err)
	}
	file, err := bank.SignAmendment(&bank.Amendment{Format: "ispit-amendment/1", BankID: key.BankID, ManifestSHA256: key.ManifestSHA256,
		Sequence: 1, IssuedAt: time.Now().UTC().Truncate(time.Second), Reason: "Odluka broj 1/26: pitanje nema tačan odgovor.",
		Changes: []bank.AmendmentChange{{Item: item, Action: bank.AmendVoid}}}, authority)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// sendCheckpoint sends, as terminal T-01, a checkpoint of a running public exam with seven of
// its 21 items answered to the scorer's API.
func sendCheckpoint(t *testing.T, api string, terminal ssh.Signer, scorerKey *age.HybridRecipient, attempt, candidate string) {
	t.Helper()
	cp := &exam.Checkpoint{Format: exam.CheckpointFormat, AttemptID: attempt, Seq: 1, Terminal: "T-01", Session: "browser-session",
		ProgramVersion: "test", Candidate: exam.SheetPerson{Code: candidate}, BankID: "demo-2026", ManifestSHA256: "00", Part: competition.PublicPart,
		Language: "bs", State: exam.StateRunning, AllowanceMS: 1_800_000, UsedMS: 420_000, MadeAt: time.Now()}
	for i := range 21 {
		it := exam.SheetItem{ID: fmt.Sprintf("q%02d", i), Options: []string{"a", "b", "c", "d"}}
		if i < 7 {
			it.Answer = "b"
		}
		cp.Items = append(cp.Items, it)
	}
	sealed, err := sheet.SealCheckpoint(cp, terminal, scorerKey)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := sheet.SignRequest(terminal, "T-01", http.MethodPost, "/v1/checkpoints", sealed)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if status, err := lgPostSigned(client, api+"/v1/checkpoints", "T-01", sig, sealed); err != nil || status != http.StatusOK {
		t.Fatalf("checkpoint: %d %v", status, err)
	}
}

// startConsole starts `scorer serve` with its console over HTTPS, waits until it answers, and
// returns the console's address and the API's.
func startConsole(t *testing.T, bin, data, trust string) (console, api string) {
	t.Helper()
	api, console = lgFreeAddr(t), lgFreeAddr(t)
	var log bytes.Buffer
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", api, "--console-addr", console, "--trust", trust)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Log(log.String())
		}
	})
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp, err := client.Get("https://" + console + "/signin")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "https://" + console, "https://" + api
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the console did not start: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// chrome drives one browser tab.
type chrome struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b *chrome) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// open goes to a page and requires it to answer 200.
func (b *chrome) open(path string) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatal(err)
	}
	b.expectOK(path, resp)
}

// submit clicks a form's button and waits for the page it leads to.
func (b *chrome) submit(button string) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatal(err)
	}
	b.expectOK(button, resp)
}

func (b *chrome) expectOK(what string, resp *network.Response) {
	b.t.Helper()
	if resp == nil || resp.Status >= 400 {
		status := 0
		if resp != nil {
			status = int(resp.Status)
		}
		b.t.Fatalf("%s: HTTP %d\n%s", what, status, b.html(`main`))
	}
}

func (b *chrome) signIn(name, password string) {
	b.t.Helper()
	b.open("/signin")
	b.run(chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name), chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password))
	b.submit(`form[action="/signin"] button`)
}

func (b *chrome) signOut() {
	b.t.Helper()
	b.submit(`form.who button`)
	b.expectPath("/signin")
}

func (b *chrome) expectPath(path string) {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	if u, err := url.Parse(loc); err != nil || u.Path != path {
		b.t.Fatalf("at %s, expected %s", loc, path)
	}
}

func (b *chrome) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimSpace(s)
}

func (b *chrome) html(sel string) string {
	s, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS(sel)))
	return s
}

func (b *chrome) expectText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Fatalf("%s does not say %q:\n%.600s", sel, want, got)
	}
}

func (b *chrome) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

func (b *chrome) links(sel string) []string {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+jsString(sel)+`)).map(a => a.getAttribute("href"))`))
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

func jsString(s string) string { return "`" + strings.ReplaceAll(s, "`", "\\`") + "`" }

// screenshots saves every screen in Serbian Cyrillic and Albanian, as a member at a 1366×768
// laptop sees it first (the top of the page), and the whole page.
func (b *chrome) screenshots(dir, receipt, graderPassword string) {
	b.t.Helper()
	os.MkdirAll(dir, 0o755)
	shoot := func(lang, name string) {
		top, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			b.t.Fatal(err)
		}
		full, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "console-"+lang+"-"+name+".png"), top, 0o644)
		os.WriteFile(filepath.Join(dir, "console-"+lang+"-"+name+"-full.png"), full, 0o644)
	}
	choice := url.PathEscape(competition.ChoicePosition)
	pages := map[string]string{
		"home": "/", "results": "/results", "position": "/results/" + choice, "record": "/results/" + choice + "/record",
		"disputes": "/disputes", "day": "/day", "items": "/items/demo-2026/public", "appeal": "/appeals/" + receipt,
		"amendments": "/amendments", "users": "/users", "audit": "/audit", "rules": "/rules",
	}
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		b.open("/language?lang=" + lang + "&back=/")
		for name, path := range pages {
			b.open(path)
			shoot(lang, name)
		}
	}
	// The record as it prints.
	b.open("/results/" + choice + "/record")
	b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	shoot("sq", "record-print")
	b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}))
	b.signOut()
	b.open("/signin")
	shoot("sq", "signin")
	b.signIn("ana", graderPassword)
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		b.open("/language?lang=" + lang + "&back=/")
		b.open("/grading")
		shoot(lang, "grading")
		b.open(b.links(`a.code[href^="/grading/"]`)[0])
		shoot(lang, "grade")
		b.open("/interviews/" + url.PathEscape(competition.WrittenPosition))
		shoot(lang, "interview")
	}
	b.open("/language?lang=en&back=/")
}
