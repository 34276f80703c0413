import {
  type DeliberationSettings,
  maskName,
  type PageQuery,
  type ProposeTopicBody,
  type ScreenTopicBody,
  sourcesOf,
  stageStatuses,
  type TopicDetail,
  type TopicStage,
  type TopicStatus,
  type VoteOption,
  type VotingConfigInput,
} from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, fail, failField, found } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Logger } from '../../platform/logger'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { notify } from '../notify/notify.service'
import { OrgUnit } from '../org/org-unit.model'
import {
  applyStep,
  type Claim,
  claimStep,
  isResidentOf,
  loadCommunity,
  requireParticipant,
  resolveCommunityId,
  stepDone,
} from './access'
import { Comment, Day, Rating, Second, Topic, type TopicDoc } from './deliberation.model'
import { promoteIfReady } from './promotion'
import { ensureRules, settingsOf } from './rules.service'
import { type Counts, toDetail, toSummary } from './topic.mapper'
import { pageByMonth, recordTopicMonth, topicMonthsReady } from './topic.months'

export const topicLink = (id: unknown) => `/packages/deliberation/topic/index?id=${String(id)}`

const entry = (action: string, note = '', at = new Date()) => ({ at, action, note })

export async function loadTopic(id: string): Promise<TopicDoc> {
  return found((await Topic.findById(id).lean()) as TopicDoc | null)
}

/** A topic the caller may act on as staff: out-of-reach topics answer 404. */
async function staffTopic(actor: Actor, id: string): Promise<TopicDoc> {
  const topic = await loadTopic(id)
  assertInReach(actor, topic.communityId)
  return topic
}

/** Turns a failed guarded update into the right error: missing → 404, wrong status → 409. */
async function conflict(id: string): Promise<never> {
  await loadTopic(id)
  throw new AppError('TOPIC_STATUS_CONFLICT')
}

/**
 * 附议 and comment counts come from their own collections (each 附议 is a unique-indexed document),
 * never from a counter on the topic: concurrent $inc on one document is not safe on every engine.
 */
export async function countsFor(ids: Types.ObjectId[]): Promise<Map<string, Counts>> {
  // A count per topic, each by equality: FerretDB v1 pushes `{topicId}` down to its backend's index
  // but not `{topicId: {$in}}`, for which it reads every second and comment of the database.
  const counts = await Promise.all(
    ids.map(async (topicId) => {
      const [seconds, comments] = await Promise.all([
        Second.countDocuments({ topicId }),
        Comment.countDocuments({ topicId }),
      ])
      return [String(topicId), { seconds, comments }] as const
    }),
  )
  return new Map<string, Counts>(counts)
}

export async function ratingOf(topicId: Types.ObjectId): Promise<{ count: number; sum: number }> {
  const rows = await Rating.find({ topicId }, { stars: 1 }).lean()
  return { count: rows.length, sum: rows.reduce((n, r) => n + r.stars, 0) }
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
  const counts = await countsFor(page.items.map((t) => t._id))
  return {
    items: page.items.map((t) => toSummary(t as unknown as TopicDoc, actor, counts.get(String(t._id))!)),
    nextCursor: page.nextCursor,
  }
}

export async function getTopic(actor: Actor, id: string): Promise<TopicDetail> {
  return detail(await loadTopic(id), actor)
}

