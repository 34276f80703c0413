import {
  maskName,
  type PageQuery,
  type ProposeTopicBody,
  sourcesOf,
  stageStatuses,
  type TopicDetail,
  type TopicStage,
  type TopicStatus,
} from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, fail, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { OrgUnit } from '../org/org-unit.model'
import {
  applyStep,
  claimStep,
  isResidentOf,
  loadCommunity,
  requireParticipant,
  resolveCommunityId,
  stepDone,
} from './access'
import { Comment, Rating, Second, Topic, type TopicDoc } from './deliberation.model'
import { promoteIfReady } from './promotion'
import { settingsOf } from './rules.service'
import { countsOf, markRecount, raiseCounts, ratingOf } from './topic.counts'
import { toDetail, toSummary } from './topic.mapper'
import { pageByMonth, recordTopicMonth, topicMonthsReady } from './topic.months'

export const topicLink = (id: unknown) => `/packages/deliberation/topic/index?id=${String(id)}`

export const entry = (action: string, note = '', at = new Date()) => ({ at, action, note })

export async function loadTopic(id: string): Promise<TopicDoc> {
  return found((await Topic.findById(id).lean()) as TopicDoc | null)
}

/** A topic the caller may act on as staff: out-of-reach topics answer 404. */
export async function staffTopic(actor: Actor, id: string): Promise<TopicDoc> {
  const topic = await loadTopic(id)
  assertInReach(actor, topic.communityId)
  return topic
}

/** Turns a failed guarded update into the right error: missing → 404, wrong status → 409. */
export async function conflict(id: string): Promise<never> {
  await loadTopic(id)
  throw new AppError('TOPIC_STATUS_CONFLICT')
}

export async function proposeTopic(actor: Actor, body: ProposeTopicBody): Promise<TopicDetail> {
  const communityId = resolveCommunityId(actor, body.communityId)
  const community = await loadCommunity(communityId)
  const role = requireParticipant(actor, communityId)
  let scopeName = community.name
  let courtyardId: string | null = null
  if (body.scope.type === 'courtyard') {
    const courtyard = await OrgUnit.findOne({ _id: body.scope.courtyardId, level: 'courtyard' }).lean()
    if (!courtyard || String(courtyard.communityId) !== communityId) fail('ORG_UNIT_MISMATCH')
    if (role === 'resident' && !isResidentOf(actor, communityId, body.scope.courtyardId))
      fail('TOPIC_SCOPE_MISMATCH')
    scopeName = courtyard!.name
    courtyardId = body.scope.courtyardId
  }
  const { secondsToPromote } = await settingsOf(communityId)
  const createdAt = new Date()
  const month = await recordTopicMonth(communityId, createdAt)
  const topic = await Topic.create({
    communityId,
    createdAt,
    month,
    secondsToPromote,
    // Staff and grid workers bring topics straight to screening; residents' need 附议 first.
    promotedAt: role === 'resident' ? null : new Date(),
    title: body.title,
    description: body.description,
    photos: body.photos,
    scopeType: body.scope.type,
    courtyardId,
    scopeName,
    proposerId: actor.userId,
    proposerName: actor.nickname,
    proposerRole: role,
    history: [entry('proposed')],
    secondCount: 0,
    commentCount: 0,
    ratingCount: 0,
    ratingSum: 0,
  })
  return detail(topic.toObject() as TopicDoc, actor)
}

