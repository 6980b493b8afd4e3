// Package sheet is the answer sheet on its way from the terminal to the scorer: the sealed
// sheet (signed by the terminal, encrypted to the scorer), the scorer's signed receipt, and the
// signature of the upload request. The exact format is docs/sheet-format.md.
//
// A sealed sheet (`ispit-sealed-sheet/1`) is a canonical tar archive (see internal/container)
// of a cleartext header.json, its SSHSIG signature by the terminal key, and sheet.age: an age
// file, encrypted to the scorer's hybrid post-quantum key (ML-KEM-768+X25519), of a second
// archive that repeats the header (without its digest of sheet.age), holds the plain sheet
// (exam.Sheet, `ispit-sheet/1`) and its own signature by the terminal key. The terminal calls
// Seal; the scorer routes a sheet by ReadHeader and checks and decrypts it with Open. Every
// check is documented in docs/sheet-format.md and can be repeated by hand with tar, sha256sum,
// ssh-keygen and age 1.3.
//
// The scorer answers an upload with a Receipt signed by its receipt key (SignReceipt); the
// kiosk checks it with VerifyReceipt before it marks the sheet delivered, and shows its
// ReceiptCode. Uploads are signed with SignRequest (headers Ispit-Terminal and
// Ispit-Signature) and checked with VerifyRequest.
//
// On the kiosk, Sealer lets the attempt engine seal a sheet in the same step as its
// submission (exam.Sealer), Uploader delivers the outbox with retries until a receipt verifies,
// and ExportUndelivered writes undelivered sheets to a folder (a USB stick) for `scorer import`.
// EnsureTerminalKey makes the terminal key on first start; ParseEnrolment reads the enrolment
// file, whose scorer keys and TLS certificate the kiosk pins.
//
// Every reader of the format is strict: it refuses what it does not understand with an error
// wrapping one of the sentinel errors (ErrMalformed, ErrTooLarge, ErrUnsupportedFormat,
// ErrSignature, ErrBinding, ErrDecrypt), never a panic.
package sheet
