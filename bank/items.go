package bank

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// The payload's item list is JSON Lines: a first line with the format and the bank id, then one
// compact JSON item per line. Lines decode independently, so the kiosk decodes a large bank on
// every processor at once; and `jq -c` or any text tool reads it.

// payloadItems is the first line of items.json.
type payloadItems struct {
	Format string `json:"format"`
	BankID string `json:"bank_id"`
	Count  int    `json:"count"`
}

func (p *payloadItems) formatVersion() string { return p.Format }

func encodeItems(bankID string, items []Item) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // one value per line; strings never hold a raw newline
	if err := enc.Encode(payloadItems{PayloadFormat, bankID, len(items)}); err != nil {
		return nil, err
	}
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// decodeItems decodes items.json strictly: unknown fields, trailing data, a count that does
// not match and any other format are refused.
func decodeItems(data []byte) (*payloadItems, []Item, error) {
	lines := bytes.Split(data, []byte("\n"))
	if len(lines) < 2 || len(lines[len(lines)-1]) != 0 {
		return nil, nil, fmt.Errorf("%w item list: it is not JSON lines ending in a newline", ErrMalformed)
	}
	lines = lines[:len(lines)-1]
	var head payloadItems
	if err := decodeStrict(lines[0], PayloadFormat, "item list", &head); err != nil {
		return nil, nil, err
	}
	if head.Count != len(lines)-1 {
		return nil, nil, fmt.Errorf("%w item list: %d items where its first line says %d", ErrMalformed, len(lines)-1, head.Count)
	}
	items := make([]Item, head.Count)
	errs := make([]error, head.Count)
	workers := min(runtime.GOMAXPROCS(0), max(head.Count/256, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < head.Count; i += workers {
				errs[i] = decodeLine(lines[i+1], &items[i])
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, nil, fmt.Errorf("%w item list, line %d: %v", ErrMalformed, i+2, err)
		}
	}
	return &head, items, nil
}

func decodeLine(line []byte, it *Item) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(it); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the item")
	}
	return nil
}
