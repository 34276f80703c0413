import { Need, type NeedDoc, NeedFact } from './need.model'
import { statKeys } from './needs.claims'

/** The compact stats document of a need: its place, day, status, category and counters. */
export function factsOf(need: NeedDoc) {
  const stat = (need.stat ?? {}) as Partial<Record<(typeof statKeys)[number], number>>
  return {
    communityId: need.communityId,
    streetId: need.streetId ?? null,
    gridId: need.gridId ?? null,
    categoryId: need.categoryId,
    status: need.status,
    createdAt: need.createdAt,
    ...Object.fromEntries(statKeys.map((k) => [k, stat[k] ?? (k === 'counted' ? 1 : 0)])),
  }
}

/** Writes the need's facts in full after a write of the need; safe to repeat. */
export async function saveFacts(need: NeedDoc): Promise<void> {
  await NeedFact.updateOne({ _id: need._id }, { $set: factsOf(need) }, { upsert: true })
}

const norm = (v: unknown) => (v instanceof Date ? String(v.getTime()) : String(v ?? null))

/** Real time up to which every need's facts were checked by this process (0: none yet). */
let checkedTo = 0
const MARGIN_MS = 5 * 60_000

/**
 * Rewrites facts that differ from their need: a crash between the need write and `saveFacts`, or
 * two writes of one need whose fact writes landed out of order. Looks at the needs updated since
 * the last check (all of them on a process's first run, which also backfills older databases).
 */
export async function repairFacts(): Promise<number> {
  const started = Date.now()
  const since = checkedTo ? new Date(checkedTo - MARGIN_MS) : new Date(0)
  const needs = (await Need.find({ updatedAt: { $gte: since } }).lean()) as unknown as NeedDoc[]
  const stored = await NeedFact.find({ _id: { $in: needs.map((n) => n._id) } }).lean()
  const byId = new Map(stored.map((f) => [String(f._id), f as Record<string, unknown>]))
  let repaired = 0
  for (const need of needs) {
    const want = factsOf(need)
    const have = byId.get(String(need._id))
    const same = have && Object.entries(want).every(([k, v]) => norm(v) === norm(have[k]))
    if (same) continue
    await saveFacts(need)
    repaired++
  }
  checkedTo = started
  return repaired
}
