import { needDayRange, zoneDate } from '@linli/shared-types'
import mongoose from 'mongoose'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Checkpoint } from '../../platform/checkpoints'
import { User } from '../auth/user.model'
import { Need, type NeedDoc, NeedFact } from './need.model'
import { statKeys } from './needs.claims'
import { addInto, backfillDays, emptySums, NeedStatDay, recomputeDay, type Sums } from './needs.days'
import { factsOf } from './needs.facts'
import {
  backfillQueue,
  backfillQueueDays,
  entryOf,
  isOpenStatus,
  NeedQueue,
  NeedQueueDays,
} from './needs.queue'
import { needsSweeper } from './needs.sweeper'

const app = await startTestApp()
const { communityA } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const gridWorker = await app.login('gridWorker', {
  scopeId: communityA.gridIds[0]!,
  handle: 'grid-wangping-1',
})
const microWorker = await app.login('gridWorker', {
  scopeId: communityA.courtyardIds[0]!,
  handle: 'grid-wangping-cy1',
})
const residents = await app.verifiedResidents(30, communityA.id, 'dq')
// A third of them live in another grid and courtyard, so the scoped queues differ.
for (const r of residents.slice(0, 10))
  await User.updateOne(
    { openid: `dev:${r.handle}` },
    {
      $set: {
        'residency.gridId': communityA.gridIds[1],
        'residency.courtyardId': communityA.courtyardIds[1],
      },
    },
  )
const cats = (await app.call('listNeedCategories', {}, { token: residents[0]!.token })).body.items as {
  id: string
  key: string
}[]
const other = cats.find((c) => c.key === 'other')!.id

async function report(token: string, i: number): Promise<string> {
  const res = await app.call(
    'createNeed',
    {
      body: {
        categoryId: other,
        title: `派生测试${i}`,
        description: '楼道灯不亮了，晚上看不见路',
        ignoreDuplicates: true,
      },
    },
    { token },
  )
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id as string
}
const bodies = { acceptNeed: undefined, addNeedReply: { note: '已联系物业' }, withdrawNeed: {} }
const act = (op: keyof typeof bodies, id: string, token: string) =>
  app.call(op, { params: { id }, ...(bodies[op] ? { body: bodies[op] } : {}) }, { token })

const norm = (v: unknown): unknown =>
  v instanceof Date ? v.getTime() : v instanceof mongoose.Types.ObjectId ? String(v) : (v ?? null)
const plain = (doc: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, norm(v)]))

/** Every open need has exactly the entry its current state gives, and no closed need has one. */
async function expectQueueMatchesNeeds() {
  const needs = (await Need.find({}, { timeline: 0 }).lean()) as NeedDoc[]
  const entries = await NeedQueue.find({}).lean()
  const open = needs.filter((n) => isOpenStatus(n.status))
  expect(entries.map((e) => String(e._id)).sort()).toEqual(open.map((n) => String(n._id)).sort())
  const byId = new Map(entries.map((e) => [String(e._id), e as unknown as Record<string, unknown>]))
  for (const n of open) {
    const { _id, ...have } = byId.get(String(n._id))!
    expect(plain(have)).toEqual(plain(entryOf(n)!))
  }
  // Every entry's day is marked in its community: pages are read by those days.
  const marks = new Map((await NeedQueueDays.find({}).lean()).map((m) => [String(m._id), m.days]))
  for (const e of entries) expect(marks.get(String(e.communityId))).toContain(e.dueDay)
}

type Page = { items: { id: string; secondsLeft: number | null }[]; nextCursor: string | null }

/** Every page of a queue through the API (ids in order), following the cursor. */
async function walk(token: string, query: Record<string, string>): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const res = await app.call(
      'listNeedsForHandling',
      { query: { ...query, limit: '3', ...(cursor ? { cursor } : {}) } },
      { token },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const page = res.body as Page
    ids.push(...page.items.map((i) => i.id))
    cursor = page.nextCursor
  } while (cursor)
  return ids
}

