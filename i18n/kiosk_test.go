package i18n

import "testing"

// TestNewKioskHoldsTheKioskPartAlone checks that the kiosk's Localizer has every message of the
// kiosk's part in every language, rendered as New renders it, and none of the console's.
func TestNewKioskHoldsTheKioskPartAlone(t *testing.T) {
	cat := mustCatalogue(t)
	for _, tag := range Tags() {
		k, err := NewKiosk(tag)
		if err != nil {
			t.Fatal(err)
		}
		failOnProblem(t, k)
		all := mustNew(t, tag)
		for _, e := range partFile(t, KioskPart, tag) {
			fields, _ := cat.messageFields(Fallback, e.ID)
			data := sampleData(fields)
			var got, want string
			if len(pluralForms(cat.messages[Fallback][e.ID])) > 1 {
				got, want = k.N(e.ID, 2, data), all.N(e.ID, 2, data)
			} else {
				got, want = k.T(e.ID, data), all.T(e.ID, data)
			}
			if got != want {
				t.Errorf("%s %s: the kiosk's Localizer says %q, New's %q", tag, e.ID, got, want)
			}
		}
	}
	kc, err := embeddedKiosk()
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range Parts {
		if part == KioskPart {
			continue
		}
		for _, e := range partFile(t, part, Fallback) {
			if _, ok := kc.messages[Fallback][e.ID]; ok {
				t.Errorf("the kiosk's catalogue holds %s of the %s part", e.ID, part)
			}
		}
	}
}