export async function listTopics(
  actor: Actor,
  query: PageQuery & {
    communityId?: string | undefined
    stage?: TopicStage | undefined
    status?: TopicStatus | undefined
    mine?: boolean | undefined
  },
) {
  const communityId = resolveCommunityId(actor, query.communityId)
  const statuses: TopicStatus[] = query.status
    ? [query.status]
    : query.stage
      ? [...stageStatuses[query.stage]]
      : []
  // One's own topics by proposer; the community's month by month once every topic has its month.
  const page =
    !query.mine && (await topicMonthsReady())
      ? await pageByMonth(communityId, statuses, query.limit, query.cursor)
      : await paginate(
          Topic,
          {
            communityId,
            ...(statuses.length ? { status: { $in: statuses } } : {}),
            ...(query.mine ? { proposerId: actor.userId } : {}),
          },
          { limit: query.limit, cursor: query.cursor, order: 'desc' },
        )
  const counts = await countsOf(page.items as unknown as TopicDoc[])
  return {
    items: page.items.map((t) => toSummary(t as unknown as TopicDoc, actor, counts.get(String(t._id))!)),
    nextCursor: page.nextCursor,
  }
}

/** `handedTopic`: the topic as the scope guard loaded it, if it did. */
export async function getTopic(actor: Actor, id: string, handedTopic?: TopicDoc): Promise<TopicDetail> {
  return detail(handedTopic ?? (await loadTopic(id)), actor)
}

export async function detail(topic: TopicDoc, actor: Actor): Promise<TopicDetail> {
  // Counts from the topic's counters (see topic.counts.ts); of the other collections only the
  // comments shown and the actor's own 附议 and rating, those two skipped when the counter says none
  // (a counter a crash left behind is recounted by the sweeper within minutes).
  const page = 100
  const none = (count: number | null | undefined) => count === 0
  const [comments, second, mine, counts, rating] = await Promise.all([
    Comment.find({ topicId: topic._id }).sort({ createdAt: -1, _id: -1 }).limit(page).lean(),
    none(topic.secondCount)
      ? null
      : Second.findOne({ topicId: topic._id, userId: actor.userId }, { _id: 1 }).lean(),
    none(topic.ratingCount)
      ? null
      : Rating.findOne({ topicId: topic._id, userId: actor.userId }, { stars: 1 }).lean(),
    countsOf([topic]),
    ratingOf(topic),
  ])
  return toDetail(topic, actor, {
    counts: counts.get(String(topic._id))!,
    rating,
    seconded: Boolean(second),
    myRating: mine?.stars ?? null,
    comments: comments.map((c) => {
      const mine = String(c.authorId) === actor.userId
      return {
        id: String(c._id),
        authorName: mine || c.authorRole !== 'resident' ? c.authorName : maskName(c.authorName),
        authorRole: c.authorRole,
        mine,
        body: c.body,
        createdAt: c.createdAt.toISOString(),
      }
    }),
  })
}

const secondable: TopicStatus[] = ['proposed', 'accepted']

export async function secondTopic(actor: Actor, id: string) {
  const topic = await loadTopic(id)
  if (!isResidentOf(actor, topic.communityId)) {
    if (actor.residency.status !== 'verified') fail('RESIDENT_NOT_VERIFIED')
    fail('FORBIDDEN')
  }
  if (topic.courtyardId && !isResidentOf(actor, topic.communityId, topic.courtyardId))
    fail('TOPIC_SCOPE_MISMATCH')
  if (String(topic.proposerId) === actor.userId) fail('CANNOT_SECOND_OWN_TOPIC')
  if (!secondable.includes(topic.status)) fail('TOPIC_STATUS_CONFLICT')
  await markRecount([topic._id])
  try {
    await Second.create({ topicId: topic._id, userId: actor.userId, communityId: topic.communityId })
  } catch (error) {
    if (isDuplicateKey(error)) fail('ALREADY_SECONDED')
    throw error
  }
  const secondsCount = await Second.countDocuments({ topicId: topic._id })
  await raiseCounts(topic, { secondCount: secondsCount })
  const promoted = Boolean(topic.promotedAt) || (await promoteIfReady(topic, secondsCount))
  const secondsNeeded =
    promoted || topic.status !== 'proposed' ? 0 : Math.max(0, topic.secondsToPromote - secondsCount)
  return { topicId: id, secondsCount, seconded: true, secondsNeeded, promoted }
}

