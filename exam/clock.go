package exam

import "time"

// Clock gives the engine two kinds of time. Running time is measured only with Elapsed, a
// monotonic clock that the system clock cannot move; Now, the wall clock, only stamps events.
type Clock interface {
	Now() time.Time
	// Elapsed is the monotonic time since some fixed moment of this process.
	Elapsed() time.Duration
}

// SystemClock is the real clock.
type SystemClock struct{ start time.Time }

// NewSystemClock returns the real clock; its Elapsed counts from now.
func NewSystemClock() *SystemClock { return &SystemClock{start: time.Now()} }

// Now returns the wall clock time.
func (c *SystemClock) Now() time.Time { return time.Now() }

// Elapsed returns monotonic time since the clock was made (time.Since uses the monotonic reading).
func (c *SystemClock) Elapsed() time.Duration { return time.Since(c.start) }
