import { evaluateTally, formatTime, type TopicDetail, type TopicResult } from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, fail } from '../../platform/errors'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { User } from '../auth/user.model'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { applyStep, claimStep, stepDone, voterToken } from './access'
import { sealUnit } from './ballots.service'
import { Ballot, Elector, Topic, type TopicDoc } from './deliberation.model'
import { toResult } from './topic.mapper'
import { detail, loadTopic, topicLink } from './topics.service'

export const RECOVER_AFTER_MS = 60_000

/** Inserts documents, ignoring the ones a unique index already holds (a re-run after a crash). */
async function insertIgnoringDuplicates(
  model: { insertMany(docs: object[], options: { ordered: boolean }): Promise<unknown> },
  docs: object[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    try {
      await model.insertMany(docs.slice(i, i + 500), { ordered: false })
    } catch (error) {
      const errs = error as { writeErrors?: { code?: number; err?: { code?: number } }[]; code?: number }
      const list = errs.writeErrors ?? []
      const allDup = list.length > 0 && list.every((e) => (e.code ?? e.err?.code) === 11000)
      if (!allDup && errs.code !== 11000) throw error
    }
  }
}

/**
 * Step 2 of opening (step 1 moved the topic to `opening`): snapshots the verified residents of the
 * scope as electors (unique per person), counts their units, then moves the topic to `voting`.
 * Idempotent, so the sweeper can finish an opening interrupted by a crash.
 */
export async function completeOpening(topicId: string): Promise<TopicDoc | null> {
  const topic = (await Topic.findOne({ _id: topicId, status: 'opening' }).lean()) as TopicDoc | null
  if (!topic?.voting) return null
  const household = topic.voting.ballotUnit === 'household'
  const users = await User.find(
    {
      'residency.status': 'verified',
      'residency.communityId': topic.communityId,
      ...(topic.courtyardId ? { 'residency.courtyardId': topic.courtyardId } : {}),
    },
    { _id: 1, 'residency.householdKey': 1 },
  ).lean()
  const electors = users.map((u) => ({
    topicId: topic._id,
    userId: u._id,
    unitKey: household && u.residency?.householdKey ? `hh:${u.residency.householdKey}` : `u:${String(u._id)}`,
  }))
  await insertIgnoringDuplicates(Elector, electors)
  // The full elector list (this run's and any earlier partial run's) defines the units.
  const units = await Elector.aggregate<{ _id: string }>([
    { $match: { topicId: topic._id } },
    { $group: { _id: '$unitKey' } },
  ])
  return (await Topic.findOneAndUpdate(
    { _id: topic._id, status: 'opening' },
    {
      $set: { status: 'voting', 'voting.eligibleUnits': units.length },
      $push: {
        history: {
          at: new Date(),
          action: 'votingOpened',
          note: `有投票资格的${household ? '户' : '居民'}：${units.length}`,
        },
      },
    },
    { new: true },
  ).lean()) as TopicDoc | null
}

/** Moves a scheduled topic to `opening` (claimed once) and completes it; by staff or by the sweeper. */
export async function startVoting(topicId: string, now: Date, early: boolean, by: string | null = null) {
  const topic = await Topic.findById(topicId).lean()
  const v = topic?.voting
  if (!topic || topic.status !== 'scheduled' || !v || v.closesAt <= now || (!early && v.opensAt > now))
    return null
  const claim = await claimStep(`open:${topicId}`, by, {
    topicId: topic._id,
    step: 'open',
    from: ['scheduled'],
    set: {
      status: 'opening',
      'voting.openedAt': now,
      ...(v.opensAt > now ? { 'voting.opensAt': now } : {}),
    },
  })
  if (!claim || !(await applyStep(claim))) return null
  return resumeOpening(claim._id, topicId)
}

/** Completes an opening and announces it (step 2), then marks its claim done. */
export async function resumeOpening(claimKey: string, topicId: string): Promise<TopicDoc | null> {
  const opened = await completeOpening(topicId)
  if (opened) await announce(opened, 'opened')
  await stepDone(claimKey)
  return opened
}

