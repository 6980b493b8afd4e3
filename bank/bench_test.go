package bank

import (
	"fmt"
	"strings"
	"testing"
)

// benchDefinition is a bank of about 5,000 items in six languages with 200 images, about 20 MB.
func benchDefinition(b *testing.B) *Definition {
	def := newTestDefinition(1666)
	long := func(base string, n int) Text {
		t := Text{}
		for _, l := range Languages {
			s := base + " (" + l + ") " + strings.Repeat("Državni službenik postupa zakonito i nepristrasno. ", n)
			t[l] = s
		}
		return t
	}
	for i := range def.Items {
		it := &def.Items[i]
		if it.Kind != ItemChoice {
			continue
		}
		it.Stem = long("Question "+it.ID, 3)
		for j := range it.Options {
			it.Options[j].Text = long(fmt.Sprintf("Option %d", j), 1)
		}
	}
	for i := range 200 {
		img := testPNG(b, uint64(i), 110, 110)
		name, err := ImageName(img)
		if err != nil {
			b.Fatal(err)
		}
		def.Images[name] = img
		def.Items[i*20].Image = name
	}
	return def
}

// BenchmarkVerifyAndOpenLargeBank measures verify + decrypt + check of a 20 MB bank. The bank is
// built with scrypt work factor 1, so the figure leaves out the start code's key derivation,
// which BenchmarkStartCodeDerivation measures on its own.
func BenchmarkVerifyAndOpenLargeBank(b *testing.B) {
	signer, trust := newTestSigner(b)
	def := benchDefinition(b)
	built := fastBuild(b, def, signer)
	b.ReportMetric(float64(len(built.Bank))/(1<<20), "MiB")
	b.SetBytes(int64(len(built.Bank)))
	b.ResetTimer()
	for b.Loop() {
		v, err := Verify(built.Bank, trust, testNow)
		if err != nil {
			b.Fatal(err)
		}
		bank, err := v.Open(built.StartCode)
		if err != nil {
			b.Fatal(err)
		}
		if len(bank.Items) != len(def.Items) {
			b.Fatalf("%d items", len(bank.Items))
		}
	}
}

// BenchmarkStartCodeDerivation measures opening a tiny bank sealed with the default work factor:
// almost all of it is scrypt deriving the key from the start code.
func BenchmarkStartCodeDerivation(b *testing.B) {
	signer, trust := newTestSigner(b)
	for _, wf := range []int{DefaultWorkFactor, 18} {
		b.Run(fmt.Sprintf("2^%d", wf), func(b *testing.B) {
			built, err := Build(newTestDefinition(7), BuildOptions{Signer: signer, Now: testNow, WorkFactor: wf})
			if err != nil {
				b.Fatal(err)
			}
			v, err := Verify(built.Bank, trust, testNow)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := v.Open(built.StartCode); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(int64(128*8)<<wf)/(1<<20), "scrypt-MiB") // 128·r·N bytes, r = 8
		})
	}
}
