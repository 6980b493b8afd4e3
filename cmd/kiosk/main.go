// Command kiosk is the exam-room kiosk: one fullscreen window for candidates, proctors and
// administrators. Closing it asks for the proctor PIN.
//
//	kiosk -config /etc/ispit/kiosk.json [-windowed]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"ispit/app"
	"ispit/app/kiosk"
	"ispit/i18n"
)

func main() {
	configPath := flag.String("config", "kiosk.json", "the kiosk's configuration `file` (JSON)")
	windowed := flag.Bool("windowed", false, "run in a window instead of fullscreen (for development)")
	flag.Parse()
	kiosk.TuneGC(os.Getenv)

	cfg, cfgErr := kiosk.LoadConfig(*configPath)
	tag := i18n.FromEnv(os.Getenv)
	if cfgErr == nil && cfg.Language != "" {
		tag = cfg.Language
	}
	loc, err := i18n.NewKiosk(tag)
	if err != nil {
		log.Print(err)
		if loc, err = i18n.NewKiosk(i18n.Fallback); err != nil {
			fmt.Fprintln(os.Stderr, "kiosk:", err)
			os.Exit(1)
		}
	}
	registerFyneTranslations(loc.Lang())

	a := fyneapp.NewWithID("rs.ispit.kiosk")
	var ui *app.UI
	var k *kiosk.Kiosk
	if cfgErr != nil {
		ui = app.NewError(a, loc, cfgErr)
	} else if k, err = kiosk.Open(*cfg); err != nil {
		ui = app.NewError(a, loc, err)
	} else {
		ui = app.New(a, k, loc)
	}
	if *windowed {
		ui.Win.Resize(fyne.NewSize(1024, 768))
	} else {
		ui.Win.SetFullScreen(true)
	}
	ui.Win.ShowAndRun()
	if k != nil {
		if err := k.Close(); err != nil {
			log.Print(err)
		}
	}
}

// registerFyneTranslations gives Fyne's own dialogs the kiosk's labels in its language. Fyne
// picks its language from the system locale, so they are registered for that locale too.
func registerFyneTranslations(tag string) {
	data, err := i18n.FyneTranslations(tag)
	if err != nil {
		log.Print(err)
		return
	}
	for _, l := range []fyne.Locale{fyne.Locale(tag), lang.SystemLocale()} {
		if err := lang.AddTranslationsForLocale(data, l); err != nil {
			log.Print(err)
		}
	}
}
