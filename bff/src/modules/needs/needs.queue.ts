import { openNeedStatuses } from '@linli/shared-types'
import mongoose, { Schema } from 'mongoose'
import { advanceCheckpoint, readCheckpoint } from '../../platform/checkpoints'
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
    rating: { type: Number, default: null },
    /** The need's revision this entry was made from: an older write never overwrites a newer one. */
    rev: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
// A courtyard's, a grid's, a community's, everything (admin): all open needs (one read), or those
// of one status.
for (const scope of ['communityId', 'gridId', 'courtyardId']) {
  queueSchema.index({ [scope]: 1, queueAt: 1, _id: 1 })
  queueSchema.index({ [scope]: 1, status: 1, queueAt: 1, _id: 1 })
}
queueSchema.index({ queueAt: 1, _id: 1 })
queueSchema.index({ status: 1, queueAt: 1, _id: 1 })
export const NeedQueue = mongoose.model('NeedQueue', queueSchema, 'need_queue')

const queueFields = Object.keys(queueSchema.paths).filter((k) => k !== '_id')

export const isOpenStatus = (status: string) => (openNeedStatuses as readonly string[]).includes(status)

/** The queue entry of an open need; null for a closed one (it has none). */
export function entryOf(need: NeedDoc): Record<string, unknown> | null {
  if (!isOpenStatus(need.status)) return null
  const n = need as unknown as Record<string, unknown>
  return Object.fromEntries(queueFields.map((k) => [k, n[k] ?? (k === 'rev' ? 0 : null)]))
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
    await NeedQueue.updateOne(
      { _id: need._id, rev: { $lte: entry.rev as number } },
      { $set: entry },
      { upsert: true },
    )
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

const QUEUE_DONE = 'needs-queue'

/** Databases whose queue backfill is done: it never comes undone, so it is read once per process. */
const ready = new Set<string>()

/** Whether every open need has its entry: until then the queue reads needs. */
export async function queueReady(): Promise<boolean> {
  const db = mongoose.connection.name
  if (ready.has(db)) return true
  if ((await readCheckpoint(QUEUE_DONE)) === null) return false
  ready.add(db)
  return true
}

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
