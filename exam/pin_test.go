package exam

import (
	"errors"
	"testing"
	"time"
)

func TestPIN(t *testing.T) {
	e, _, clock, dir := startTestSession(t)
	if _, err := e.CheckPIN(RoleProctor, "123456"); !errors.Is(err, ErrNoPIN) {
		t.Fatalf("no PIN set: %v", err)
	}
	for _, bad := range []string{"12345", "12345a", "123456789012345678901234567890123", ""} {
		if err := e.SetPIN(RoleProctor, bad); !errors.Is(err, ErrBadPIN) {
			t.Fatalf("SetPIN(%q) = %v", bad, err)
		}
	}
	if err := e.SetPIN(RoleProctor, "482913"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CheckPIN(RoleProctor, "482913"); err != nil {
		t.Fatalf("right PIN: %v", err)
	}
	if _, err := e.CheckPIN(RoleAdmin, "482913"); !errors.Is(err, ErrNoPIN) {
		t.Fatalf("the proctor's PIN opened the admin role: %v", err)
	}
	for want := 4; want >= 1; want-- {
		left, err := e.CheckPIN(RoleProctor, "000000")
		if !errors.Is(err, ErrWrongPIN) || left != want {
			t.Fatalf("wrong PIN: %d left, %v; want %d", left, err, want)
		}
	}
	// The counter is durable: a restart does not give the tries back.
	e.Close()
	e = openTestEngine(t, dir, clock)
	defer e.Close()
	_, err := e.CheckPIN(RoleProctor, "000000")
	var locked *LockedOutError
	if !errors.As(err, &locked) || locked.Until.Sub(clock.Now()) != time.Minute {
		t.Fatalf("fifth wrong PIN: %v", err)
	}
	if _, err := e.CheckPIN(RoleProctor, "482913"); !errors.As(err, &locked) {
		t.Fatalf("right PIN while locked out: %v", err)
	}
	clock.Advance(61 * time.Second)
	if _, err := e.CheckPIN(RoleProctor, "111111"); !errors.As(err, &locked) || locked.Until.Sub(clock.Now()) != 2*time.Minute {
		t.Fatalf("sixth wrong PIN doubles the lock-out: %v", err)
	}
	clock.Advance(2*time.Minute + time.Second)
	if _, err := e.CheckPIN(RoleProctor, "482913"); err != nil {
		t.Fatalf("right PIN after the lock-out: %v", err)
	}
	if left, err := e.CheckPIN(RoleProctor, "000000"); left != 4 || !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("after a right PIN the count starts again: %d %v", left, err)
	}
}
