import { openNeedStatuses } from '@linli/shared-types'
import mongoose, { Schema } from 'mongoose'
import { advanceCheckpoint, checkpointReached, readCheckpoint } from '../../platform/checkpoints'
import { isDuplicateKey } from '../../platform/http/problem'
import { Need, type NeedDoc } from './need.model'

/**
 * Derived data: one small entry per open need (same `_id`) with what the handling queue filters,
 * sorts and shows, so the queue never decodes whole needs with their timelines (FerretDB v1 decodes
 * every document its pushed-down equalities leave). Written after every write of the need, removed
 * when it closes; the needs sweeper repairs what a crash left behind (needs.derived.ts).
 */
const queueSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    streetId: { type: Schema.Types.ObjectId, default: null },
    gridId: { type: Schema.Types.ObjectId, default: null },
    courtyardId: { type: Schema.Types.ObjectId, default: null },
    reporterId: { type: Schema.Types.ObjectId, default: null },
    reporterName: { type: String, default: '' },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    assigneeName: { type: String, default: null },
    no: { type: String, required: true },
    categoryId: { type: Schema.Types.ObjectId, required: true },
    categoryName: { type: String, required: true },
    title: { type: String, required: true },
    location: { type: String, default: '' },
    urgency: { type: String, required: true },
    status: { type: String, required: true },
    level: { type: String, required: true },
    timer: { type: String, default: null },
    deadlineAt: { type: Date, default: null },
    queueAt: { type: Date, required: true },
    /** The UTC day of `queueAt`: the bucket a page is read by (see `readQueue`). */
    dueDay: { type: String, required: true },
    rating: { type: Number, default: null },
    /** The need's revision this entry was made from: an older write never overwrites a newer one. */
    rev: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
// A courtyard's, a grid's, a community's, everything (admin): one day's bucket, all open needs, or
// those of one status.
for (const scope of ['communityId', 'gridId', 'courtyardId']) {
  queueSchema.index({ [scope]: 1, dueDay: 1, queueAt: 1, _id: 1 })
  queueSchema.index({ [scope]: 1, queueAt: 1, _id: 1 })
  queueSchema.index({ [scope]: 1, status: 1, queueAt: 1, _id: 1 })
}
queueSchema.index({ queueAt: 1, _id: 1 })
queueSchema.index({ status: 1, queueAt: 1, _id: 1 })
export const NeedQueue = mongoose.model('NeedQueue', queueSchema, 'need_queue')

/**
 * Per community (`_id`), the days that may hold entries: a superset (a day is marked after its first
 * entry is written, and unmarked only by `unmarkIfEmpty`), so a page reads the earliest days'
 * buckets instead of decoding every open entry of the scope.
 */
const daysSchema = new Schema(
  { _id: { type: Schema.Types.ObjectId, required: true }, days: { type: [String], default: [] } },
  { versionKey: false },
)
export const NeedQueueDays = mongoose.model('NeedQueueDays', daysSchema, 'need_queue_days')

const queueFields = Object.keys(queueSchema.paths).filter((k) => k !== '_id' && k !== 'dueDay')

export type QueueEntry = NeedDoc & { dueDay: string }

export const dueDayOf = (queueAt: Date) => queueAt.toISOString().slice(0, 10)

export const isOpenStatus = (status: string) => (openNeedStatuses as readonly string[]).includes(status)

/** The queue entry of an open need; null for a closed one (it has none). */
export function entryOf(need: NeedDoc): (Record<string, unknown> & { dueDay: string; rev: number }) | null {
  if (!isOpenStatus(need.status)) return null
  const n = need as unknown as Record<string, unknown>
  return {
    ...Object.fromEntries(queueFields.map((k) => [k, n[k] ?? null])),
    rev: need.rev ?? 0,
    dueDay: dueDayOf(need.queueAt),
  }
}

/** Marks days of a community as holding entries (idempotent). */
export async function markDays(communityId: unknown, days: string[]): Promise<void> {
  const mark = () =>
    NeedQueueDays.updateOne({ _id: communityId }, { $addToSet: { days: { $each: days } } }, { upsert: true })
  try {
    await mark()
  } catch (error) {
    // Two first marks of a community at once: the other created it.
    if (!isDuplicateKey(error)) throw error
    await mark()
  }
}

/** Marks the due day of each entry in its community: one write per community. */
export async function markDaysOf(entries: { communityId: unknown; dueDay: string }[]): Promise<void> {
  const byCommunity = new Map<string, [unknown, Set<string>]>()
  for (const { communityId, dueDay } of entries) {
    const [, days] = byCommunity.get(String(communityId)) ?? [communityId, new Set<string>()]
    byCommunity.set(String(communityId), [communityId, days.add(dueDay)])
  }
  for (const [communityId, days] of byCommunity.values()) await markDays(communityId, [...days])
}

const DAY_MS = 86_400_000

/**
 * Days this process marked. Only days before the day before yesterday are ever unmarked, so a mark
 * of a later day holds at least until yesterday (a day's margin for clocks apart): until then a
 * writer does not mark it again. An entry of an earlier day (an overdue need written) marks it
 * every time.
 */
const marked = new Set<string>()

