import { zoneDate } from '@linli/shared-types'
import { advanceCheckpoint, readCheckpoint } from '../../platform/checkpoints'
import { communityInfo } from '../org/org.service'
import { Need, type NeedDoc, NeedFact } from './need.model'
import { recomputeDay } from './needs.days'
import { factsOf, saveFacts } from './needs.facts'
import { entryOf, markDaysOf, NeedQueue, saveQueueEntry } from './needs.queue'

/**
 * The one write path of what is derived from a need: after every write of a need (intake,
 * transitions, the sweeper's escalation) its facts and its queue entry are rewritten in full from
 * the need just written, then, if its facts changed, the sums of its day (needs.days.ts). All are
 * idempotent; facts and entry go to different collections, so in parallel.
 */
export async function writeDerived(need: NeedDoc): Promise<void> {
  const { timezone } = await communityInfo(need.communityId)
  const [changed] = await Promise.all([saveFacts(need, timezone), saveQueueEntry(need)])
  // Facts as they were: the day's sums are too (whoever changed them last recomputed after).
  if (changed) await recomputeDay(need.communityId, zoneDate(need.createdAt, timezone))
}

const norm = (v: unknown) => (v instanceof Date ? String(v.getTime()) : String(v ?? null))
const same = (want: Record<string, unknown>, have: Record<string, unknown> | undefined) =>
  !!have && Object.entries(want).every(([k, v]) => norm(v) === norm(have[k]))

const MARGIN_MS = 5 * 60_000
const BATCH = 1000

/**
 * Rewrites derived documents that differ from their need: a crash between the need write and
 * `writeDerived`, or two writes of one need whose derived writes landed out of order. Looks only at
 * the needs updated since the checkpoint (minus a margin for writes in flight), oldest first in
 * batches: O(needs written since), not O(all). The very first pass on a database walks all of them
 * once, which also backfills the facts of older databases (the queue has its own backfill).
 */
export async function repairDerived(): Promise<number> {
  // Real time, not the sweeper's `now` (tests pass future ones to trigger deadlines).
  const started = Date.now()
  // The checkpoint's name predates the queue: the facts were the first derived documents.
  const mark = await readCheckpoint('needs-facts')
  const since = mark ? new Date(mark.getTime() - MARGIN_MS) : new Date(0)
  const needs = (await Need.find({ updatedAt: { $gte: since } })
    .sort({ updatedAt: 1 })
    .limit(BATCH)
    .lean()) as unknown as NeedDoc[]
  const ids = needs.map((n) => n._id)
  const [facts, entries] = needs.length
    ? await Promise.all([
        NeedFact.find({ _id: { $in: ids } }).lean(),
        NeedQueue.find({ _id: { $in: ids } }).lean(),
      ])
    : [[], []]
  const byId = (rows: { _id: unknown }[]) =>
    new Map(rows.map((r) => [String(r._id), r as unknown as Record<string, unknown>]))
  const storedFacts = byId(facts)
  const storedEntries = byId(entries)
  let repaired = 0
  const days = new Map<string, [NeedDoc['communityId'], string]>()
  const marks: { communityId: unknown; dueDay: string }[] = []
  for (const need of needs) {
    const id = String(need._id)
    const { timezone } = await communityInfo(need.communityId)
    const entry = entryOf(need)
    if (entry) marks.push({ communityId: need.communityId, dueDay: entry.dueDay })
    const factsOk = same(factsOf(need, timezone), storedFacts.get(id))
    const queueOk = entry ? same(entry, storedEntries.get(id)) : !storedEntries.has(id)
    const day = zoneDate(need.createdAt, timezone)
    days.set(`${need.communityId}:${day}`, [need.communityId, day])
    if (factsOk && queueOk) continue
    await Promise.all([factsOk || saveFacts(need, timezone), queueOk || saveQueueEntry(need)])
    repaired++
  }
  // A crash after the facts write loses the day's recompute, one after the entry write its day's
  // mark: the days of these needs are redone, their entries' days marked.
  for (const [communityId, day] of days.values()) await recomputeDay(communityId, day)
  await markDaysOf(marks)
  // A full batch: go on after its last need next pass (past its millisecond if the whole batch
  // shares one, so a bulk import cannot pin the checkpoint); otherwise all is checked up to now.
  const first = needs[0]?.updatedAt.getTime()
  const last = needs.at(-1)?.updatedAt.getTime()
  const to = needs.length < BATCH ? started : last === first ? last! + 1 + MARGIN_MS : last! + MARGIN_MS
  await advanceCheckpoint('needs-facts', new Date(to))
  return repaired
}
