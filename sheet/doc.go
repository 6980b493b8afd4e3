// Package sheet seals answer sheets (signed by the terminal, encrypted to the scorer), checks
// receipts and keeps the upload outbox.
package sheet