async function markOnce(communityId: unknown, day: string): Promise<void> {
  const key = `${mongoose.connection.name}:${communityId}:${day}`
  if (marked.has(key) && day >= dueDayOf(new Date(Date.now() - DAY_MS))) return
  await markDays(communityId, [day])
  if (marked.size > 100_000) marked.clear()
  marked.add(key)
}

/**
 * Unmarks a past day whose community bucket was read empty. A writer marks after writing its
 * entry, so either its mark lands after this unmark, or its entry is seen by the second look,
 * which marks again.
 */
async function unmarkIfEmpty(communityId: unknown, day: string): Promise<void> {
  if (day >= dueDayOf(new Date(Date.now() - 2 * DAY_MS))) return
  await NeedQueueDays.updateOne({ _id: communityId }, { $pull: { days: day } })
  if (await NeedQueue.exists({ communityId, dueDay: day })) await markDays(communityId, [day])
}

/**
 * Writes the need's entry (or removes it once closed). Guarded on the revision: the write of an
 * older revision landing late matches nothing, and its upsert then collides on `_id` (ignored).
 */
export async function saveQueueEntry(need: NeedDoc): Promise<void> {
  const entry = entryOf(need)
  if (!entry) {
    await NeedQueue.deleteOne({ _id: need._id })
    return
  }
  try {
    await NeedQueue.updateOne({ _id: need._id, rev: { $lte: entry.rev } }, { $set: entry }, { upsert: true })
  } catch (error) {
    // A newer revision is there: its writer marks its day.
    if (!isDuplicateKey(error)) throw error
    return
  }
  await markOnce(need.communityId, entry.dueDay)
}

/** An equality filter of entries within one community (a scope, with a status or level). */
export type Branch = Record<string, unknown> & { communityId: string }

/**
 * The first `want` entries of a branch in queue order (by `queueAt`, then `_id`) after `after`: the
 * community's marked days in order, their buckets read a few at a time until enough are found.
 * A day's bucket holds every entry of that day, and a later day only later entries, so the whole
 * buckets read hold the first `want`. A community's first page also unmarks the empty past days it met.
 */
export async function readQueue(
  branch: Branch,
  after: { at: Date; id: string } | null,
  want: number,
): Promise<QueueEntry[]> {
  const marks = await NeedQueueDays.findById(branch.communityId).lean()
  const from = after ? dueDayOf(after.at) : ''
  const days = (marks?.days ?? []).filter((d) => d >= from).sort()
  const prune = !after && Object.keys(branch).length === 1
  const later = (e: QueueEntry) =>
    !after ||
    e.queueAt.getTime() > after.at.getTime() ||
    (e.queueAt.getTime() === after.at.getTime() && String(e._id) > after.id)
  const rows: QueueEntry[] = []
  for (let i = 0; i < days.length && rows.length < want; ) {
    // Two days first; then as many as the days read so far suggest are missing.
    const n = i ? Math.ceil((want - rows.length) / Math.max(rows.length / i, 1)) : 2
    const batch = days.slice(i, i + n)
    i += batch.length
    const buckets = await Promise.all(
      batch.map((dueDay) => NeedQueue.find({ ...branch, dueDay }).lean() as unknown as Promise<QueueEntry[]>),
    )
    for (const [k, bucket] of buckets.entries()) {
      if (prune && !bucket.length) await unmarkIfEmpty(branch.communityId, batch[k]!)
      rows.push(...bucket.filter(later))
    }
  }
  return rows
}

const QUEUE_DONE = 'needs-queue'
const DAYS_DONE = 'needs-queue-days'

/** Whether every open need has its entry: until then the queue reads needs. */
export const queueReady = () => checkpointReached(QUEUE_DONE)

/** Whether every entry has its day, marked: until then the queue reads all of a scope's entries. */
export const queueDaysReady = () => checkpointReached(DAYS_DONE)

/**
 * Gives the open needs of a database from before the queue their entries, one status at a time
 * (one write each, guarded on the revision, so safe to repeat and beside live writes), then marks
 * it done; after that a pass reads only the checkpoint. O(open needs), once.
 */
export async function backfillQueue(): Promise<number> {
  if ((await readCheckpoint(QUEUE_DONE)) !== null) return 0
  let n = 0
  for (const status of openNeedStatuses) {
    const needs = (await Need.find({ status }, { timeline: 0, description: 0 }).lean()) as NeedDoc[]
    for (const need of needs) await saveQueueEntry(need)
    n += needs.length
  }
  await advanceCheckpoint(QUEUE_DONE, new Date())
  return n
}

/**
 * Gives the entries from before the days theirs (guarded on the revision: a newer write set its
 * own), marks those days, then marks it done. O(open needs), once, after the queue's own backfill.
 */
export async function backfillQueueDays(): Promise<number> {
  if ((await readCheckpoint(DAYS_DONE)) !== null || (await readCheckpoint(QUEUE_DONE)) === null) return 0
  const entries = await NeedQueue.find({}, { communityId: 1, queueAt: 1, rev: 1 })
    .sort({ queueAt: 1, _id: 1 })
    .lean()
  const dated = entries.map((e) => ({ ...e, dueDay: dueDayOf(e.queueAt) }))
  for (const e of dated) await NeedQueue.updateOne({ _id: e._id, rev: e.rev }, { $set: { dueDay: e.dueDay } })
  await markDaysOf(dated)
  await advanceCheckpoint(DAYS_DONE, new Date())
  return entries.length
}