export async function openVoting(actor: Actor, id: string): Promise<TopicDetail> {
  const topic = await loadTopic(id)
  assertInReach(actor, topic.communityId)
  const now = new Date()
  if (topic.status !== 'scheduled' || !topic.voting) fail('TOPIC_STATUS_CONFLICT')
  if (topic.voting!.closesAt <= now) fail('VOTING_WINDOW_INVALID', '投票截止时间已过，请重新排期')
  const opened = await startVoting(id, now, true, actor.userId)
  if (!opened) throw new AppError('TOPIC_STATUS_CONFLICT')
  await audit(
    actor,
    'deliberation.voting.open',
    { type: 'topic', id, communityId: topic.communityId },
    {
      eligibleUnits: opened.voting?.eligibleUnits ?? 0,
    },
  )
  return detail(opened, actor)
}

/** Notifies every elector once that voting opened or that the result is out. */
async function announce(topic: TopicDoc, what: 'opened' | 'result'): Promise<void> {
  const electors = await Elector.find({ topicId: topic._id }, { userId: 1 }).lean()
  const ids = new Set(electors.map((e) => String(e.userId)))
  if (what === 'result') ids.add(String(topic.proposerId))
  const list = [...ids]
  const title = what === 'opened' ? '议题开始投票' : '议题表决结果已公布'
  const { timezone: tz } = await communityInfo(topic.communityId)
  const closes = topic.voting ? `，截止 ${formatTime(topic.voting.closesAt, { tz, style: 'calendar' })}` : ''
  const body =
    what === 'opened'
      ? `“${topic.title}”开始投票${closes}`
      : `“${topic.title}”${topic.result?.passed ? '表决通过' : '未获通过'}`
  for (let i = 0; i < list.length; i += 20)
    await Promise.all(
      list.slice(i, i + 20).map((userId) =>
        notify({
          userId,
          communityId: String(topic.communityId),
          kind: what === 'opened' ? 'deliberation.voting.opened' : 'deliberation.result',
          title,
          body,
          link: topicLink(topic._id),
          dedupeKey: `deliberation.${what}:${String(topic._id)}:${userId}`,
          subscribe: { template: `deliberation.${what}`, data: { title: topic.title } },
        }),
      ),
    )
}

/**
 * Step 2 of closing (step 1 claimed `close:<id>` and set `closing`): seals every eligible unit, so no
 * ballot can follow, then counts the seals' final choices with $group/$sum (one seal per unit by a
 * unique index: nothing can be counted twice), evaluates the pass rule and publishes. Idempotent.
 */
export async function completeClosing(topicId: string, secret: string): Promise<TopicDoc | null> {
  const topic = (await Topic.findOne({ _id: topicId, status: 'closing' }).lean()) as TopicDoc | null
  if (!topic?.voting) return null
  const tid = new Types.ObjectId(topicId)
  const units = await Elector.aggregate<{ _id: string }>([
    { $match: { topicId: tid } },
    { $group: { _id: '$unitKey' } },
  ])
  const tokens = units.map((u) => voterToken(secret, tid, u._id))
  for (let i = 0; i < tokens.length; i += 20)
    await Promise.all(tokens.slice(i, i + 20).map((t) => sealUnit(tid, t)))
  const byChoice = await Ballot.aggregate<{ _id: string; n: number }>([
    { $match: { topicId: tid, kind: 'seal', channel: { $in: ['online', 'offline'] } } },
    { $group: { _id: '$choice', n: { $sum: 1 } } },
  ])
  const byChannel = await Ballot.aggregate<{ _id: string; n: number }>([
    { $match: { topicId: tid, kind: 'seal', channel: { $in: ['online', 'offline'] } } },
    { $group: { _id: '$channel', n: { $sum: 1 } } },
  ])
  const counts = Object.fromEntries(byChoice.map((g) => [g._id, g.n]))
  const v = topic.voting
  const outcome = evaluateTally({
    options: v.options,
    counts,
    eligibleUnits: v.eligibleUnits ?? 0,
    quorumPercent: v.quorumPercent,
    threshold: v.threshold,
    countAbstentions: v.countAbstentions,
  })
  const result = {
    counts: Object.fromEntries(v.options.map((o) => [o.key, counts[o.key] ?? 0])),
    eligibleUnits: v.eligibleUnits ?? 0,
    ballots: outcome.ballots,
    onlineBallots: byChannel.find((g) => g._id === 'online')?.n ?? 0,
    offlineBallots: byChannel.find((g) => g._id === 'offline')?.n ?? 0,
    validBallots: outcome.validBallots,
    turnoutPercent: outcome.turnoutPercent,
    quorumMet: outcome.quorumMet,
    leadingOption: outcome.leadingOption,
    passed: outcome.passed,
    publishedAt: new Date(),
  }
  const status = outcome.passed ? 'passed' : 'failed'
  const note = `${outcome.passed ? '通过' : '未通过'}；投票 ${outcome.ballots}/${result.eligibleUnits}（${outcome.turnoutPercent}%）`
  const done = (await Topic.findOneAndUpdate(
    { _id: topicId, status: 'closing' },
    {
      $set: { status, result },
      $push: { history: { at: result.publishedAt, action: 'votingClosed', note } },
    },
    { new: true },
  ).lean()) as TopicDoc | null
  if (done) await announce(done, 'result')
  return done
}