/** The queue as the needs themselves give it: in scope, status and level, by (queueAt, _id). */
async function reference(scope: Record<string, string>, status: string, level?: string) {
  const needs = (await Need.find(
    Object.fromEntries(Object.entries(scope).map(([k, v]) => [k, new mongoose.Types.ObjectId(v)])),
    { timeline: 0 },
  ).lean()) as NeedDoc[]
  return needs
    .filter((n) => (status === 'open' ? isOpenStatus(n.status) : n.status === status))
    .filter((n) => !level || n.level === level)
    .sort((a, b) => a.queueAt.getTime() - b.queueAt.getTime() || (String(a._id) < String(b._id) ? -1 : 1))
    .map((n) => String(n._id))
}

const actors: [string, string, Record<string, string>][] = [
  ['staff', staffA, { communityId: communityA.id }],
  ['grid worker', gridWorker, { gridId: communityA.gridIds[0]! }],
  ['micro-grid worker', microWorker, { courtyardId: communityA.courtyardIds[0]! }],
]

async function expectPagesMatchReference() {
  for (const [who, token, scope] of actors)
    for (const status of ['open', 'submitted', 'accepted', 'inProgress'])
      for (const level of [undefined, 'courtyard', 'grid']) {
        const query = { status, ...(level ? { level } : {}) }
        const want = await reference(scope, status, level)
        expect(await walk(token, query), `${who} ${JSON.stringify(query)}`).toEqual(want)
      }
}

const ids: string[] = []
const TZ = 'Asia/Shanghai'
const today = () => zoneDate(new Date(), TZ)

/** The figures through the API (day sums once backfilled) and counted here from every fact. */
async function expectStatsMatchFacts(scope: 'community' | 'grid', scopeId: string, from: string, to: string) {
  const res = await app.call('getNeedStats', { query: { scope, scopeId, from, to } }, { token: staffA })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const { start, end } = needDayRange(from, to, TZ)
  const field = scope === 'grid' ? 'gridId' : 'communityId'
  const facts = (await NeedFact.find({}).lean()).filter(
    (f) => String(f[field]) === scopeId && f.createdAt >= start && f.createdAt < end,
  )
  const count = (key: 'status' | 'categoryId') => {
    const m: Record<string, number> = {}
    for (const f of facts) m[String(f[key])] = (m[String(f[key])] ?? 0) + 1
    return m
  }
  const body = res.body as Record<string, unknown> &
    Record<'byStatus' | 'byCategory', { key: string; count: number }[]>
  const pairs = (list: { key: string; count: number }[]) =>
    Object.fromEntries(list.map((c) => [c.key, c.count]))
  const what = `${scope} ${from}…${to}`
  expect(body.total, what).toBe(facts.length)
  for (const k of ['counted', 'acceptedOnTime', 'resolvedKept', 'rated', 'satisfied'] as const)
    expect(body[k], `${what} ${k}`).toBe(facts.reduce((a, f) => a + Number(f[k] ?? 0), 0))
  expect(pairs(body.byStatus), what).toEqual(count('status'))
  expect(pairs(body.byCategory), what).toEqual(count('categoryId'))
  return facts.length
}

