// Package exam is the attempt engine: sessions, attempts, answers, time and events, kept durably
// in SQLite, with no window involved. See DESIGN.md, "Time and durability".
package exam
