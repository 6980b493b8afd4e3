package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"

	"ispit/bank"
)

// QTI 2.1 and 2.2 (IMS Question and Test Interoperability): an assessmentItem holds
// responseDeclarations (with the correctResponse), outcomeDeclarations and an itemBody of XHTML
// with one interaction. Items come alone or in an IMS content package: a zip with
// imsmanifest.xml listing the items as resources, and the images they show.

// The namespaces of the QTI versions read.
const (
	NamespaceQTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
	NamespaceQTI22 = "http://www.imsglobal.org/xsd/imsqti_v2p2"
	namespaceXML   = "http://www.w3.org/XML/1998/namespace"
)

// maxXMLNodes bounds the elements and texts of one XML file.
const maxXMLNodes = 1 << 21

// parseXMLTree reads an XML document into nodes, each element with its line.
func parseXMLTree(data []byte) (*node, error) {
	if len(data) > MaxXMLFile {
		return nil, fmt.Errorf("the file is %d bytes; at most %d are read", len(data), MaxXMLFile)
	}
	d := newXMLDecoder(data)
	var stack []*node
	var root *node
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF && root != nil && len(stack) == 0 {
			return root, nil
		}
		if err == io.EOF && root == nil {
			return nil, errors.New("the file holds no XML element")
		}
		if err != nil {
			return nil, xmlError(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			line, _ := d.InputPos()
			switch {
			case count > maxXMLNodes:
				return nil, fmt.Errorf("line %d: the file has more than %d elements", line, maxXMLNodes)
			case len(stack) >= maxNesting:
				return nil, fmt.Errorf("line %d: %v", line, errNesting)
			case len(stack) == 0 && root != nil:
				return nil, fmt.Errorf("line %d: a second root element", line)
			}
			n := &node{space: t.Name.Space, name: t.Name.Local, attr: map[string]string{}, line: line}
			for _, a := range t.Attr {
				key := a.Name.Local
				if a.Name.Space == namespaceXML || a.Name.Space == "xml" {
					key = "xml:" + key
				}
				n.attr[key] = a.Value
			}
			if root == nil {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			parent := stack[len(stack)-1]
			if k := len(parent.kids); k > 0 && parent.kids[k-1].name == "" {
				parent.kids[k-1].text += string(t)
				continue
			}
			count++
			parent.kids = append(parent.kids, &node{text: string(t)})
		}
	}
}

// children returns the elements among n's children with the local name.
func children(n *node, name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

func child(n *node, name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// itemError is a QTI file that is not a QTI 2.1 or 2.2 item at all.
type itemError struct{ msg string }

// Error says what the file is instead.
func (e *itemError) Error() string { return e.msg }

// checkItemRoot refuses a document that is not a QTI 2.1 or 2.2 assessmentItem.
func checkItemRoot(root *node) error {
	switch {
	case root.name == "assessmentItem" && (root.space == NamespaceQTI21 || root.space == NamespaceQTI22 || root.space == ""):
		return nil
	case root.name == "assessmentItem":
		return &itemError{fmt.Sprintf("the item's namespace %q is not QTI 2.1 or 2.2", root.space)}
	case root.name == "qti-assessment-item":
		return &itemError{"this is QTI 3 (qti-assessment-item), which is not supported: export QTI 2.1 or 2.2"}
	case root.name == "questestinterop":
		return &itemError{"this is QTI 1.2 (questestinterop), which is not supported: export QTI 2.1 or 2.2"}
	}
	return &itemError{fmt.Sprintf("not a QTI item: the root element is <%s>, not <assessmentItem>", root.name)}
}

// qtiSkipped says why an interaction does not map.
var qtiSkipped = map[string]string{
	"textEntryInteraction":        whyShortAnswer,
	"inlineChoiceInteraction":     whyCloze,
	"matchInteraction":            whyMatching,
	"associateInteraction":        whyMatching,
	"graphicAssociateInteraction": whyMatching,
	"gapMatchInteraction":         whyDragDrop,
	"graphicGapMatchInteraction":  whyDragDrop,
	"positionObjectInteraction":   whyDragDrop,
	"orderInteraction":            whyOrdering,
	"graphicOrderInteraction":     whyOrdering,
	"uploadInteraction":           whyUpload,
	"sliderInteraction":           whyNumeric,
	"hotspotInteraction":          "hotspot (pointing at an image): the kiosk has single-answer multiple choice and written tasks only",
	"selectPointInteraction":      "select point (pointing at an image): the kiosk has single-answer multiple choice and written tasks only",
	"hottextInteraction":          "hot text (choosing words in the text): the kiosk has single-answer multiple choice and written tasks only",
	"drawingInteraction":          "drawing: the kiosk takes typed answers only",
	"mediaInteraction":            "audio or video: the kiosk cannot play media",
	"customInteraction":           "a custom interaction: the kiosk has single-answer multiple choice and written tasks only",
	"endAttemptInteraction":       "an end-attempt button: the kiosk has single-answer multiple choice and written tasks only",
	"portableCustomInteraction":   "a portable custom interaction: the kiosk has single-answer multiple choice and written tasks only",
}

// findInteractions lists the interactions of an item body.
func findInteractions(n *node, out []*node) []*node {
	for _, k := range n.kids {
		if strings.HasSuffix(k.name, "Interaction") {
			out = append(out, k)
			continue
		}
		out = findInteractions(k, out)
	}
	return out
}

// replaced copies n with the node old replaced by the nodes with.
func replaced(n, old *node, with []*node) *node {
	c := *n
	c.kids = nil
	for _, k := range n.kids {
		switch {
		case k == old:
			c.kids = append(c.kids, with...)
		case k.name != "":
			c.kids = append(c.kids, replaced(k, old, with))
		default:
			c.kids = append(c.kids, k)
		}
	}
	return &c
}

// qtiItem reads one assessmentItem into res. where names the file; resolve reads the images
// it refers to.
func qtiItem(res *Result, root *node, where string, number int, resolve func(string) (*Image, error), lang string) {
	where = fmt.Sprintf("%s line %d", where, root.line)
	b := &builder{q: Question{Number: number, Where: where, Correct: -1}, resolve: resolve}
	b.q.ID = strings.TrimSpace(root.attr["identifier"])
	b.q.Name = strings.Join(strings.Fields(root.attr["title"]), " ")
	if b.q.Name == "" {
		b.q.Name = b.q.ID
	}
	if l := root.attr["xml:lang"]; l != "" && lang != "" && !strings.EqualFold(strings.SplitN(l, "-", 2)[0], strings.SplitN(lang, "-", 2)[0]) {
		b.note("the item says it is in %s, not %s", l, lang)
	}
	if child(root, "templateDeclaration") != nil {
		res.skip(b.q.Name, where, "a template item (its values are generated): the kiosk shows fixed questions")
		return
	}
	if root.attr["adaptive"] == "true" {
		b.note("it was adaptive (several attempts); the kiosk takes one answer")
	}
	body := child(root, "itemBody")
	if body == nil {
		res.skip(b.q.Name, where, "the item has no itemBody")
		return
	}
	interactions := findInteractions(body, nil)
	switch len(interactions) {
	case 0:
		res.skip(b.q.Name, where, "%s", whyDescription)
		return
	case 1:
	default:
		res.skip(b.q.Name, where, "%d interactions in one item: the kiosk asks one thing per question", len(interactions))
		return
	}
	it := interactions[0]
	if why := qtiSkipped[it.name]; why != "" {
		res.skip(b.q.Name, fmt.Sprintf("%s, <%s> line %d", where, it.name, it.line), "%s", why)
		return
	}
	var prompt []*node
	if p := child(it, "prompt"); p != nil {
		prompt = []*node{p}
	}
	b.setTextNodes(replaced(body, it, prompt).kids)
	decls := map[string]*node{}
	for _, d := range children(root, "responseDeclaration") {
		decls[d.attr["identifier"]] = d
	}
	switch it.name {
	case "choiceInteraction":
		b.q.Kind = bank.ItemChoice
		qtiChoice(b, it, decls[it.attr["responseIdentifier"]])
	case "extendedTextInteraction":
		b.q.Kind = bank.ItemWritten
		for _, o := range children(root, "outcomeDeclaration") {
			if o.attr["identifier"] != "SCORE" {
				continue
			}
			if w, err := strconv.ParseFloat(o.attr["normalMaximum"], 64); err == nil && w > 0 && !math.IsInf(w, 0) {
				b.q.Weight = w
			}
		}
	default:
		res.skip(b.q.Name, fmt.Sprintf("%s, <%s> line %d", where, it.name, it.line), "interaction %s: the kiosk has single-answer multiple choice and written tasks only", it.name)
		return
	}
	b.finish(res)
}

func qtiChoice(b *builder, it, decl *node) {
	if decl == nil {
		b.fail("no responseDeclaration %q says which option is correct", it.attr["responseIdentifier"])
		return
	}
	if m := strings.TrimSpace(it.attr["maxChoices"]); m != "" && m != "1" {
		b.fail(whyMultipleResponse)
		return
	}
	if c := decl.attr["cardinality"]; c != "" && c != "single" {
		b.fail(whyMultipleResponse)
		return
	}
	var correct []string
	if cr := child(decl, "correctResponse"); cr != nil {
		for _, v := range children(cr, "value") {
			correct = append(correct, strings.TrimSpace(textContent(v)))
		}
	}
	mapped := map[string]float64{}
	if m := child(decl, "mapping"); m != nil {
		for _, e := range children(m, "mapEntry") {
			v, err := strconv.ParseFloat(e.attr["mappedValue"], 64)
			if err != nil {
				b.fail("mapEntry %q has mappedValue %q, which is not a number", e.attr["mapKey"], e.attr["mappedValue"])
				return
			}
			mapped[e.attr["mapKey"]] = v
		}
	}
	if len(correct) == 0 {
		for k, v := range mapped {
			if v > 0 {
				correct = append(correct, k)
			}
		}
	}
	switch {
	case len(correct) == 0:
		b.fail(whyNoCorrect)
		return
	case len(correct) > 1:
		b.fail(whyMultipleResponse)
		return
	}
	for k, v := range mapped {
		if v < 0 || (v > 0 && k != correct[0]) {
			b.fail(whyPartialCredit)
			return
		}
	}
	var fixed []string
	for _, c := range children(it, "simpleChoice") {
		if c.attr["identifier"] == correct[0] {
			b.q.Correct = len(b.q.Options)
		}
		if c.attr["fixed"] == "true" {
			fixed = append(fixed, optionLetter(len(b.q.Options)))
		}
		b.addOptionNodes(c.kids)
	}
	if b.q.Correct < 0 {
		b.fail("the correct response %q is not one of the options", correct[0])
	}
	switch {
	case it.attr["shuffle"] != "true":
		b.note("the item keeps its options in a fixed order (shuffle is not true); the kiosk shuffles them: check that no option depends on its place")
	case len(fixed) > 0:
		b.note("option(s) %s were fixed in place; the kiosk shuffles every option: check that none depends on its place", strings.Join(fixed, ", "))
	}
}

// ParseQTIItem reads a single QTI 2.1 or 2.2 assessmentItem from the file name. dir holds the
// images it refers to (relative to the item file); it may be nil.
func ParseQTIItem(name string, data []byte, dir fs.FS, lang string) (*Result, error) {
	root, err := parseXMLTree(data)
	if err != nil {
		return nil, err
	}
	if err := checkItemRoot(root); err != nil {
		return nil, err
	}
	res := &Result{Format: FormatQTI}
	where := "item"
	if name != "" {
		where = path.Base(name)
	}
	qtiItem(res, root, where, 1, dirImages(dir), lang)
	return res, nil
}

// dirImages reads the images of a single item from its folder.
func dirImages(dir fs.FS) func(string) (*Image, error) {
	if dir == nil {
		return nil
	}
	return func(src string) (*Image, error) {
		p, err := packagePath(".", src)
		if err != nil {
			return nil, err
		}
		data, err := readLimited(dir, p, MaxImage)
		if err != nil {
			return nil, fmt.Errorf("image %s: %v", shortName(src), readError(err))
		}
		return prepareImage(p, data)
	}
}

func readError(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "file not found"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// packagePath resolves a reference (an href or src, URL-escaped) against the folder dir of a
// package, refusing one that leads outside it or to the web.
func packagePath(dir, ref string) (string, error) {
	ref, _, _ = strings.Cut(ref, "#")
	ref, _, _ = strings.Cut(ref, "?")
	if u, err := url.PathUnescape(ref); err == nil {
		ref = u
	}
	switch {
	case strings.Contains(ref, "://") || strings.HasPrefix(ref, "//"):
		return "", fmt.Errorf("image %s is on the web, not carried in the package", shortName(ref))
	case ref == "" || strings.HasPrefix(ref, "/") || strings.Contains(ref, "\\"):
		return "", fmt.Errorf("file %q is not a path inside the package", shortName(ref))
	}
	p := path.Join(dir, ref)
	if !fs.ValidPath(p) || p == "." {
		return "", fmt.Errorf("file %q leads outside the package", shortName(ref))
	}
	return p, nil
}

// ParseQTIPackage reads an IMS content package (a zip file with imsmanifest.xml) of QTI 2.1
// or 2.2 items and their images.
func ParseQTIPackage(data []byte, lang string) (*Result, error) {
	pkg, err := openPackage(data)
	if err != nil {
		return nil, err
	}
	mdata, err := pkg.read("imsmanifest.xml", MaxXMLFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("not an IMS content package: the zip file has no imsmanifest.xml")
		}
		return nil, err
	}
	manifest, err := parseXMLTree(mdata)
	if err != nil {
		return nil, fmt.Errorf("imsmanifest.xml: %v", err)
	}
	if manifest.name != "manifest" {
		return nil, fmt.Errorf("imsmanifest.xml: the root element is <%s>, not <manifest>", manifest.name)
	}
	res := &Result{Format: FormatQTI}
	number := 0
	for _, r := range resources(manifest, ".", nil) {
		typ := r.node.attr["type"]
		id := either(r.node.attr["identifier"], r.node.attr["href"])
		switch {
		case strings.HasPrefix(typ, "imsqti_item_xmlv2p"), strings.HasPrefix(typ, "imsqti_apipitem_xmlv2p"):
		case strings.HasPrefix(typ, "imsqti_item_xmlv1"), strings.HasPrefix(typ, "imsqti_xmlv1"):
			number++
			res.skip(id, fmt.Sprintf("imsmanifest.xml line %d", r.node.line), "a QTI 1.2 item, which is not supported: export QTI 2.1 or 2.2")
			continue
		default:
			continue // tests, web content, metadata: not questions
		}
		number++
		href := r.node.attr["href"]
		if href == "" {
			if f := child(r.node, "file"); f != nil {
				href = f.attr["href"]
			}
		}
		where := fmt.Sprintf("imsmanifest.xml line %d", r.node.line)
		name, err := packagePath(r.base, href)
		if err != nil {
			res.skip(id, where, "%v", err)
			continue
		}
		itemData, err := pkg.read(name, MaxXMLFile)
		if errors.Is(err, errBudget) {
			return nil, err
		}
		if err != nil {
			res.skip(id, name, "%s", readError(err))
			continue
		}
		root, err := parseXMLTree(itemData)
		if err == nil {
			err = checkItemRoot(root)
		}
		if err != nil {
			res.skip(id, name, "%v", err)
			continue
		}
		if err := qtiItemIn(res, root, name, number, pkg, lang); err != nil {
			return nil, err
		}
	}
	if number == 0 {
		return nil, errors.New("imsmanifest.xml lists no QTI 2.1 or 2.2 items")
	}
	return res, nil
}

// qtiItemIn reads an item of a package; running out of the package's budget fails the whole.
func qtiItemIn(res *Result, root *node, name string, number int, pkg *zipPackage, lang string) error {
	var fatal error
	resolve := func(src string) (*Image, error) {
		p, err := packagePath(path.Dir(name), src)
		if err != nil {
			return nil, err
		}
		data, err := pkg.read(p, MaxImage)
		if errors.Is(err, errBudget) {
			fatal = err
		}
		if err != nil {
			return nil, fmt.Errorf("image %s: %s", shortName(src), readError(err))
		}
		return prepareImage(p, data)
	}
	qtiItem(res, root, name, number, resolve, lang)
	return fatal
}

type resource struct {
	node *node
	base string // the folder its href is relative to
}

// resources lists the resources of a manifest in order, with the folder xml:base gives them.
func resources(n *node, base string, out []resource) []resource {
	if b := n.attr["xml:base"]; b != "" {
		if strings.HasSuffix(b, "/") {
			base = path.Join(base, b)
		} else {
			base = path.Join(base, path.Dir(b))
		}
	}
	if n.name == "resource" {
		return append(out, resource{n, base})
	}
	for _, k := range n.kids {
		if k.name != "" {
			out = resources(k, base, out)
		}
	}
	return out
}
