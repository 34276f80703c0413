/**
 * `npm run bench:needs`: times the urgent-needs stats (`needStats`) over N seeded needs (default
 * 2,000, `BENCH_NEEDS`) on a fresh database of the engine `startEngine()` gives (FerretDB offline).
 * Needs are inserted directly through the models, each with a realistic embedded timeline.
 */
import { type NeedStatus, needNumber } from '@linli/shared-types'
import mongoose from 'mongoose'
import { Need, NeedCategory, type NeedDoc, NeedFact } from '../bff/src/modules/needs/need.model'
import { statKeys } from '../bff/src/modules/needs/needs.claims'
import { factsOf } from '../bff/src/modules/needs/needs.facts'
import { needStats } from '../bff/src/modules/needs/needs.stats'
import { connectDb } from '../bff/src/platform/db'
import type { Actor } from '../bff/src/platform/policy'
import { seedDemo } from '../bff/src/seed/demo'
import { startEngine } from './engine/index'

const n = Number(process.env.BENCH_NEEDS ?? 2000)
const engine = await startEngine()
try {
  const db = await connectDb(engine.uri, `bench_needs_${Date.now()}`)
  const { demo } = await seedDemo()
  const communities = [demo.communityA, demo.communityB]
  const cats = await NeedCategory.find({}).lean()
  const statuses: NeedStatus[] = ['submitted', 'accepted', 'inProgress', 'resolved', 'closed', 'withdrawn']
  const now = Date.now()
  const day = 86_400_000
  const docs = Array.from({ length: n }, (_, i) => {
    const c = communities[i % 2]!
    const gridId = c.gridIds[i % c.gridIds.length]!
    const cat = cats.filter((x) => String(x.communityId) === c.id)[i % 5]!
    const status = statuses[i % statuses.length]!
    const createdAt = new Date(now - (i % 28) * day - 3_600_000)
    const done = status === 'resolved' || status === 'closed'
    const entry = (k: number) => ({
      at: new Date(createdAt.getTime() + k * 60_000),
      kind: k === 0 ? 'submitted' : 'note',
      actorRole: k === 0 ? 'resident' : 'handler',
      actorName: '居民',
      note: '楼道灯坏了，晚上很黑，老人上下楼不方便，请尽快修理。'.repeat(2),
      status,
      level: 'courtyard',
    })
    return {
      communityId: c.id,
      streetId: demo.streetId,
      gridId,
      courtyardId: c.courtyardIds[0],
      buildingId: c.buildingIds[0],
      categoryId: cat._id,
      categoryName: cat.name,
      no: needNumber('2026-01-01', i + 1),
      title: `楼道灯坏了 ${i}`,
      description: '楼道灯坏了，晚上很黑，老人上下楼不方便，请尽快修理。',
      urgency: 'normal',
      status,
      level: 'courtyard',
      queueAt: createdAt,
      sla: cat.sla,
      acceptDueAt: new Date(createdAt.getTime() + 3_600_000),
      createdAt,
      updatedAt: createdAt,
      timeline: Array.from({ length: 4 + (i % 5) }, (_, k) => entry(k)),
      ...statFields(status, done, i),
    }
  })
  const t0 = performance.now()
  for (let i = 0; i < docs.length; i += 500) {
    // Through the model (casts, defaults) but keeping the backdated createdAt.
    const needs = docs.slice(i, i + 500).map((d) => new Need(d).toObject() as unknown as NeedDoc)
    await Need.collection.insertMany(needs)
    await NeedFact.insertMany(needs.map((d) => ({ _id: d._id, ...factsOf(d, 'Asia/Shanghai') })))
  }
  console.log(
    `engine: ${engine.name} ${db.version}; seeded ${n} needs in ${Math.round(performance.now() - t0)} ms`,
  )

  const admin: Actor = {
    userId: new mongoose.Types.ObjectId().toString(),
    nickname: 'bench',
    memberships: [],
    residency: {
      status: 'none',
      communityId: null,
      gridId: null,
      courtyardId: null,
      buildingId: null,
      householdKey: null,
    },
    reach: {},
    isAdmin: true,
  }
  const iso = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
  const query = { scope: 'street' as const, scopeId: demo.streetId, from: iso(now - 30 * day), to: iso(now) }
  for (let run = 1; run <= 3; run++) {
    const t = performance.now()
    const stats = await needStats(admin, query)
    console.log(
      `needStats (street, ${stats.total} needs) run ${run}: ${Math.round(performance.now() - t)} ms` +
        ` (counted ${stats.counted}, rated ${stats.rated}, statuses ${stats.byStatus.length}, categories ${stats.byCategory.length})`,
    )
  }
  // The alternative over the same facts: aggregations with one $sum per $group (FerretDB v1.24
  // computes only the first accumulator of a $group), plus one count by status and category.
  const match = { streetId: new mongoose.Types.ObjectId(demo.streetId), createdAt: { $gte: new Date(0) } }
  for (let run = 1; run <= 3; run++) {
    const t = performance.now()
    const [counts, ...totals] = await Promise.all([
      NeedFact.aggregate<{ n: number }>([
        { $match: match },
        { $group: { _id: { status: '$status', categoryId: '$categoryId' }, n: { $sum: 1 } } },
      ]),
      ...statKeys.map((k) =>
        NeedFact.aggregate<{ v: number }>([
          { $match: match },
          { $group: { _id: null, v: { $sum: `$${k}` } } },
        ]),
      ),
    ])
    const total = counts.reduce((sum, c) => sum + c.n, 0)
    console.log(
      `alternative: ${statKeys.length + 1} $group aggregations (street, ${total} needs) run ${run}:` +
        ` ${Math.round(performance.now() - t)} ms (counted ${totals[0]?.[0]?.v})`,
    )
  }
} finally {
  await mongoose.disconnect()
  await engine.stop()
}

/** The 0/1 counters and minutes a need at `status` would carry. */
function statFields(status: NeedStatus, done: boolean, i: number) {
  const accepted = status !== 'submitted' && status !== 'withdrawn'
  const stat = {
    counted: status === 'withdrawn' ? 0 : 1,
    acceptedOnTime: accepted && i % 3 ? 1 : 0,
    resolvedKept: done ? 1 : 0,
    rated: status === 'closed' ? 1 : 0,
    satisfied: status === 'closed' && i % 4 ? 1 : 0,
    acceptCount: accepted ? 1 : 0,
    acceptMinutes: accepted ? 30 + (i % 90) : 0,
    resolveCount: done ? 1 : 0,
    resolveMinutes: done ? 600 + (i % 600) : 0,
  }
  return { stat }
}
