package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
)

// The wire proxy restores MongoDB's document-level atomicity (see main.go): per collection, mutating
// commands run one at a time and reads run in parallel with each other but never during a write (an
// upsert inserts, then updates: a read in between would see a half-made document). Collections do
// not wait for each other. Commands that touch no collection data (hello, ping, buildInfo,
// endSessions…) take no lock at all: the driver's heartbeats must not queue behind a long scan and a
// waiting write, or the driver declares the server dead and clears its pool.

// locks holds one *sync.RWMutex per "db.collection".
var locks sync.Map

func lockOf(ns string) *sync.RWMutex {
	l, _ := locks.LoadOrStore(ns, &sync.RWMutex{})
	return l.(*sync.RWMutex)
}

var mutating = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
}

var reading = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
}

const opMsg = 2013
const moreToCome = 1 << 1

func serveProxy(ln net.Listener, upstream string) {
	for {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		go proxy(client, upstream)
	}
}

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
		switch cmd := parseCommand(req); {
		case mutating[cmd.name]:
			l := lockOf(cmd.namespace())
			l.Lock()
			err = roundTrip(req, client, server)
			l.Unlock()
		case reading[cmd.name]:
			l := lockOf(cmd.namespace())
			l.RLock()
			err = roundTrip(req, client, server)
			l.RUnlock()
		case cmd.name == "createIndexes":
			if err = roundTrip(req, client, server); err == nil {
				gin.ensure(indexedFields(req))
			}
		default:
			err = roundTrip(req, client, server)
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

type command struct{ name, collection, db string }

func (c command) namespace() string { return c.db + "." + c.collection }

// parseCommand reads an OP_MSG body section (kind 0): the command is its first key, whose string
// value names the collection (getMore names it in "collection"), and "$db" the database. Anything
// else (legacy OP_QUERY is only used for the handshake) gives an empty command.
func parseCommand(msg []byte) (c command) {
	if len(msg) < 26 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg || msg[20] != 0 {
		return c
	}
	doc := msg[21:]
	size := int(binary.LittleEndian.Uint32(doc))
	if size < 5 || size > len(doc) {
		return c
	}
	doc = doc[:size-1] // without the document's terminating 0
	for pos, first := 4, true; pos < len(doc); first = false {
		typ := doc[pos]
		end := bytes.IndexByte(doc[pos+1:], 0)
		if end < 0 {
			return c
		}
		key := string(doc[pos+1 : pos+1+end])
		pos += end + 2
		n := valueSize(typ, doc[pos:])
		if n < 0 || pos+n > len(doc) {
			return c
		}
		var str string
		if typ == 0x02 && n >= 5 {
			str = string(doc[pos+4 : pos+n-1])
		}
		switch {
		case first:
			c.name, c.collection = key, str
		case key == "collection" && c.name == "getMore":
			c.collection = str
		case key == "$db":
			c.db = str
		}
		pos += n
	}
	return c
}

// valueSize is the encoded size of a BSON value of type typ at the start of b; -1 if unknown.
func valueSize(typ byte, b []byte) int {
	switch typ {
	case 0x01, 0x09, 0x11, 0x12: // double, datetime, timestamp, int64
		return 8
	case 0x08: // bool
		return 1
	case 0x0A, 0x06, 0xFF, 0x7F: // null, undefined, min/max key
		return 0
	case 0x10: // int32
		return 4
	case 0x07: // ObjectId
		return 12
	case 0x13: // decimal128
		return 16
	case 0x02, 0x0D, 0x0E: // string, code, symbol: int32 length + bytes
		if len(b) < 4 {
			return -1
		}
		return 4 + int(binary.LittleEndian.Uint32(b))
	case 0x03, 0x04, 0x0F: // document, array, code with scope: int32 total length
		if len(b) < 4 {
			return -1
		}
		return int(binary.LittleEndian.Uint32(b))
	case 0x05: // binary: int32 length + subtype + bytes
		if len(b) < 4 {
			return -1
		}
		return 5 + int(binary.LittleEndian.Uint32(b))
	}
	return -1
}
