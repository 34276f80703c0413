package main

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.mongodb.org/mongo-driver/bson"
)

// Equality indexes for the PostgreSQL backend. FerretDB v1 pushes a top-level equality filter down
// to PostgreSQL as `_jsonb->'field' @> 'value'`, but the indexes it creates for createIndexes are
// btree indexes on `(_jsonb->'field')`, which cannot serve the `@>` operator: every pushed-down
// find, count or update by a field (even by _id) is a sequential scan of the whole table, which on a
// community's two years of ledger entries (300 k rows) costs 100+ ms per query. So after each
// createIndexes the proxy adds a GIN index on `(_jsonb->'field')` for _id and for every top-level
// field of each declared index, which serves `@>`: a filter of several equalities (community and
// status) is a bitmap AND of two small posting lists, not a recheck of every row of the community
// with its whole document detoasted; postgres runs with
// plan_cache_mode=force_custom_plan, so the field name (a bind parameter in FerretDB's SQL) is known
// when the query is planned and the index expression matches.
type ginIndexer struct {
	pool *pgxpool.Pool
	done sync.Map // "db.table.field" → struct{}
}

var gin *ginIndexer

func startGinIndexer(ctx context.Context, url string) error {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	gin = &ginIndexer{pool: pool}
	return nil
}

// indexedFields reads a createIndexes command (an OP_MSG kind-0 body) and returns _id and the keys
// of each index that are top-level fields (FerretDB pushes no dotted path down).
func indexedFields(msg []byte) (db, collection string, fields []string) {
	if len(msg) < 26 || msg[20] != 0 {
		return "", "", nil
	}
	var cmd struct {
		CreateIndexes string `bson:"createIndexes"`
		DB            string `bson:"$db"`
		Indexes       []struct {
			Key bson.D `bson:"key"`
		} `bson:"indexes"`
	}
	if err := bson.Unmarshal(msg[21:], &cmd); err != nil {
		return "", "", nil
	}
	fields = []string{"_id"}
	for _, ix := range cmd.Indexes {
		for _, k := range ix.Key {
			if !strings.ContainsAny(k.Key, ".$") && !slices.Contains(fields, k.Key) {
				fields = append(fields, k.Key)
			}
		}
	}
	return cmd.DB, cmd.CreateIndexes, fields
}

// ensure creates the GIN indexes of a collection's fields that do not exist yet. Errors are
// logged, never returned: without the index a query is only slower.
func (g *ginIndexer) ensure(db, collection string, fields []string) {
	if g == nil || db == "" || collection == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var table string
	q := `SELECT _jsonb->>'table' FROM ` + pgx.Identifier{db, "_ferretdb_database_metadata"}.Sanitize() +
		` WHERE _jsonb->>'_id' = $1`
	if err := g.pool.QueryRow(ctx, q, collection).Scan(&table); err != nil {
		logf("gin: no table for %s.%s: %v", db, collection, err)
		return
	}
	for _, f := range fields {
		key := db + "." + table + "." + f
		if _, seen := g.done.Load(key); seen {
			continue
		}
		sum := sha1.Sum([]byte(key))
		name := "linli_gin_" + hex.EncodeToString(sum[:8])
		literal := "'" + strings.ReplaceAll(f, "'", "''") + "'"
		ddl := `CREATE INDEX IF NOT EXISTS ` + pgx.Identifier{name}.Sanitize() + ` ON ` +
			pgx.Identifier{db, table}.Sanitize() + ` USING gin ((_jsonb->` + literal + `)) WITH (fastupdate = off)`
		if _, err := g.pool.Exec(ctx, ddl); err != nil {
			logf("gin: %s: %v", ddl, err)
			continue
		}
		g.done.Store(key, struct{}{})
	}
}
