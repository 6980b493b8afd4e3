// Package scorer is the central service: it receives sealed sheets, verifies and scores them,
// and produces results, rankings and appeal look-ups.
package scorer
