import type { TopicStatus } from '@linli/shared-types'
import type { Types } from 'mongoose'
import { advanceCheckpoint, checkpointReached, readCheckpoint } from '../../platform/checkpoints'
import { isDuplicateKey } from '../../platform/http/problem'
import { monthOf } from '../../platform/months'
import { decodeCursor, encodeCursor } from '../../platform/pagination'
import { Topic, type TopicDoc, TopicMonth } from './deliberation.model'

/**
 * Records that the community has topics in `at`'s month; call before writing the topic (a crash in
 * between leaves only an empty month, which a list skips). Returns the month.
 */
export async function recordTopicMonth(communityId: unknown, at: Date): Promise<string> {
  const month = monthOf(at)
  try {
    await TopicMonth.updateOne(
      { _id: `${String(communityId)}:${month}` },
      { $setOnInsert: { communityId, month } },
      { upsert: true },
    )
  } catch (error) {
    // Two first topics of a month at once: the other one recorded it.
    if (!isDuplicateKey(error)) throw error
  }
  return month
}

const MONTHS_DONE = 'topics-month'
/** Whether every topic has its month: until then the list reads by range. */
export const topicMonthsReady = () => checkpointReached(MONTHS_DONE)

/**
 * Gives topics written before `month` existed their month (the directory entry first), a batch per
 * pass, guarded on the month still missing; the checkpoint marks it done, after which a pass reads
 * only the checkpoint. Returns how many topics were given one.
 */
export async function backfillTopicMonths(limit = 500): Promise<number> {
  if ((await readCheckpoint(MONTHS_DONE)) !== null) return 0
  const legacy = await Topic.find({ month: null }, { communityId: 1, createdAt: 1 }).limit(limit).lean()
  for (const t of legacy) {
    const month = await recordTopicMonth(t.communityId, t.createdAt)
    await Topic.updateOne({ _id: t._id, month: null }, { $set: { month } })
  }
  if (legacy.length < limit) await advanceCheckpoint(MONTHS_DONE, new Date())
  return legacy.length
}

/** What a list item does not show: left out of the reads (less for the engine to encode and send). */
const notListed = { description: 0, photos: 0, history: 0, milestones: 0, screening: 0, result: 0 }

const newerFirst = (a: TopicDoc, b: TopicDoc) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (String(a._id) < String(b._id) ? 1 : -1)

/**
 * A page of a community's topics, newest first by (createdAt, _id), read one month at a time from
 * the cursor's month back through the months the community has topics in (one equality each, with
 * the status when there is one), filtered and ordered here.
 */
export async function pageByMonth(
  communityId: Types.ObjectId | string,
  statuses: TopicStatus[],
  limit: number,
  cursor: string | undefined,
): Promise<{ items: TopicDoc[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor) : null
  const directory = await TopicMonth.find({ communityId }, { month: 1 }).lean()
  const months = directory
    .map((d) => d.month)
    .filter((m) => !after || m <= monthOf(after.at))
    .sort()
    .reverse()
  const wanted = (t: TopicDoc) =>
    (!statuses.length || statuses.includes(t.status)) &&
    (!after ||
      t.createdAt < after.at ||
      (t.createdAt.getTime() === after.at.getTime() && String(t._id) < after.id))
  const read = (month: string) =>
    Topic.find(
      { communityId, month, ...(statuses.length === 1 ? { status: statuses[0] } : {}) },
      notListed,
    ).lean() as unknown as Promise<TopicDoc[]>
  const rows: TopicDoc[] = []
  // Two months at a time: a page is usually one or two months of a busy community.
  for (let i = 0; i < months.length && rows.length <= limit; i += 2) {
    const batch = await Promise.all(months.slice(i, i + 2).map(read))
    for (const list of batch) rows.push(...list.filter(wanted).sort(newerFirst))
  }
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last._id) : null,
  }
}
