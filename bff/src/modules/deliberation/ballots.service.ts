import { randomBytes, randomInt } from 'node:crypto'
import type { MyVote } from '@linli/shared-types'
import { AppError, fail } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Logger } from '../../platform/logger'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { voterToken } from './access'
import { Ballot, Elector, type TopicDoc } from './deliberation.model'
import { loadTopic } from './topics.service'

/**
 * A unit's ballot is an append-only log of versions (vote, then possibly later votes, then the seal
 * closing writes), each version unique per (topic, voter token, seq): online votes, offline paper
 * ballots and the closing seal race on that index, never on a read-then-write.
 */

export function votingState(topic: TopicDoc, now: Date): 'notOpen' | 'open' | 'closed' {
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
  /** The topic as the scope guard loaded it, if it did. */
  handedTopic?: TopicDoc,
): Promise<MyVote> {
  const topic = handedTopic ?? (await loadTopic(id))
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
    // Most casts are a unit's first: version 1 is tried before reading anything; if the unit holds
    // it (an earlier vote, an offline ballot or the seal), the next round reads its latest version.
    const latest = attempt === 0 ? null : await latestOf(topic._id, token)
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
    if (attempt === 0) continue
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
export async function sealUnit(topicId: unknown, token: string): Promise<void> {
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
