// Package app is the kiosk's Fyne user interface: screens, theme and translations. It holds no
// exam rules; those live in exam, bank, sheet and scorer.
package app
