package main

import (
	"encoding/binary"
	"net"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

func encodeMsg(t *testing.T, body bson.D) []byte {
	raw, err := bson.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	msg := make([]byte, 21, 21+len(raw))
	binary.LittleEndian.PutUint32(msg[12:], opMsg)
	msg = append(msg, raw...)
	binary.LittleEndian.PutUint32(msg, uint32(len(msg)))
	return msg
}

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		body bson.D
		want command
	}{
		{bson.D{{"update", "rewards"}, {"updates", bson.A{bson.D{{"q", bson.D{}}}}}, {"ordered", true}, {"$db", "linli"}}, command{"update", "rewards", "linli"}},
		{bson.D{{"getMore", int64(42)}, {"collection", "ledger"}, {"$db", "t1"}}, command{"getMore", "ledger", "t1"}},
		{bson.D{{"hello", int32(1)}, {"$db", "admin"}}, command{"hello", "", "admin"}},
		{bson.D{{"find", "needs"}, {"filter", bson.D{{"at", bson.D{{"$gt", 1.5}}}}}, {"lsid", bson.D{{"id", primitive.Binary{Subtype: 4, Data: make([]byte, 16)}}}}, {"$db", "x"}}, command{"find", "needs", "x"}},
	} {
		if got := parseCommand(encodeMsg(t, tc.body)); got != tc.want {
			t.Errorf("parseCommand(%v) = %+v, want %+v", tc.body, got, tc.want)
		}
	}
}

// A driver's heartbeat must not wait behind a write (or a read queued behind one): the driver would
// declare the server dead and clear its pool. Data commands on the written collection do wait,
// those on other collections do not.
func TestHeartbeatsTakeNoLock(t *testing.T) {
	upstream, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close()
	go func() { // echoes every message back, as its own reply
		for {
			conn, err := upstream.Accept()
			if err != nil {
				return
			}
			go func() {
				for {
					msg, err := readMessage(conn)
					if err != nil || func() error { _, err := conn.Write(msg); return err }() != nil {
						return
					}
				}
			}()
		}
	}()
	front, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	go serveProxy(front, upstream.Addr().String())
	conn, err := net.Dial("tcp", front.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ask := func(body bson.D) <-chan error {
		done := make(chan error, 1)
		go func() {
			if _, err := conn.Write(encodeMsg(t, body)); err != nil {
				done <- err
				return
			}
			_, err := readMessage(conn)
			done <- err
		}()
		return done
	}

	held := lockOf("linli.ledger")
	held.Lock() // a long write on the ledger
	select {
	case err := <-ask(bson.D{{"hello", int32(1)}, {"$db", "admin"}}):
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("hello waited for a write")
	}
	select { // collections do not wait for each other
	case err := <-ask(bson.D{{"find", "needs"}, {"$db", "linli"}}):
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a read of another collection waited for the write")
	}
	read := ask(bson.D{{"find", "ledger"}, {"$db", "linli"}})
	select {
	case <-read:
		t.Fatal("a read of the collection ran during its write")
	case <-time.After(200 * time.Millisecond):
	}
	held.Unlock()
	select {
	case err := <-read:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the read never ran")
	}
}

// Every top-level key of every declared index gets its GIN index, once; dotted paths never (FerretDB
// pushes none down).
func TestIndexedFields(t *testing.T) {
	msg := encodeMsg(t, bson.D{
		{Key: "createIndexes", Value: "needs"},
		{Key: "indexes", Value: bson.A{
			bson.D{{Key: "key", Value: bson.D{{Key: "communityId", Value: 1}, {Key: "status", Value: 1}, {Key: "queueAt", Value: 1}}}},
			bson.D{{Key: "key", Value: bson.D{{Key: "gridId", Value: 1}, {Key: "status", Value: 1}}}},
			bson.D{{Key: "key", Value: bson.D{{Key: "place.courtyardId", Value: 1}}}},
		}},
		{Key: "$db", Value: "linli"},
	})
	db, collection, fields := indexedFields(msg)
	want := []string{"_id", "communityId", "status", "queueAt", "gridId"}
	if db != "linli" || collection != "needs" || !slices.Equal(fields, want) {
		t.Fatalf("indexedFields = %q %q %q, want linli needs %q", db, collection, fields, want)
	}
}
