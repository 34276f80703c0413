import { randomUUID } from 'node:crypto'
import type { Types } from 'mongoose'
import { advanceCheckpoint, readCheckpoint } from '../../platform/checkpoints'
import { isDuplicateKey } from '../../platform/http/problem'
import { Comment, Rating, Second, Topic, type TopicDoc, TopicRecount } from './deliberation.model'
import type { Counts } from './topic.mapper'

/**
 * A topic's counters (`secondCount`, `commentCount`, `ratingCount`, `ratingSum`), so a list reads one
 * page of topics and nothing per topic. A write of a 附议, comment or rating
 *   1. marks the topic due for a recount (`markRecount`),
 *   2. writes its document,
 *   3. counts the topic's documents of that kind and raises the counter to that count with `$max`.
 * The count is taken after one's own write, so whatever order concurrent writers land in, the
 * largest (the last writer's) includes them all: nothing to lose or apply twice, as an `$inc` could
 * after a crash or retry. Removals (account deletion) set the counters outright. A crash before step
 * 3 leaves the mark: the sweeper recounts topics marked longer than MARGIN_MS ago and removes the
 * mark unless a later write renewed it, so it reads only the topics due, never all of them.
 */

type Oid = Types.ObjectId | string

/** The counters that the topic's own collections give now. */
export async function countTopic(topicId: Oid) {
  const [secondCount, commentCount, ratings] = await Promise.all([
    Second.countDocuments({ topicId }),
    Comment.countDocuments({ topicId }),
    Rating.find({ topicId }, { stars: 1 }).lean(),
  ])
  return {
    secondCount,
    commentCount,
    ratingCount: ratings.length,
    ratingSum: ratings.reduce((n, r) => n + r.stars, 0),
  }
}

export type TopicCounters = Awaited<ReturnType<typeof countTopic>>

/** Step 1: the topics are due for a recount until the sweeper has done one after this moment. */
export async function markRecount(topicIds: Oid[]): Promise<void> {
  for (const _id of topicIds) {
    const renew = { $set: { at: new Date(), nonce: randomUUID() } }
    try {
      await TopicRecount.updateOne({ _id }, renew, { upsert: true })
    } catch (error) {
      // Two first marks at once: the other one created it; renew it from there.
      if (!isDuplicateKey(error)) throw error
      await TopicRecount.updateOne({ _id }, renew)
    }
  }
}

/**
 * Step 3: raises the topic's counters to counts taken after the write. A topic from before the
 * counters (any of them null) is recounted whole, so it leaves with all four.
 */
export async function raiseCounts(topic: TopicDoc, counts: Partial<TopicCounters>): Promise<void> {
  const legacy =
    topic.secondCount == null ||
    topic.commentCount == null ||
    topic.ratingCount == null ||
    topic.ratingSum == null
  await Topic.updateOne({ _id: topic._id }, { $max: legacy ? await countTopic(topic._id) : counts })
}

/** 附议 and comment counts of a page of topics: their counters, counted only where still missing. */
export async function countsOf(topics: TopicDoc[]): Promise<Map<string, Counts>> {
  const counts = await Promise.all(
    topics.map(async (t) => {
      // A count per topic, each by equality: FerretDB v1 pushes `{topicId}` down to its backend's
      // index but not `{topicId: {$in}}`, for which it reads every second and comment.
      const [seconds, comments] = await Promise.all([
        t.secondCount ?? Second.countDocuments({ topicId: t._id }),
        t.commentCount ?? Comment.countDocuments({ topicId: t._id }),
      ])
      return [String(t._id), { seconds, comments }] as const
    }),
  )
  return new Map<string, Counts>(counts)
}

/** The topic's rating count and sum: its counters, or its ratings while they are missing. */
export async function ratingOf(topic: TopicDoc): Promise<{ count: number; sum: number }> {
  if (topic.ratingCount != null && topic.ratingSum != null)
    return { count: topic.ratingCount, sum: topic.ratingSum }
  const rows = await Rating.find({ topicId: topic._id }, { stars: 1 }).lean()
  return { count: rows.length, sum: rows.reduce((n, r) => n + r.stars, 0) }
}

/** Removes a person's comments (account deletion) and sets the counters of the topics they were on. */
export async function removeCommentsOf(authorId: Oid): Promise<void> {
  const rows = await Comment.find({ authorId }, { topicId: 1 }).lean()
  const topicIds = [...new Set(rows.map((c) => String(c.topicId)))]
  await markRecount(topicIds)
  await Comment.deleteMany({ authorId })
  for (const id of topicIds) await Topic.updateOne({ _id: id }, { $set: await countTopic(id) })
}

/** How long a mark may stand before the sweeper recounts: far longer than steps 1–3 take. */
export const MARGIN_MS = 2 * 60_000
const BATCH = 200

/**
 * Recounts the topics marked before `now` minus the margin and sets their counters; removes each
 * mark unless a write renewed it meanwhile (that write's own mark brings the topic back later).
 * Returns how many topics were recounted.
 */
export async function repairTopicCounts(now: Date): Promise<number> {
  const due = await TopicRecount.find({ at: { $lt: new Date(now.getTime() - MARGIN_MS) } })
    .limit(BATCH)
    .lean()
  for (const mark of due) {
    await Topic.updateOne({ _id: mark._id }, { $set: await countTopic(mark._id) })
    await TopicRecount.deleteOne({ _id: mark._id, nonce: mark.nonce })
  }
  return due.length
}

const COUNTS_DONE = 'topic-counts'

/**
 * Gives topics written before the counters existed their counters, a batch per pass, with `$max`
 * (a concurrent write's raise stays); the checkpoint marks it done, after which a pass reads only
 * the checkpoint. Returns how many topics were counted.
 */
export async function backfillTopicCounts(limit = BATCH): Promise<number> {
  if ((await readCheckpoint(COUNTS_DONE)) !== null) return 0
  const legacy = await Topic.find({ secondCount: null }, { _id: 1 }).limit(limit).lean()
  for (const t of legacy) await Topic.updateOne({ _id: t._id }, { $max: await countTopic(t._id) })
  if (legacy.length < limit) await advanceCheckpoint(COUNTS_DONE, new Date())
  return legacy.length
}
