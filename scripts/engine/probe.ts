/**
 * `npm run engine:probe`: does the engine apply single-document updates atomically, as MongoDB does?
 * Concurrent guarded updates, `$inc`s and guarded findOneAndUpdates on one document, and reads racing
 * upserts. Set LINLI_ENGINE (postgresql|sqlite) and LINLI_ENGINE_SERIALIZE (1|0) to compare.
 */
import { MongoClient } from 'mongodb'
import { startEngine } from './index'

const rounds = Number(process.env.PROBE_ROUNDS ?? 5)
const engine = await startEngine()
const client = await MongoClient.connect(engine.uri, { maxPoolSize: 100 })
const db = client.db(`probe_${Date.now()}`)
const docs = db.collection<{ _id: number; stock?: number; n?: number; taken?: boolean; a?: number }>('probe')

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now()
  const r = await f()
  return [r, Math.round(performance.now() - t0)]
}

for (let round = 0; round < rounds; round++) {
  const id = round * 10
  await docs.insertMany([
    { _id: id, stock: 50 },
    { _id: id + 1, n: 0 },
    { _id: id + 2, taken: false },
  ])
  const [guarded, guardedMs] = await timed(() =>
    Promise.all(
      Array.from({ length: 100 }, () =>
        docs.updateOne({ _id: id, stock: { $gte: 1 } }, { $inc: { stock: -1 } }),
      ),
    ),
  )
  const [, incMs] = await timed(() =>
    Promise.all(Array.from({ length: 50 }, () => docs.updateOne({ _id: id + 1 }, { $inc: { n: 1 } }))),
  )
  const [claims, claimMs] = await timed(() =>
    Promise.all(
      Array.from({ length: 20 }, () =>
        docs.findOneAndUpdate({ _id: id + 2, taken: false }, { $set: { taken: true } }),
      ),
    ),
  )
  // A read racing an upsert must see the document whole or not at all.
  let torn = 0
  await Promise.all(
    Array.from({ length: 30 }, async (_, k) => {
      const key = id * 1000 + 100 + k
      const [, ...reads] = await Promise.all([
        docs.updateOne({ _id: key }, { $setOnInsert: { a: 1 } }, { upsert: true }),
        ...Array.from({ length: 5 }, () => docs.findOne({ _id: key })),
      ])
      torn += reads.filter((d) => d && d.a !== 1).length
    }),
  )
  const stock = (await docs.findOne({ _id: id }))?.stock
  const n = (await docs.findOne({ _id: id + 1 }))?.n
  console.log(
    JSON.stringify({
      round,
      guarded: {
        successes: guarded.filter((r) => r.modifiedCount === 1).length,
        stock,
        ms: guardedMs,
        want: '50 / 0',
      },
      inc: { n, ms: incMs, want: 50 },
      findOneAndUpdate: { winners: claims.filter(Boolean).length, ms: claimMs, want: 1 },
      tornReads: torn,
    }),
  )
}
await db.dropDatabase()
await client.close()
await engine.stop()
