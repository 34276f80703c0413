import { createHmac } from 'node:crypto'
import type { Types } from 'mongoose'
import { AppError, fail, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { type Actor, communitiesInReach, hasRole, staffRoles } from '../../platform/policy'
import { OrgUnit } from '../org/org-unit.model'
import { StepClaim, type StepClaimDoc, Topic, type TopicDoc } from './deliberation.model'

export type Participant = 'resident' | 'gridWorker' | 'staff'

const inReach = (actor: Actor, communityId: string, roles: Parameters<typeof communitiesInReach>[1]) => {
  const ids = communitiesInReach(actor, roles)
  return ids === 'all' || ids.includes(communityId)
}

export const isStaffOf = (actor: Actor, communityId: unknown): boolean =>
  inReach(actor, String(communityId), staffRoles)

/** Whether the actor is a verified resident of the community (and, if given, of the courtyard). */
export function isResidentOf(actor: Actor, communityId: unknown, courtyardId?: unknown): boolean {
  const r = actor.residency
  if (r.status !== 'verified' || r.communityId !== String(communityId)) return false
  return !courtyardId || r.courtyardId === String(courtyardId)
}

/** How the actor takes part in a community's deliberation: staff, grid worker, verified resident. */
export function participantIn(actor: Actor, communityId: unknown): Participant | null {
  const id = String(communityId)
  if (inReach(actor, id, staffRoles)) return 'staff'
  if (inReach(actor, id, ['gridWorker'])) return 'gridWorker'
  if (isResidentOf(actor, id)) return 'resident'
  return null
}

/** Refuses anyone who does not take part; a resident not yet verified is told so. */
export function requireParticipant(actor: Actor, communityId: unknown): Participant {
  const role = participantIn(actor, communityId)
  if (role) return role
  if (actor.residency.status !== 'verified' && !hasRole(actor, [...staffRoles, 'gridWorker']))
    fail('RESIDENT_NOT_VERIFIED')
  throw new AppError('FORBIDDEN')
}

/** The community a request is about: as given, else the caller's own, else the only one in reach. */
export function resolveCommunityId(actor: Actor, requested?: string): string {
  if (requested) return requested
  if (actor.residency.status === 'verified' && actor.residency.communityId) return actor.residency.communityId
  const reach = communitiesInReach(actor, [...staffRoles, 'gridWorker'])
  if (reach !== 'all' && reach.length >= 1 && reach[0]) return reach[0]
  throw new AppError('RULE_VIOLATED', undefined, [{ path: ['communityId'], message: '请选择社区' }])
}

export async function loadCommunity(id: string | Types.ObjectId) {
  return found(await OrgUnit.findOne({ _id: id, level: 'community' }).lean(), '社区不存在')
}

/**
 * The pseudonym a ballot is stored under: an HMAC of (topic, unit) keyed by a secret derived from
 * BALLOT_SECRET only (not JWT_SECRET, so rotating the token secret never orphans ballots). Without
 * that secret the ballots collection cannot be linked to a person.
 */
export function voterToken(secret: string, topicId: unknown, unitKey: string): string {
  const key = createHmac('sha256', secret).update('linli:ballot-token:v1').digest()
  return createHmac('sha256', key)
    .update(`${String(topicId)}|${unitKey}`)
    .digest('base64url')
}

/** What a one-time step decided: recorded with its claim so the sweeper can finish it after a crash. */
export interface StepDecision {
  topicId: unknown
  step: 'triage' | 'open' | 'close'
  /** The topic statuses the step applies to. */
  from: readonly string[]
  /** The topic's `$set` (dotted paths allowed). */
  set: Record<string, unknown>
  history?: { at: Date; action: string; note: string } | null
  detail?: Record<string, unknown> | null
}

export type Claim = Omit<StepClaimDoc, 'set'> & { _id: string; set: { path: string; value?: unknown }[] }

/**
 * Claims a one-time step by inserting its key, with what was decided; null if someone already took
 * it. Write the topic with `applyStep`, then mark the claim `stepDone`.
 */
export async function claimStep(
  key: string,
  by: string | null,
  decision: StepDecision,
): Promise<Claim | null> {
  try {
    const doc = await StepClaim.create({
      _id: key,
      by,
      ...decision,
      from: [...decision.from],
      set: Object.entries(decision.set).map(([path, value]) => ({ path, value })),
    })
    return doc.toObject() as unknown as Claim
  } catch (error) {
    if (isDuplicateKey(error)) return null
    throw error
  }
}

/** Writes a claimed step to its topic if the topic is still in a status the step applies to. */
export async function applyStep(claim: Claim, extra: Record<string, unknown> = {}): Promise<TopicDoc | null> {
  const $set = { ...Object.fromEntries(claim.set.map((p) => [p.path, p.value])), ...extra }
  return (await Topic.findOneAndUpdate(
    { _id: claim.topicId, status: { $in: claim.from } },
    { $set, ...(claim.history ? { $push: { history: claim.history } } : {}) },
    { new: true },
  ).lean()) as TopicDoc | null
}

export async function stepDone(key: string): Promise<void> {
  await StepClaim.updateOne({ _id: key }, { $set: { done: true } })
}