/** Claims the close once (staff, or the sweeper after the window) and completes it. */
export async function finishVoting(
  topicId: string,
  secret: string,
  now: Date,
  early: boolean,
  by: string | null = null,
) {
  const topic = await Topic.findById(topicId).lean()
  if (!topic || topic.status !== 'voting' || !topic.voting) return null
  if (!early && topic.voting.closesAt > now) return null
  const claim = await claimStep(`close:${topicId}`, by, {
    topicId: topic._id,
    step: 'close',
    from: ['voting'],
    set: { status: 'closing', 'voting.closedAt': now },
  })
  if (!claim || !(await applyStep(claim))) return null
  return resumeClosing(claim._id, topicId, secret)
}

/** Completes a closing (step 2: seal, count, publish), then marks its claim done. */
export async function resumeClosing(claimKey: string, topicId: string, secret: string) {
  const closed = await completeClosing(topicId, secret)
  await stepDone(claimKey)
  return closed
}

export async function closeVoting(actor: Actor, id: string, secret: string): Promise<TopicDetail> {
  const topic = await loadTopic(id)
  assertInReach(actor, topic.communityId)
  const closed = await finishVoting(id, secret, new Date(), true, actor.userId)
  if (!closed) fail('TOPIC_STATUS_CONFLICT')
  await audit(
    actor,
    'deliberation.voting.close',
    { type: 'topic', id, communityId: topic.communityId },
    {
      passed: closed!.result?.passed ?? false,
    },
  )
  return detail(closed!, actor)
}

export async function getResult(id: string): Promise<TopicResult> {
  const result = toResult(await loadTopic(id))
  if (!result) fail('RESULT_NOT_READY')
  return result!
}

/** Opens topics whose window began, closes those whose window ended, finishes interrupted steps. */
export async function sweepVoting(secret: string, now: Date): Promise<number> {
  let handled = 0
  const stale = new Date(now.getTime() - RECOVER_AFTER_MS)
  const due = await Topic.find({ status: 'scheduled', 'voting.opensAt': { $lte: now } }, { _id: 1 })
    .limit(50)
    .lean()
  for (const t of due) if (await startVoting(String(t._id), now, false)) handled++
  const opening = await Topic.find({ status: 'opening', 'voting.openedAt': { $lt: stale } }, { _id: 1 })
    .limit(50)
    .lean()
  for (const t of opening) {
    const opened = await completeOpening(String(t._id))
    if (opened) {
      await announce(opened, 'opened')
      handled++
    }
  }
  const ending = await Topic.find({ status: 'voting', 'voting.closesAt': { $lte: now } }, { _id: 1 })
    .limit(50)
    .lean()
  for (const t of ending) if (await finishVoting(String(t._id), secret, now, false)) handled++
  const closing = await Topic.find({ status: 'closing', 'voting.closedAt': { $lt: stale } }, { _id: 1 })
    .limit(50)
    .lean()
  for (const t of closing) if (await completeClosing(String(t._id), secret)) handled++
  return handled
}
