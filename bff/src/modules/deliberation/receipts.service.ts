import { createHmac } from 'node:crypto'
import type { MyVoteReceipt, VoteReceipts } from '@linli/shared-types'
import { crockford } from '../../platform/codes'
import { AppError, fail } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { participantIn, voterToken } from './access'
import { Ballot, Elector, type TopicDoc } from './deliberation.model'
import { loadTopic } from './topics.service'

/**
 * A voter's receipt code: 50 bits of an HMAC of the ballot's stored pseudonym (voterToken) under a
 * key derived from BALLOT_SECRET. It is the same for every version of the unit's ballot, so it says
 * nothing about the choice; without the secret nobody can compute it from a person or a pseudonym.
 */
export function receiptCode(secret: string, token: string): string {
  const key = createHmac('sha256', secret).update('linli:vote-receipt:v1').digest()
  const code = crockford(createHmac('sha256', key).update(token).digest(), 10)
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`
}

/** Receipts are about a community's vote: outsiders get 404, as for the topic itself. */
async function visibleTopic(actor: Actor, id: string): Promise<TopicDoc> {
  const topic = await loadTopic(id)
  if (!participantIn(actor, topic.communityId)) throw new AppError('NOT_FOUND')
  return topic
}

const published = (t: TopicDoc) => Boolean(t.result?.publishedAt)

export async function getMyVoteReceipt(actor: Actor, id: string, secret: string): Promise<MyVoteReceipt> {
  const topic = await visibleTopic(actor, id)
  const none = { topicId: id, code: null, counted: null }
  const elector = await Elector.findOne({ topicId: topic._id, userId: actor.userId }).lean()
  if (!elector) return none
  const token = voterToken(secret, topic._id, elector.unitKey)
  const [vote, seal] = await Promise.all([
    Ballot.findOne({ topicId: topic._id, voterToken: token, kind: 'vote' }, { _id: 1 }).lean(),
    published(topic)
      ? Ballot.findOne({ topicId: topic._id, voterToken: token, kind: 'seal' }, { channel: 1 }).lean()
      : null,
  ])
  if (!vote) return none
  return {
    topicId: id,
    code: receiptCode(secret, token),
    counted: published(topic) ? Boolean(seal?.channel) : null,
  }
}

/** After the close: one code per counted unit (its seal carries a channel), sorted, nothing else. */
export async function getVoteReceipts(actor: Actor, id: string, secret: string): Promise<VoteReceipts> {
  const topic = await visibleTopic(actor, id)
  if (!published(topic)) fail('RESULT_NOT_READY')
  const seals = await Ballot.find(
    { topicId: topic._id, kind: 'seal', channel: { $in: ['online', 'offline'] } },
    { voterToken: 1 },
  ).lean()
  const codes = seals.map((s) => receiptCode(secret, s.voterToken)).sort()
  return { topicId: id, codes, count: codes.length, publishedAt: topic.result!.publishedAt!.toISOString() }
}
