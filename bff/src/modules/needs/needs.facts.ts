import { zoneDate } from '@linli/shared-types'
import type { Types } from 'mongoose'
import { advanceCheckpoint, checkpointReached, readCheckpoint } from '../../platform/checkpoints'
import { monthOf, monthsOf } from '../../platform/months'
import { type NeedDoc, NeedFact } from './need.model'
import { statKeys } from './needs.claims'

/** The compact stats document of a need: its place, day, status, category and counters. */
export function factsOf(need: NeedDoc, tz: string) {
  const stat = (need.stat ?? {}) as Partial<Record<(typeof statKeys)[number], number>>
  return {
    communityId: need.communityId,
    streetId: need.streetId ?? null,
    gridId: need.gridId ?? null,
    categoryId: need.categoryId,
    status: need.status,
    createdAt: need.createdAt,
    month: monthOf(need.createdAt),
    /** `createdAt`'s date in the community's time zone: the day sums are recomputed per day. */
    day: zoneDate(need.createdAt, tz),
    ...Object.fromEntries(statKeys.map((k) => [k, stat[k] ?? (k === 'counted' ? 1 : 0)])),
  }
}

/** Writes the need's facts in full after a write of the need; safe to repeat. Whether they changed. */
export async function saveFacts(need: NeedDoc, tz: string): Promise<boolean> {
  const res = await NeedFact.updateOne({ _id: need._id }, { $set: factsOf(need, tz) }, { upsert: true })
  return res.modifiedCount + res.upsertedCount > 0
}

const BATCH = 1000

const MONTHS_DONE = 'needs-facts-month'
const MAX_MONTHS = 36

/**
 * Gives facts written before `month` existed their month, a batch per pass, each guarded on the
 * month still missing (so safe on several instances); the checkpoint marks it done, after which a
 * pass reads only the checkpoint. Returns how many facts were given one.
 */
export async function backfillFactMonths(limit = BATCH): Promise<number> {
  if ((await readCheckpoint(MONTHS_DONE)) !== null) return 0
  const legacy = await NeedFact.find({ month: null }, { createdAt: 1 }).limit(limit).lean()
  // One update each: a 1000-statement bulk update hung the embedded engine (FerretDB v1.24).
  for (const f of legacy)
    await NeedFact.updateOne({ _id: f._id, month: null }, { $set: { month: monthOf(f.createdAt) } })
  if (legacy.length < limit) await advanceCheckpoint(MONTHS_DONE, new Date())
  return legacy.length
}

/**
 * The facts of one org unit (by `field`) created in [start, end): one equality read per UTC month
 * (FerretDB v1 pushes equalities down but applies a `createdAt` range only after decoding every fact
 * of the unit), the exact bounds applied here. By range until the month backfill is done.
 */
export async function factsIn(
  field: 'communityId' | 'gridId' | 'streetId',
  unitId: Types.ObjectId,
  start: Date,
  end: Date,
  projection: Record<string, 1>,
): Promise<Record<string, unknown>[]> {
  const fields = { ...projection, createdAt: 1 as const }
  const months = monthsOf(start, end)
  // Past a few years the unit's facts are all read either way: one read, not one per month.
  if (months.length > MAX_MONTHS || !(await checkpointReached(MONTHS_DONE)))
    return NeedFact.find({ [field]: unitId, createdAt: { $gte: start, $lt: end } }, fields).lean()
  const rows = await Promise.all(
    months.map((month) => NeedFact.find({ [field]: unitId, month }, fields).lean()),
  )
  return rows.flat().filter((f) => f.createdAt >= start && f.createdAt < end)
}