describe('the handling queue from its compact entries', () => {
  it('reads needs until the backfill is done, then entries, with the same pages', async () => {
    for (const [i, r] of residents.slice(0, 12).entries()) ids.push(await report(r.token, i))
    // Levels and deadlines apart: a few rise past their accept timer, a few are accepted or started.
    await Need.updateMany({ _id: { $in: ids.slice(0, 3) } }, { $set: { level: 'grid' } })
    await NeedQueue.deleteMany({ _id: { $in: ids.slice(0, 3) } })
    for (const id of ids.slice(3, 7)) expect((await act('acceptNeed', id, staffA)).status).toBe(200)
    for (const id of ids.slice(5, 7)) expect((await act('addNeedReply', id, staffA)).status).toBe(200)
    // Before the backfill: needs, by the same query as ever.
    const before = await walk(staffA, { status: 'open' })
    expect(before).toEqual(await reference({ communityId: communityA.id }, 'open'))
    await needsSweeper.run(app.deps, new Date())
    expect(await Checkpoint.findById('needs-queue').lean()).not.toBeNull()
    expect(await Checkpoint.findById('needs-queue-days').lean()).not.toBeNull()
    await expectQueueMatchesNeeds()
    expect(await walk(staffA, { status: 'open' })).toEqual(before)
    await expectPagesMatchReference()
  })

  it('keeps entries in step with every write: intake, transitions, closing, escalation', async () => {
    expect((await act('withdrawNeed', ids[8]!, residents[8]!.token)).status).toBe(200)
    await needsSweeper.run(app.deps, new Date(Date.now() + 30 * 86_400_000))
    await expectQueueMatchesNeeds()
    expect(await NeedQueue.exists({ _id: ids[8] })).toBeNull()
    expect(await NeedQueue.countDocuments({ level: { $ne: 'courtyard' } })).toBeGreaterThan(3)
    await expectPagesMatchReference()
  })

  it('many needs reported and accepted at once each have their entry', async () => {
    const made = await Promise.all(residents.slice(12).map((r, i) => report(r.token, 100 + i)))
    const accepted = await Promise.all(made.map((id) => act('acceptNeed', id, staffA)))
    expect(accepted.map((r) => r.status)).toEqual(made.map(() => 200))
    await expectQueueMatchesNeeds()
    await expectPagesMatchReference()
    // Every concurrent recompute of today's sums left them equal to the facts: none lost.
    expect(await expectStatsMatchFacts('community', communityA.id, today(), today())).toBeGreaterThan(25)
    await expectStatsMatchFacts('grid', communityA.gridIds[0]!, today(), today())
    await expectStatsMatchFacts('grid', communityA.gridIds[1]!, today(), today())
  })

  it('the sweeper repairs what a crash between a need write and its derived writes left', async () => {
    const [lost, stale, closed] = ids
    await NeedQueue.deleteOne({ _id: lost })
    await NeedFact.deleteOne({ _id: lost })
    await NeedQueue.updateOne({ _id: stale }, { $set: { status: 'submitted', level: 'courtyard' } })
    // A closed need whose entry removal was lost.
    await Need.updateOne({ _id: closed }, { $set: { status: 'withdrawn' } })
    // And a recompute of today's sums lost after its facts write.
    await NeedStatDay.deleteMany({})
    await needsSweeper.run(app.deps, new Date())
    await expectQueueMatchesNeeds()
    await expectStatsMatchFacts('community', communityA.id, today(), today())
    const need = (await Need.findById(lost).lean()) as NeedDoc
    expect(plain((await NeedFact.findById(lost, { _id: 0 }).lean())!)).toEqual(
      plain(factsOf(need, 'Asia/Shanghai')),
    )
  })

  it('pages read by day buckets equal the needs, with deadlines over many days and a lost mark', async () => {
    // Deadlines one to six days apart (some shared), written as a crash would leave them: the
    // sweeper rewrites the entries and marks their days.
    const open = (await Need.find({}, { status: 1 }).lean()).filter((n) => isOpenStatus(n.status))
    for (const [i, n] of open.entries()) {
      const at = new Date(Date.now() + ((i % 6) + 1) * 86_400_000 + i * 60_000)
      await Need.updateOne(
        { _id: n._id },
        { $set: { deadlineAt: at, queueAt: at, updatedAt: new Date() }, $inc: { rev: 1 } },
      )
    }
    await needsSweeper.run(app.deps, new Date())
    await expectQueueMatchesNeeds()
    await expectPagesMatchReference()
    // A mark lost (a crash after the entry write) hides that day's entries until the sweeper runs.
    const { communityId, dueDay } = (await NeedQueue.findOne({}).lean())!
    await NeedQueueDays.updateOne({ _id: communityId }, { $pull: { days: dueDay } })
    const full = await reference({ communityId: communityA.id }, 'open')
    expect((await walk(staffA, { status: 'open' })).length).toBeLessThan(full.length)
    await Need.updateMany({}, { $set: { updatedAt: new Date() } })
    await needsSweeper.run(app.deps, new Date())
    expect(await walk(staffA, { status: 'open' })).toEqual(full)
    // A marked day with no entries is unmarked by the community's first page, and only that one.
    await NeedQueueDays.updateOne({ _id: communityId }, { $addToSet: { days: '2000-01-01' } })
    await walk(gridWorker, { status: 'open' })
    expect((await NeedQueueDays.findById(communityId).lean())!.days).toContain('2000-01-01')
    await walk(staffA, { status: 'open' })
    expect((await NeedQueueDays.findById(communityId).lean())!.days).not.toContain('2000-01-01')
    await expectQueueMatchesNeeds()
  })

  it('stats over whole days equal the facts counted directly, across month ends in Asia/Shanghai', async () => {
    const statuses = ['closed', 'resolved', 'withdrawn', 'submitted']
    const fact = (iso: string, i: number) => {
      const createdAt = new Date(iso)
      return {
        _id: new mongoose.Types.ObjectId(),
        communityId: new mongoose.Types.ObjectId(communityA.id),
        streetId: new mongoose.Types.ObjectId(app.demo.streetId),
        gridId: new mongoose.Types.ObjectId(communityA.gridIds[i % 2]!),
        categoryId: new mongoose.Types.ObjectId(cats[i % cats.length]!.id),
        status: statuses[i % statuses.length],
        createdAt,
        month: createdAt.toISOString().slice(0, 7),
        ...Object.fromEntries(statKeys.map((k, j) => [k, (i + j) % 2])),
      }
    }
    // Local midnights are 16:00 UTC the day before: each pair straddles one.
    const times = [
      '2023-12-31T15:59:59.999Z',
      '2023-12-31T16:00:00.000Z',
      '2024-01-31T15:59:59.999Z',
      '2024-01-31T16:00:00.000Z',
      '2024-02-15T03:00:00.000Z',
      '2024-02-29T15:59:59.999Z',
      '2024-02-29T16:00:00.000Z',
      '2024-03-31T15:59:59.999Z',
    ]
    // Facts from before the day sums (no `day`): the backfill gives them their day, then sums.
    await NeedFact.collection.insertMany(times.flatMap((t, i) => [fact(t, i), fact(t, i + 1)]))
    await Checkpoint.deleteMany({ _id: { $in: ['need-stat-days', 'needs-facts-day'] } })
    while (await backfillDays(5));
    expect(await NeedFact.countDocuments({ day: null })).toBe(0)
    expect(await backfillDays()).toBe(0)
    const ranges = [
      ['2024-01-01', '2024-01-31'],
      ['2024-01-31', '2024-02-29'],
      ['2024-02-01', '2024-03-01'],
      ['2023-12-01', '2024-03-31'],
      ['2024-02-29', '2024-02-29'],
    ] as const
    for (const [from, to] of ranges) {
      expect(await expectStatsMatchFacts('community', communityA.id, from, to)).toBeGreaterThan(0)
      await expectStatsMatchFacts('grid', communityA.gridIds[1]!, from, to)
    }
  })

  it('writers each adding a fact then recomputing its day at once leave sums counting every fact', async () => {
    const communityId = new mongoose.Types.ObjectId(communityA.id)
    const day = '2025-06-10'
    const createdAt = new Date('2025-06-10T04:00:00Z')
    const base = (await NeedFact.findOne({}, { _id: 0 }).lean())!
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await NeedFact.create({
          ...base,
          _id: new mongoose.Types.ObjectId(),
          createdAt,
          day,
          status: 'closed',
        })
        // Writers spread over a few milliseconds, so reads and writes of different writers interleave.
        await new Promise((r) => setTimeout(r, i % 7))
        return recomputeDay(communityId, day)
      }),
    )
    expect(outcomes.every(Boolean)).toBe(true)
    expect(await expectStatsMatchFacts('community', communityA.id, day, day)).toBe(40)
  })

  it('rewrites day sums stored as nested fields as strings, counting right before, during and after', async () => {
    const ranges = [
      ['2023-12-01', '2024-03-31'],
      ['2024-02-01', '2024-02-29'],
      ['2025-06-01', '2025-06-30'],
    ] as const
    const expectStatsRight = async () => {
      for (const [from, to] of ranges) {
        await expectStatsMatchFacts('community', communityA.id, from, to)
        await expectStatsMatchFacts('grid', communityA.gridIds[1]!, from, to)
      }
    }
    // The format before, as its recompute wrote it: each day's sums of every unit as nested fields.
    type Stored = { _id: string; days: Record<string, { units: unknown }> }
    const old = new Map<string, Record<string, { rev: number; units: Record<string, Sums> }>>()
    for (const f of await NeedFact.find({ communityId: communityA.id }).lean()) {
      const days = old.get(f.day!.slice(0, 7)) ?? {}
      old.set(f.day!.slice(0, 7), days)
      const key = `d${f.day!.slice(8)}`
      days[key] ??= { rev: 1, units: {} }
      for (const unit of f.gridId ? ['all', String(f.gridId)] : ['all']) {
        days[key].units[unit] ??= emptySums()
        addInto(days[key].units[unit], f as unknown as Record<string, unknown>, true)
      }
    }
    expect(old.size).toBeGreaterThan(3)
    const communityId = new mongoose.Types.ObjectId(communityA.id)
    await NeedStatDay.deleteMany({})
    for (const [month, days] of old)
      await NeedStatDay.collection.insertOne({
        _id: `${communityA.id}:${month}` as never,
        communityId,
        month,
        days,
      })
    await Checkpoint.deleteOne({ _id: 'need-stat-days-packed' })
    await expectStatsRight()
    // A live write before the backfill: one day of a month as a string, the others still nested.
    expect(await recomputeDay(communityId, '2024-02-29')).toBe(true)
    await expectStatsRight()
    // The backfill while writers add facts to a day still nested and recompute it.
    const base = (await NeedFact.findOne({ day: '2024-02-15' }, { _id: 0 }).lean())!
    const backfill = backfillDays()
    const writes = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 3))
        await NeedFact.create({ ...base, _id: new mongoose.Types.ObjectId(), status: 'closed' })
        return recomputeDay(communityId, '2024-02-15')
      }),
    )
    expect(writes.every(Boolean)).toBe(true)
    expect(await backfill).toBeGreaterThan(3)
    const after = (await NeedStatDay.find({}).lean()) as unknown as Stored[]
    expect(after.map((m) => m._id).sort()).toEqual([...old.keys()].map((m) => `${communityA.id}:${m}`).sort())
    for (const m of after) for (const d of Object.values(m.days)) expect(typeof d.units, m._id).toBe('string')
    await expectStatsRight()
    expect(await backfillDays()).toBe(0)
  })

  it('backfills the queue of a database that has only needs, once, safely repeated', async () => {
    await NeedQueue.deleteMany({})
    await Checkpoint.deleteOne({ _id: 'needs-queue' })
    const open = (await Need.find({}, { status: 1 }).lean()).filter((n) => isOpenStatus(n.status)).length
    expect(await backfillQueue()).toBe(open)
    await expectQueueMatchesNeeds()
    expect(await backfillQueue()).toBe(0)
    // Entries from before the day buckets: the backfill gives them their day and marks it.
    await NeedQueue.updateMany({}, { $unset: { dueDay: 1 } })
    await NeedQueueDays.deleteMany({})
    await Checkpoint.deleteOne({ _id: 'needs-queue-days' })
    expect(await backfillQueueDays()).toBe(open)
    await expectQueueMatchesNeeds()
    await expectPagesMatchReference()
    expect(await backfillQueueDays()).toBe(0)
  })
})
