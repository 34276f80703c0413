package main

import (
	"encoding/binary"
	"testing"

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
