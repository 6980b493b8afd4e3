package scorer_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"net"
	"testing"

	"ispit/scorer"
)

// BenchmarkConnectionCost is what a new connection costs, both ends in this process: a TCP
// connection on loopback opened, one byte answered, closed; the same with the TLS 1.3
// handshake of a kiosk to the scorer (its certificate, the kiosk's pinned configuration, Go's
// default key exchange), in full and resumed with the session ticket of the one before.
// A kiosk that keeps its connection between checkpoints pays it once; one whose connection the
// scorer closed pays it with each checkpoint (Config.MaxConns):
//
//	go test ./scorer -run '^$' -bench ConnectionCost -benchtime 2000x
func BenchmarkConnectionCost(b *testing.B) {
	dir := b.TempDir()
	keys := newKeys(b, dir)
	sum := sha256.Sum256(keys.TLS.Certificate[0])
	client := scorer.PinnedTLSConfig(hex.EncodeToString(sum[:]))
	resumed := client.Clone()
	resumed.ClientSessionCache = tls.NewLRUClientSessionCache(1)
	for _, c := range []struct {
		name           string
		server, client *tls.Config
	}{{"tcp", nil, nil}, {"tls", scorer.TLSConfig(keys), client}, {"tls-resumed", scorer.TLSConfig(keys), resumed}} {
		b.Run(c.name, func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					go func() {
						defer conn.Close()
						if c.server != nil {
							conn = tls.Server(conn, c.server)
						}
						conn.Write([]byte{1}) // an answer, after which a TLS client has its session ticket
						conn.Read(make([]byte, 1))
					}()
				}
			}()
			reportCPU(b, func() {
				for range b.N {
					conn, err := net.Dial("tcp", ln.Addr().String())
					if err != nil {
						b.Fatal(err)
					}
					if c.server != nil {
						conn = tls.Client(conn, c.client)
					}
					if _, err := conn.Read(make([]byte, 1)); err != nil {
						b.Fatal(err)
					}
					conn.Close()
				}
			})
		})
	}
}
