import { randomBytes, randomInt } from 'node:crypto'
import {
  evaluateTally,
  formatTime,
  type MyVote,
  type TopicDetail,
  type TopicResult,
} from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, fail } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Logger } from '../../platform/logger'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { User } from '../auth/user.model'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { applyStep, claimStep, stepDone, voterToken } from './access'
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

function votingState(topic: TopicDoc, now: Date): 'notOpen' | 'open' | 'closed' {
  if (['proposed', 'accepted', 'scheduled', 'opening'].includes(topic.status)) return 'notOpen'
  if (topic.status === 'voting' && topic.voting && now < topic.voting.closesAt) return 'open'
  return 'closed'
}

const newId = () => randomBytes(12).toString('hex')
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

type BallotRow = { seq: number; kind: string; channel?: string | null; choice?: string | null }

/** A unit's latest ballot version (vote or seal), or null. */
async function latestOf(topicId: unknown, token: string): Promise<BallotRow | null> {
  return (await Ballot.findOne({ topicId, voterToken: token }).sort({ seq: -1 }).lean()) as BallotRow | null
}

/**
 * Appends version `seq` of a unit's ballot; false if another writer took that version first (the
 * unique index on (topicId, voterToken, seq) decides, atomically on every engine).
 */
async function appendBallot(
  topicId: unknown,
  token: string,
  seq: number,
  doc: { kind: 'vote' | 'seal'; channel: 'online' | 'offline' | null; choice: string | null },
): Promise<boolean> {
  const _id = newId()
  try {
    await Ballot.create({
      _id,
      topicId,
      voterToken: token,
      seq,
      ...doc,
      slot: doc.kind === 'seal' ? `seal:${String(topicId)}:${token}` : `vote:${_id}`,
    })
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
}

const CAST_ATTEMPTS = 12

export async function castVote(
  actor: Actor,
  id: string,
  choice: string,
  secret: string,
  log?: Logger,
): Promise<MyVote> {
  const topic = await loadTopic(id)
  const now = new Date()
  const state = votingState(topic, now)
  if (state === 'notOpen') fail('VOTING_NOT_OPEN')
  if (state === 'closed') fail('VOTING_CLOSED')
  const elector = await Elector.findOne({ topicId: topic._id, userId: actor.userId }).lean()
  if (!elector || actor.residency.status !== 'verified') fail('NOT_ELIGIBLE_VOTER')
  if (!topic.voting!.options.some((o) => o.key === choice)) fail('INVALID_CHOICE')
  const token = voterToken(secret, topic._id, elector!.unitKey)
  const done = (): MyVote => ({
    topicId: id,
    ballotUnit: topic.voting!.ballotUnit,
    eligible: true,
    choice,
    channel: 'online',
    changeable: true,
  })
  for (let attempt = 0; attempt < CAST_ATTEMPTS; attempt++) {
    const latest = await latestOf(topic._id, token)
    if (latest?.kind === 'seal') fail('VOTING_CLOSED')
    if (latest?.channel === 'offline') fail('BALLOT_RECORDED_OFFLINE')
    const seq = (latest?.seq ?? 0) + 1
    if (await appendBallot(topic._id, token, seq, { kind: 'vote', channel: 'online', choice })) {
      if (seq === 1)
        await emitEvent(
          {
            key: `vote.cast:${id}:${actor.userId}`,
            type: 'vote.cast',
            userId: actor.userId,
            communityId: String(topic.communityId),
            at: now,
            data: { topicId: id },
          },
          log,
        )
      return done()
    }
    // Someone of the same unit wrote that version at the same moment; if it says the same, we agree.
    const winner = await latestOf(topic._id, token)
    if (winner?.kind === 'vote' && winner.channel === 'online' && winner.choice === choice) return done()
    await pause(5 + randomInt(25))
  }
  throw new AppError('BALLOT_BUSY')
}

export async function getMyVote(actor: Actor, id: string, secret: string): Promise<MyVote> {
  const topic = await loadTopic(id)
  const unit = topic.voting?.ballotUnit ?? 'resident'
  const elector = await Elector.findOne({ topicId: topic._id, userId: actor.userId }).lean()
  if (!elector)
    return { topicId: id, ballotUnit: unit, eligible: false, choice: null, channel: null, changeable: false }
  const token = voterToken(secret, topic._id, elector.unitKey)
  const [latest, vote] = await Promise.all([
    latestOf(topic._id, token),
    Ballot.findOne({ topicId: topic._id, voterToken: token, kind: 'vote' }).sort({ seq: -1 }).lean(),
  ])
  const channel = (vote?.channel ?? null) as 'online' | 'offline' | null
  return {
    topicId: id,
    ballotUnit: unit,
    eligible: true,
    choice: vote?.choice ?? null,
    channel,
    changeable: votingState(topic, new Date()) === 'open' && latest?.kind !== 'seal' && channel !== 'offline',
  }
}

/** Appends the unit's seal after its last version, carrying that final choice; once per unit. */
async function sealUnit(topicId: unknown, token: string): Promise<void> {
  for (;;) {
    const latest = await latestOf(topicId, token)
    if (latest?.kind === 'seal') return
    const final = latest?.kind === 'vote' ? latest : null
    try {
      await Ballot.create({
        _id: newId(),
        topicId,
        voterToken: token,
        seq: (latest?.seq ?? 0) + 1,
        kind: 'seal',
        channel: final?.channel ?? null,
        choice: final?.choice ?? null,
        slot: `seal:${String(topicId)}:${token}`,
      })
      return
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      // a late vote took that version (seal again after it), or another closer sealed it (done)
    }
  }
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

type OfflineItem = {
  userId?: string | undefined
  household?: { buildingId: string; unit: string; room: string } | undefined
  choice: string
}

export async function recordOffline(
  actor: Actor,
  id: string,
  ballots: OfflineItem[],
  secret: string,
  log?: Logger,
) {
  const topic = await loadTopic(id)
  assertInReach(actor, topic.communityId)
  const now = new Date()
  const state = votingState(topic, now)
  if (state === 'notOpen') fail('VOTING_NOT_OPEN')
  if (state === 'closed') fail('VOTING_CLOSED')
  const v = topic.voting!
  const items: { index: number; recorded: boolean; code: string | null }[] = []
  for (const [index, b] of ballots.entries()) {
    const refuse = (code: string) => items.push({ index, recorded: false, code })
    if (!v.options.some((o) => o.key === b.choice)) {
      refuse('INVALID_CHOICE')
      continue
    }
    // A resident found on the roll stands for their household on a household topic.
    const elector = b.userId
      ? await Elector.findOne({ topicId: topic._id, userId: b.userId }).lean()
      : v.ballotUnit === 'household' && b.household
        ? await Elector.findOne({
            topicId: topic._id,
            unitKey: `hh:${b.household.buildingId}:${b.household.unit}:${b.household.room}`,
          }).lean()
        : null
    if (!elector) {
      refuse('NOT_ELIGIBLE_VOTER')
      continue
    }
    const token = voterToken(secret, topic._id, elector.unitKey)
    // An offline ballot may only be a unit's first version: any online ballot (or seal) holds it.
    if (!(await appendBallot(topic._id, token, 1, { kind: 'vote', channel: 'offline', choice: b.choice }))) {
      const first = await Ballot.findOne({ topicId: topic._id, voterToken: token, seq: 1 }).lean()
      refuse(
        first?.kind === 'seal'
          ? 'VOTING_CLOSED'
          : first?.channel === 'online'
            ? 'BALLOT_CAST_ONLINE'
            : 'DUPLICATE',
      )
      continue
    }
    items.push({ index, recorded: true, code: null })
    if (v.ballotUnit === 'resident' && b.userId)
      await emitEvent(
        {
          key: `vote.cast:${id}:${b.userId}`,
          type: 'vote.cast',
          userId: b.userId,
          communityId: String(topic.communityId),
          at: now,
          data: { topicId: id, offline: true },
        },
        log,
      )
  }
  const recorded = items.filter((i) => i.recorded).length
  // Counts only: the audit log never holds who chose what.
  await audit(
    actor,
    'deliberation.ballots.offline',
    { type: 'topic', id, communityId: topic.communityId },
    {
      recorded,
      refused: items.length - recorded,
    },
  )
  return { recorded, items }
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
