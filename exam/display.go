package exam

import (
	"database/sql"
	"fmt"
)

// Display is how the candidate chose to see the exam: a text-size step (0 is the kiosk's
// normal size, each step larger, up to MaxTextSize) and high contrast. It is kept with the
// attempt, so that an attempt resumed after a crash looks as the candidate left it.
type Display struct {
	TextSize     int
	HighContrast bool
}

// MaxTextSize is the largest text-size step.
const MaxTextSize = 2

// SetDisplay keeps the candidate's display settings with the attempt; it returns once they are
// durable. They are not part of the exam's timeline: changing them is allowed in any state.
func (a *Attempt) SetDisplay(d Display) error {
	if d.TextSize < 0 || d.TextSize > MaxTextSize {
		return fmt.Errorf("%w: text size step %d (0 to %d)", ErrBadDisplay, d.TextSize, MaxTextSize)
	}
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if a.display != nil && *a.display == d {
		return nil
	}
	if _, err := e.db.Exec(`UPDATE attempts SET text_size = ?, high_contrast = ? WHERE id = ?`, d.TextSize, d.HighContrast, a.id); err != nil {
		return fmt.Errorf("saving the display settings: %w", err)
	}
	a.display = &d
	return nil
}

// Display returns the display settings kept with the attempt, and whether any were.
func (a *Attempt) Display() (Display, bool) {
	e := a.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	if a.display == nil {
		return Display{}, false
	}
	return *a.display, true
}

// storedDisplay is the display settings as the attempt's row keeps them: nil when none were
// kept. A step out of range, which SetDisplay never writes, is brought into it.
func storedDisplay(textSize sql.NullInt64, contrast sql.NullBool) *Display {
	if !textSize.Valid {
		return nil
	}
	return &Display{TextSize: min(max(int(textSize.Int64), 0), MaxTextSize), HighContrast: contrast.Bool}
}
