// Command ferretdb runs FerretDB v1.24 (MongoDB wire protocol over embedded SQLite) as the offline
// database engine. It embeds FerretDB's library rather than building its cmd/ferretdb, whose module
// zip lacks the generated version file and panics at start.
//
// FerretDB v1 runs an update or findAndModify as "query, then write" without a transaction, so two
// concurrent guarded updates of one document can both match and one write is lost (measured: 100
// concurrent `$inc: -1` guarded by `stock >= 1` on stock 50 left stock 45 with 100 "successes").
// MongoDB applies each single-document update atomically, and the whole design relies on that. So
// clients talk to a small wire proxy here that runs mutating commands (insert, update, delete,
// findAndModify) one at a time, restoring document-level atomicity. Reads run in parallel with each
// other but not during a write, so none sees a write half-applied (an upsert inserts, then updates).
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

// ferretdbVersion is reported by buildInfo; the module zip lacks the version file the library reads.
const ferretdbVersion = "v1.24.2"

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	dir := flag.String("sqlite-dir", "", "directory holding one SQLite file per database")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "-sqlite-dir is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	version.Get().Version = ferretdbVersion
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/",
		Logger:    logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { _ = f.Run(ctx) }()
	// MongoDBURI blocks until Run has opened the listener.
	inner, err := url.Parse(f.MongoDBURI())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	// The parent reads this line.
	fmt.Printf("mongodb://%s/\n", ln.Addr().String())
	for {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		go proxy(client, inner.Host)
	}
}

// lock serialises mutating commands across all connections and keeps reads out while one runs.
var lock sync.RWMutex

var mutating = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
}

const opMsg = 2013
const moreToCome = 1 << 1

func proxy(client net.Conn, upstream string) {
	defer client.Close()
	server, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer server.Close()
	for {
		req, err := readMessage(client)
		if err != nil {
			return
		}
		if isMutating(req) {
			lock.Lock()
			err = roundTrip(req, client, server)
			lock.Unlock()
		} else {
			lock.RLock()
			err = roundTrip(req, client, server)
			lock.RUnlock()
		}
		if err != nil {
			return
		}
	}
}

// roundTrip forwards one request and its reply (or replies, while the server says more are coming).
func roundTrip(req []byte, client, server net.Conn) error {
	if _, err := server.Write(req); err != nil {
		return err
	}
	if flags(req)&moreToCome != 0 {
		return nil
	}
	for {
		res, err := readMessage(server)
		if err != nil {
			return err
		}
		if _, err := client.Write(res); err != nil {
			return err
		}
		if flags(res)&moreToCome == 0 {
			return nil
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(head[:])
	if n < 16 || n > 64<<20 {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, n)
	copy(msg, head[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func flags(msg []byte) uint32 {
	if len(msg) < 20 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return 0
	}
	return binary.LittleEndian.Uint32(msg[16:20])
}

// isMutating reads the command name: the first key of the OP_MSG body section (kind 0).
func isMutating(msg []byte) bool {
	if len(msg) < 27 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg || msg[20] != 0 {
		return false
	}
	// msg[21:25] is the body document's length, msg[25] the first element's type, then its name.
	name := msg[26:]
	for i, b := range name {
		if b == 0 {
			return mutating[string(name[:i])]
		}
	}
	return false
}
