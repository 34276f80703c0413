import { zoneDate } from '@linli/shared-types'
import mongoose, { Schema, type Types } from 'mongoose'
import { advanceCheckpoint, checkpointReached, readCheckpoint } from '../../platform/checkpoints'
import { findByIds } from '../../platform/filters'
import { isDuplicateKey } from '../../platform/http/problem'
import { communityInfo } from '../org/org.service'
import { NeedFact } from './need.model'
import { type StatKey, statKeys } from './needs.claims'

/**
 * Derived data: per community and local month (`_id` `<communityId>:<YYYY-MM>`), the sums of each
 * day's facts, for the community (`all`) and each of its grids, so stats over whole days read a
 * few month documents instead of every fact of the range.
 *
 * Kept by recompute-and-reread: after a write that changed a need's facts, the writer reads the
 * day's revision, then every fact of the day, and writes the day's sums guarded on that revision
 * (bumping it); a lost race rereads and recomputes. Each writer's facts write completes before it
 * reads the revision, so any sums written after its own successful write read the revision it
 * left, hence read the facts after its facts write: the last sums written include every fact
 * whose writer finished, and no count is lost or doubled however many write at once.
 */
const daySchema = new Schema(
  {
    _id: { type: String, required: true },
    communityId: { type: Schema.Types.ObjectId, required: true },
    month: { type: String, required: true },
    /**
     * `d<DD>` → `{rev, units}`, `units` the JSON of `{all | <gridId>: packed Sums}` (`packUnits`):
     * one string, not nested fields, because FerretDB v1 decodes every field of a document it reads
     * (≈ 4 µs each, projected or not) and then its bytes: a month of nested sums was thousands of
     * fields (≈ 9 ms per read at 15 k residents). Only `sumDays` reads them; no query looks inside.
     * Days written before (`units` nested) are rewritten by `backfillDays`; until then both are read.
     */
    days: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
)
export const NeedStatDay = mongoose.model('NeedStatDay', daySchema, 'need_stat_days')

export type Sums = Record<StatKey | 'total', number> & {
  status: Record<string, number>
  category: Record<string, number>
}

export const emptySums = (): Sums =>
  ({ total: 0, ...Object.fromEntries(statKeys.map((k) => [k, 0])), status: {}, category: {} }) as Sums

/**
 * Where each counter sits in a stored day's sums, `[status, category, ...counters]` (key names
 * repeated per unit and day were over half the bytes). Positions are stored data: never move one;
 * a new counter takes the next, which days written before it read as 0.
 */
const positions: Record<StatKey | 'total', number> = {
  total: 2,
  counted: 3,
  acceptedOnTime: 4,
  resolvedKept: 5,
  rated: 6,
  satisfied: 7,
  acceptCount: 8,
  acceptMinutes: 9,
  resolveCount: 10,
  resolveMinutes: 11,
}

/** A day's sums of every unit as stored. */
function packUnits(units: Record<string, Sums>): string {
  const packed: Record<string, unknown[]> = {}
  for (const [unit, sums] of Object.entries(units)) {
    const row: unknown[] = [sums.status, sums.category]
    for (const [k, i] of Object.entries(positions)) row[i] = sums[k as StatKey | 'total']
    packed[unit] = row
  }
  return JSON.stringify(packed)
}

type Day = { rev?: number; units?: string | Record<string, Sums> }

/** One unit's sums of a stored day (nested until the backfill packs the day). */
function unitSums(day: Day, unit: string): Sums | undefined {
  if (typeof day.units !== 'string') return day.units?.[unit]
  const row = (JSON.parse(day.units) as Record<string, unknown[]>)[unit]
  if (!row) return undefined
  const sums = emptySums()
  sums.status = row[0] as Sums['status']
  sums.category = row[1] as Sums['category']
  for (const [k, i] of Object.entries(positions)) sums[k as StatKey | 'total'] = Number(row[i] ?? 0)
  return sums
}

/** Adds one fact (or the sums of a day) into `to`. */
export function addInto(to: Sums, from: Partial<Sums> & Record<string, unknown>, one: boolean): void {
  to.total += one ? 1 : Number(from.total ?? 0)
  for (const k of statKeys) to[k] += Number(from[k] ?? 0)
  const bump = (map: Record<string, number>, key: string, n: number) => {
    map[key] = (map[key] ?? 0) + n
  }
  if (one) {
    bump(to.status, String(from.status), 1)
    bump(to.category, String(from.categoryId), 1)
    return
  }
  for (const [k, n] of Object.entries(from.status ?? {})) bump(to.status, k, n)
  for (const [k, n] of Object.entries(from.category ?? {})) bump(to.category, k, n)
}

const dayDoc = (communityId: unknown, day: string) => ({
  id: `${communityId}:${day.slice(0, 7)}`,
  path: `days.d${day.slice(8, 10)}`,
})

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Flight = { running: Promise<boolean>; next?: Promise<boolean> }
const flights = new Map<string, Flight>()

/**
 * Recomputes one day's sums of a community from its facts (see above); false if it gave up. Within
 * this process, callers of one day share runs: one runs, and everyone who asks meanwhile shares the
 * single run that starts after it (so it reads their facts too). A burst of reports in one community
 * then costs two recomputes at a time instead of one guarded race per report.
 */
export function recomputeDay(communityId: Types.ObjectId, day: string): Promise<boolean> {
  const key = `${communityId}:${day}`
  const start = () => {
    const running: Promise<boolean> = recomputeOnce(communityId, day).finally(() => {
      const now = flights.get(key)
      if (now?.running === running && !now.next) flights.delete(key)
    })
    flights.set(key, { running })
    return running
  }
  const flight = flights.get(key)
  if (!flight) return start()
  flight.next ??= flight.running.catch(() => false).then(start)
  return flight.next
}

async function recomputeOnce(communityId: Types.ObjectId, day: string): Promise<boolean> {
  const { id, path } = dayDoc(communityId, day)
  for (let attempt = 0; attempt < 30; attempt++) {
    const doc = (await NeedStatDay.findById(id, { [`${path}.rev`]: 1 }).lean()) as {
      days?: Record<string, { rev?: number }>
    } | null
    const rev = doc?.days?.[path.slice(5)]?.rev ?? null
    const facts = await NeedFact.find(
      { day, communityId },
      { gridId: 1, status: 1, categoryId: 1, ...Object.fromEntries(statKeys.map((k) => [k, 1])) },
    ).lean()
    const units: Record<string, Sums> = { all: emptySums() }
    for (const f of facts) {
      const fact = f as unknown as Record<string, unknown>
      addInto(units.all!, fact, true)
      if (!f.gridId) continue
      const grid = String(f.gridId)
      units[grid] ??= emptySums()
      addInto(units[grid], fact, true)
    }
    try {
      const res = await NeedStatDay.updateOne(
        { _id: id, [`${path}.rev`]: rev },
        {
          $set: {
            communityId,
            month: day.slice(0, 7),
            [`${path}.rev`]: (rev ?? 0) + 1,
            [`${path}.units`]: packUnits(units),
          },
        },
        { upsert: true },
      )
      if (res.matchedCount + res.upsertedCount > 0) return true
    } catch (error) {
      // Two first writers of a month: the other created it.
      if (!isDuplicateKey(error)) throw error
    }
    await pause(5 + Math.random() * 10 * Math.min(attempt + 1, 5))
  }
  // Left to the needs sweeper, which recomputes the days of the needs written since its last pass.
  return false
}

/** The day (community time zone) a need's facts count on. */
export async function dayOf(communityId: Types.ObjectId, createdAt: Date): Promise<string> {
  return zoneDate(createdAt, (await communityInfo(communityId)).timezone)
}

/**
 * The sums of the whole local days [from, to] (`YYYY-MM-DD`) of a community, or of one of its grids:
 * one read by `_id` per month.
 */
export async function sumDays(communityId: string, unit: string, from: string, to: string): Promise<Sums> {
  const months: string[] = []
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); ) {
    months.push(m)
    const [y, mo] = m.split('-').map(Number) as [number, number]
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`
  }
  const docs = await findByIds<{ month: string; days: Record<string, Day> }>(
    NeedStatDay,
    months.map((m) => `${communityId}:${m}`),
  )
  const sums = emptySums()
  for (const doc of docs)
    for (const [key, day] of Object.entries(doc.days ?? {})) {
      const date = `${doc.month}-${key.slice(1)}`
      if (date < from || date > to) continue
      const s = unitSums(day, unit)
      if (s) addInto(sums, s as Sums & Record<string, unknown>, false)
    }
  return sums
}

const DAYS_DONE = 'need-stat-days'
const FACT_DAYS_DONE = 'needs-facts-day'
const PACKED_DONE = 'need-stat-days-packed'
const BATCH = 1000

/** Whether every day's sums exist: until then stats read facts. */
export const daysReady = () => checkpointReached(DAYS_DONE)

/**
 * For databases from before the day sums: gives facts their `day`, a batch per pass (one guarded
 * write each), then, once all have one, recomputes the sums of every (community, day) that has
 * facts and marks it done. For databases whose sums were written as nested fields, then rewrites
 * them as strings (`packDays`). After that a pass reads only the checkpoints. Safe beside live
 * writes (each write of sums is guarded as above) and on several instances.
 */
export async function backfillDays(limit = BATCH): Promise<number> {
  if ((await readCheckpoint(DAYS_DONE)) !== null) return packDays()
  if ((await readCheckpoint(FACT_DAYS_DONE)) === null) {
    const legacy = await NeedFact.find({ day: null }, { communityId: 1, createdAt: 1 }).limit(limit).lean()
    for (const f of legacy)
      await NeedFact.updateOne(
        { _id: f._id, day: null },
        { $set: { day: await dayOf(f.communityId, f.createdAt) } },
      )
    if (legacy.length === limit) return legacy.length
    await advanceCheckpoint(FACT_DAYS_DONE, new Date())
  }
  const facts = await NeedFact.find({ day: { $ne: null } }, { communityId: 1, day: 1 }).lean()
  const pairs = new Map(facts.map((f) => [`${f.communityId}:${f.day}`, f]))
  let done = true
  for (const f of pairs.values()) done = (await recomputeDay(f.communityId, f.day!)) && done
  if (done) {
    // Every day that has sums has facts, so all were just written as strings.
    await advanceCheckpoint(PACKED_DONE, new Date())
    await advanceCheckpoint(DAYS_DONE, new Date())
  }
  return pairs.size
}

/**
 * Rewrites each day whose `units` is still nested as its string, walking every month document once
 * (a few dozen per community and year), each day guarded on its revision like a recompute (and
 * bumping it): if a recompute won meanwhile, it wrote the day as a string already. The same sums in
 * another form, so reads stay right throughout; a pass cut short is walked again. Returns the days
 * rewritten.
 */
async function packDays(): Promise<number> {
  if ((await readCheckpoint(PACKED_DONE)) !== null) return 0
  let packed = 0
  const ids = await NeedStatDay.find({}, { _id: 1 }).sort({ _id: 1 }).lean()
  for (const { _id } of ids) {
    const doc = await NeedStatDay.findById(_id).lean()
    for (const [key, day] of Object.entries((doc?.days ?? {}) as Record<string, Day>)) {
      if (typeof day.units === 'string') continue
      const path = `days.${key}`
      const res = await NeedStatDay.updateOne(
        { _id, [`${path}.rev`]: day.rev ?? null },
        { $set: { [`${path}.rev`]: (day.rev ?? 0) + 1, [`${path}.units`]: packUnits(day.units ?? {}) } },
      )
      packed += res.modifiedCount
    }
  }
  await advanceCheckpoint(PACKED_DONE, new Date())
  return packed
}
