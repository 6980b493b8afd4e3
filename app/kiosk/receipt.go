package kiosk

import (
	"ispit/exam"
	"ispit/sheet"
)

// SheetReceipt is what the candidate takes away from a submitted attempt: the code to write
// down, and whether the scorer has confirmed it yet.
type SheetReceipt struct {
	SheetID string
	// Code is the receipt code, "XXXXX-XXXXX". It is known from the moment of sealing: it is
	// derived from the sealed bytes alone (sheet.SealedReceiptCode), and the scorer's receipt
	// for those bytes, which the uploader verifies, carries the same code.
	Code string
	// Delivered says that the scorer has confirmed the sheet with a verified receipt.
	Delivered bool
}

// ReceiptOf is the receipt of an outbox entry: the code of its verified receipt once
// delivered, until then the code that receipt will carry.
func ReceiptOf(e *exam.OutboxEntry) SheetReceipt {
	r := SheetReceipt{SheetID: e.SheetID, Delivered: e.Delivered()}
	if r.Delivered {
		r.Code = e.ReceiptCode
	} else {
		r.Code = sheet.SealedReceiptCode(e.Sealed)
	}
	return r
}

// Receipt is the receipt of the sheet of a submitted attempt; ok is false when the outbox holds
// no sheet of that attempt (it is not submitted, or was not sealed).
func (k *Kiosk) Receipt(attemptID string) (r SheetReceipt, ok bool, err error) {
	entries, err := k.Engine.Outbox()
	if err != nil {
		return SheetReceipt{}, false, err
	}
	for i := range entries {
		if entries[i].AttemptID == attemptID {
			return ReceiptOf(&entries[i]), true, nil
		}
	}
	return SheetReceipt{}, false, nil
}