export async function withdrawTopic(actor: Actor, id: string): Promise<TopicDetail> {
  const topic = await loadTopic(id)
  if (String(topic.proposerId) !== actor.userId) fail('NOT_TOPIC_PROPOSER')
  if (topic.status !== 'proposed') return conflict(id)
  const claim = await claimStep(`triage:${id}`, actor.userId, {
    topicId: topic._id,
    step: 'triage',
    from: sourcesOf('withdrawn'),
    set: { status: 'withdrawn' },
    history: entry('withdrawn'),
    detail: { decision: 'withdraw' },
  })
  if (!claim) return conflict(id)
  const updated = await applyStep(claim)
  if (!updated) return conflict(id)
  await stepDone(claim._id)
  return detail(updated, actor)
}

export async function commentOnTopic(actor: Actor, id: string, body: string) {
  const topic = await loadTopic(id)
  const role = requireParticipant(actor, topic.communityId)
  if (['withdrawn', 'merged'].includes(topic.status)) fail('TOPIC_STATUS_CONFLICT')
  await markRecount([topic._id])
  const comment = await Comment.create({
    topicId: topic._id,
    communityId: topic.communityId,
    authorId: actor.userId,
    authorName: actor.nickname,
    authorRole: role,
    body,
  })
  await raiseCounts(topic, { commentCount: await Comment.countDocuments({ topicId: topic._id }) })
  return {
    id: String(comment._id),
    authorName: actor.nickname,
    authorRole: role,
    mine: true,
    body,
    createdAt: comment.createdAt.toISOString(),
  }
}

export async function addMilestone(
  actor: Actor,
  id: string,
  body: { title: string; note?: string | undefined; progress: number },
): Promise<TopicDetail> {
  const topic = await staffTopic(actor, id)
  const now = new Date()
  const done = body.progress >= 100
  const milestone = {
    _id: new Types.ObjectId(),
    title: body.title,
    note: body.note ?? '',
    progress: body.progress,
    at: now,
  }
  const updated = await Topic.findOneAndUpdate(
    { _id: id, status: { $in: ['passed', 'implementing'] }, progress: { $lte: body.progress } },
    {
      $set: { status: done ? 'done' : 'implementing', progress: body.progress },
      $push: {
        milestones: milestone,
        history: entry(done ? 'done' : 'milestone', `${body.title}（${body.progress}%）`, now),
      },
    },
    { new: true },
  ).lean()
  if (!updated) {
    const current = await loadTopic(id)
    if (['passed', 'implementing'].includes(current.status)) fail('MILESTONE_PROGRESS_BACKWARDS')
    fail('TOPIC_STATUS_CONFLICT')
  }
  await audit(
    actor,
    'deliberation.topic.milestone',
    { type: 'topic', id, communityId: topic.communityId },
    {
      progress: body.progress,
    },
  )
  return detail(updated as TopicDoc, actor)
}

export async function rateOutcome(
  actor: Actor,
  id: string,
  body: { stars: number; comment?: string | undefined },
) {
  const topic = await loadTopic(id)
  if (!isResidentOf(actor, topic.communityId, topic.courtyardId)) {
    if (actor.residency.status !== 'verified') fail('RESIDENT_NOT_VERIFIED')
    fail('FORBIDDEN')
  }
  if (topic.status !== 'done') fail('RATING_NOT_OPEN')
  await markRecount([topic._id])
  try {
    await Rating.create({
      topicId: topic._id,
      userId: actor.userId,
      communityId: topic.communityId,
      stars: body.stars,
      comment: body.comment ?? '',
    })
  } catch (error) {
    if (isDuplicateKey(error)) fail('ALREADY_RATED')
    throw error
  }
  const ratings = await Rating.find({ topicId: topic._id }, { stars: 1 }).lean()
  const count = ratings.length
  const sum = ratings.reduce((n, r) => n + r.stars, 0)
  await raiseCounts(topic, { ratingCount: count, ratingSum: sum })
  return {
    topicId: id,
    stars: body.stars,
    count,
    average: count ? Math.round((sum / count) * 10) / 10 : null,
  }
}