export async function detail(topic: TopicDoc, actor: Actor): Promise<TopicDetail> {
  // Each collection read once: the ratings give their sum and the actor's own; the comments shown
  // give their count unless there are more than a page of them.
  const page = 100
  const [comments, second, seconds, ratings] = await Promise.all([
    Comment.find({ topicId: topic._id }).sort({ createdAt: -1, _id: -1 }).limit(page).lean(),
    Second.findOne({ topicId: topic._id, userId: actor.userId }, { _id: 1 }).lean(),
    Second.countDocuments({ topicId: topic._id }),
    Rating.find({ topicId: topic._id }, { stars: 1, userId: 1 }).lean(),
  ])
  const commentCount =
    comments.length < page ? comments.length : await Comment.countDocuments({ topicId: topic._id })
  const mine = ratings.find((r) => String(r.userId) === actor.userId)
  return toDetail(topic, actor, {
    counts: { seconds, comments: commentCount },
    rating: { count: ratings.length, sum: ratings.reduce((n, r) => n + r.stars, 0) },
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
  try {
    await Second.create({ topicId: topic._id, userId: actor.userId, communityId: topic.communityId })
  } catch (error) {
    if (isDuplicateKey(error)) fail('ALREADY_SECONDED')
    throw error
  }
  const secondsCount = await Second.countDocuments({ topicId: topic._id })
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
  const comment = await Comment.create({
    topicId: topic._id,
    communityId: topic.communityId,
    authorId: actor.userId,
    authorName: actor.nickname,
    authorRole: role,
    body,
  })
  return {
    id: String(comment._id),
    authorName: actor.nickname,
    authorRole: role,
    mine: true,
    body,
    createdAt: comment.createdAt.toISOString(),
  }
}

export async function screenTopic(
  actor: Actor,
  id: string,
  body: ScreenTopicBody,
  log?: Logger,
): Promise<TopicDetail> {
  const topic = await staffTopic(actor, id)
  const now = new Date()
  let set: Record<string, unknown>
  let note = body.reason ?? ''
  if (body.decision === 'refuse') {
    if (!body.ruleId) failField('SCREEN_RULE_REQUIRED', 'ruleId')
    if (!body.reason) failField('REASON_REQUIRED', 'reason', '不予受理须填写理由')
    const rules = await ensureRules(String(topic.communityId))
    const rule = rules.exclude.find((r) => r.id === body.ruleId)
    if (!rule) fail('DELIBERATION_RULE_NOT_FOUND', '请引用本社区“不议”清单中的规则')
    set = {
      status: 'refused',
      screening: {
        decision: 'refuse',
        ruleId: rule!.id,
        ruleName: rule!.name,
        reason: body.reason,
        by: actor.userId,
        at: now,
      },
    }
    note = `依据“${rule!.name}”：${body.reason}`
  } else if (body.decision === 'merge') {
    if (!body.intoTopicId || body.intoTopicId === id) fail('MERGE_TARGET_INVALID')
    const target = await Topic.findById(body.intoTopicId).lean()
    if (
      !target ||
      String(target.communityId) !== String(topic.communityId) ||
      ['refused', 'merged', 'withdrawn'].includes(target.status)
    )
      fail('MERGE_TARGET_INVALID')
    set = {
      status: 'merged',
      mergedIntoId: body.intoTopicId,
      screening: {
        decision: 'merge',
        ruleId: null,
        ruleName: null,
        reason: body.reason ?? '',
        by: actor.userId,
        at: now,
      },
    }
    note = `合并到“${target!.title}”${body.reason ? `：${body.reason}` : ''}`
  } else {
    set = {
      status: 'accepted',
      screening: {
        decision: 'accept',
        ruleId: null,
        ruleName: null,
        reason: body.reason ?? '',
        by: actor.userId,
        at: now,
      },
    }
  }
  const to = set.status as TopicStatus
  // Screening and withdrawal each end the proposal once: whoever claims the step first wins.
  if (topic.status !== 'proposed') return conflict(id)
  const claim = await claimStep(`triage:${id}`, actor.userId, {
    topicId: topic._id,
    step: 'triage',
    from: sourcesOf(to),
    set,
    history: entry(to, note, now),
    detail: {
      decision: body.decision,
      ruleId: body.ruleId ?? null,
      reason: body.reason ?? null,
      intoTopicId: body.intoTopicId ?? null,
      note,
      actorName: actor.nickname,
    },
  })
  if (!claim) return conflict(id)
  const updated = await applyStep(claim)
  if (!updated) return conflict(id)
  await afterTriage(updated, claim, true, log)
  await stepDone(claim._id)
  return detail(updated, actor)
}

type ScreeningDetail = {
  decision: 'accept' | 'refuse' | 'merge' | 'withdraw'
  ruleId?: string | null
  reason?: string | null
  intoTopicId?: string | null
  note?: string
  actorName?: string
}

/**
 * What follows a screening once the topic is written: the merged-into topic's history line and the
 * audit entry (only by whoever wrote the topic, `applied`), then the proposer's notification and the
 * `topic.accepted` event (each at most once by its unique key, so safe to repeat). Also run by the
 * sweeper for a screening whose claimant died.
 */
export async function afterTriage(topic: TopicDoc, claim: Claim, applied: boolean, log?: Logger) {
  const d = (claim.detail ?? { decision: 'withdraw' }) as ScreeningDetail
  if (d.decision === 'withdraw') return
  const id = String(topic._id)
  const at = claim.history?.at ?? new Date()
  const note = d.note ?? ''
  if (applied) {
    if (d.decision === 'merge')
      await Topic.updateOne(
        { _id: d.intoTopicId },
        { $push: { history: entry('mergedFrom', `“${topic.title}”并入本议题`, at) } },
      )
    // The staff member who decided (also when the sweeper finishes their decision).
    const by = { userId: String(claim.by), nickname: d.actorName ?? '' } as Actor
    await audit(
      by,
      `deliberation.topic.${d.decision}`,
      { type: 'topic', id, communityId: topic.communityId },
      { ruleId: d.ruleId ?? null, reason: d.reason ?? null, intoTopicId: d.intoTopicId ?? null },
    )
  }
  const verdict = { accept: '已受理', refuse: '不予受理', merge: '已合并到其他议题' }[d.decision]
  await notify({
    userId: String(topic.proposerId),
    communityId: String(topic.communityId),
    kind: 'deliberation.screened',
    title: `您提出的议题${verdict}`,
    body: note ? `“${topic.title}”${verdict}。${note}` : `“${topic.title}”${verdict}`,
    link: topicLink(id),
    dedupeKey: `deliberation.screened:${id}`,
    subscribe: { template: 'deliberation.screened', data: { title: topic.title, result: verdict } },
  })
  if (d.decision === 'accept')
    await emitEvent(
      {
        key: `topic.accepted:${id}`,
        type: 'topic.accepted',
        userId: String(topic.proposerId),
        communityId: String(topic.communityId),
        at,
        data: { topicId: id },
      },
      log,
    )
}

const defaultOptions: VoteOption[] = [
  { key: 'yes', label: '同意', kind: 'for' },
  { key: 'no', label: '反对', kind: 'against' },
  { key: 'abstain', label: '弃权', kind: 'abstain' },
]

export function buildOptions(input: VotingConfigInput['options']): VoteOption[] {
  if (!input) return defaultOptions
  const options = input.map((o, i) => ({ key: `o${i + 1}`, label: o.label, kind: o.kind }))
  const labels = new Set(options.map((o) => o.label))
  const abstain = options.filter((o) => o.kind === 'abstain').length
  const decisive = options.length - abstain
  const forCount = options.filter((o) => o.kind === 'for').length
  if (labels.size !== options.length || abstain > 1 || decisive < 2 || forCount > 1)
    fail('VOTING_OPTIONS_INVALID')
  return options
}

const DAY_MS = 86_400_000

/**
 * The window of a topic on a day's agenda. By default online voting opens `votingOpensDaysBefore`
 * the meeting and closes at its end, so paper ballots cast at the meeting count; a window closing
 * before the meeting starts is refused (the day would decide nothing).
 */
export function votingWindow(
  input: Pick<VotingConfigInput, 'opensAt' | 'closesAt'>,
  meetingStartsAt: Date,
  settings: DeliberationSettings,
  now = new Date(),
): { opensAt: Date; closesAt: Date } {
  const closesAt = input.closesAt
    ? new Date(input.closesAt)
    : new Date(meetingStartsAt.getTime() + settings.meetingMinutes * 60_000)
  const opensAt = input.opensAt
    ? new Date(input.opensAt)
    : new Date(Math.max(now.getTime(), meetingStartsAt.getTime() - settings.votingOpensDaysBefore * DAY_MS))
  if (closesAt < meetingStartsAt)
    throw new AppError('VOTING_WINDOW_INVALID', '投票截止时间不能早于议事日会议开始时间', [
      { path: ['voting', 'closesAt'], message: '截止时间须在议事日会议开始之后' },
    ])
  if (closesAt <= opensAt || closesAt <= now)
    throw new AppError('VOTING_WINDOW_INVALID', '截止时间须晚于开始时间和当前时间', [
      { path: ['voting', 'closesAt'], message: '截止时间须晚于开始时间和当前时间' },
    ])
  return { opensAt, closesAt }
}

export async function scheduleTopic(
  actor: Actor,
  id: string,
  body: { dayId: string; voting: VotingConfigInput },
): Promise<TopicDetail> {
  const topic = await staffTopic(actor, id)
  const day = await Day.findById(body.dayId).lean()
  if (!day || String(day.communityId) !== String(topic.communityId))
    throw new AppError('NOT_FOUND', '议事日不存在')
  if (day.status === 'concluded') fail('DAY_CONCLUDED')
  const { opensAt, closesAt } = votingWindow(
    body.voting,
    day.startsAt,
    await settingsOf(String(topic.communityId)),
  )
  const voting = {
    options: buildOptions(body.voting.options),
    ballotUnit: body.voting.ballotUnit,
    opensAt,
    closesAt,
    quorumPercent: body.voting.quorumPercent,
    threshold: body.voting.threshold,
    countAbstentions: body.voting.countAbstentions,
    eligibleUnits: null,
    openedAt: null,
    closedAt: null,
  }
  const updated = await Topic.findOneAndUpdate(
    { _id: id, status: { $in: sourcesOf('scheduled') } },
    {
      $set: { status: 'scheduled', dayId: day._id, dayDate: day.date, voting },
      $push: { history: entry('scheduled', `${day.date} ${day.place}`) },
    },
    { new: true },
  ).lean()
  if (!updated) return conflict(id)
  await audit(
    actor,
    'deliberation.topic.schedule',
    { type: 'topic', id, communityId: topic.communityId },
    {
      dayId: body.dayId,
    },
  )
  return detail(updated as TopicDoc, actor)
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
  const { count, sum } = await ratingOf(topic._id)
  return {
    topicId: id,
    stars: body.stars,
    count,
    average: count ? Math.round((sum / count) * 10) / 10 : null,
  }
}
