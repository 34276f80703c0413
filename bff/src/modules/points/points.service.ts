import { randomUUID } from 'node:crypto'
import type { AwardPointsBody, UpdatePointRulesBody } from '@linli/shared-types'
import {
  capPeriods,
  type MyPoints,
  type PageQuery,
  type PointAccount,
  type PointEntry,
  type PointEventType,
  type PointRules,
  pointEventLabels,
  pointsExpiryDate,
  rulePoints,
} from '@linli/shared-types'
import type { z } from 'zod'
import { fail, found } from '../../platform/errors'
import type { DomainEvent } from '../../platform/events'
import { allOf } from '../../platform/filters'
import { isDuplicateKey } from '../../platform/http/problem'
import { type Actor, assertInReach, communitiesInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { User } from '../auth/user.model'
import { post } from './ledger'
import { type LedgerDoc, LedgerEntry, PointBalance, PointCap, PointRulesModel } from './points.model'
import { appliedRules, communityTimezone, creditExpiry, forgetRules, loadRules, ruleFor } from './rules'

const accounts: PointAccount[] = ['volunteer', 'community']

export function entryDto(e: LedgerDoc): PointEntry {
  return {
    id: String(e._id),
    account: e.account as PointAccount,
    delta: e.delta,
    reason: e.reason,
    reference: { type: e.refType, id: e.refId ?? null },
    balanceAfter: e.balanceAfter,
    expiresAt: e.expiresAt ? e.expiresAt.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
  }
}

export async function getMyPoints(actor: Actor): Promise<MyPoints> {
  const communityId = actor.residency.communityId
  const [rules, balances] = await Promise.all([
    communityId ? appliedRules(communityId) : Promise.resolve(null),
    PointBalance.find({ userId: actor.userId }).lean(),
  ])
  return {
    communityId,
    accounts: accounts.map((account) => ({
      account,
      name: rules?.accountNames[account] ?? (account === 'volunteer' ? '志愿积分' : '社区积分'),
      balance: balances.find((b) => b.account === account)?.balance ?? 0,
    })),
  }
}

/**
 * A resident's entries newest first in the order their balances changed (not by creation time: of
 * two concurrent changes the later $inc may write its entry first), keyset-paged on (order, _id).
 */
export async function listMyEntries(actor: Actor, query: PageQuery & { account?: PointAccount | undefined }) {
  const filter = { userId: actor.userId, ...(query.account ? { account: query.account } : {}) }
  let keyset = {}
  if (query.cursor) {
    // PointEntryQuery checked the pattern `<order>_<id>`.
    const [order, id] = query.cursor.split('_')
    if (!order || !id) fail('VALIDATION_FAILED', 'cursor 无效')
    keyset = { $or: [{ order: { $lt: order } }, { order, _id: { $lt: id } }] }
  }
  const rows = (await LedgerEntry.find(allOf(filter, keyset))
    .sort({ order: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean()) as LedgerDoc[]
  const items = rows.slice(0, query.limit)
  const last = items.at(-1)
  const nextCursor = rows.length > query.limit && last ? `${last.order}_${last._id}` : null
  return { items: items.map(entryDto), nextCursor }
}

/** Staff read their communities' rules; everyone else their own community's. */
export async function getRules(actor: Actor, communityId?: string): Promise<PointRules> {
  const id = communityId ?? actor.residency.communityId ?? (communitiesInReach(actor) as string[])[0]
  if (!id) fail('NOT_FOUND', '请指定社区')
  return loadRules(id!)
}

export async function updateRules(
  actor: Actor,
  communityId: string,
  body: z.infer<typeof UpdatePointRulesBody>,
): Promise<PointRules> {
  assertInReach(actor, communityId)
  const current = await loadRules(communityId)
  const rules = current.rules.map((r) => body.rules?.find((n) => n.eventType === r.eventType) ?? r)
  await PointRulesModel.updateOne(
    { communityId },
    {
      $set: {
        accountNames: body.accountNames ?? current.accountNames,
        expiryYears: body.expiryYears ?? current.expiryYears,
        rules,
      },
    },
    { upsert: true },
  )
  forgetRules(communityId)
  await audit(actor, 'points.rules.update', { type: 'community', id: communityId, communityId }, { ...body })
  return loadRules(communityId)
}

/** A resident in the staff member's reach, or 404. */
async function residentInReach(actor: Actor, userId: string) {
  const user = found(await User.findById(userId).lean())
  if (user.residency?.status !== 'verified') fail('RESIDENT_NOT_VERIFIED')
  assertInReach(actor, user.residency!.communityId)
  return user
}

export async function awardPoints(actor: Actor, body: z.infer<typeof AwardPointsBody>) {
  const user = await residentInReach(actor, body.userId)
  const communityId = user.residency!.communityId!
  const awardId = randomUUID()
  const { entry } = await post({
    key: `award:${awardId}`,
    userId: user._id,
    account: body.account,
    communityId,
    delta: body.points,
    reason: body.reason,
    refType: 'award',
    refId: awardId,
    expiresAt: await creditExpiry(communityId),
    actorId: actor.userId,
  })
  await audit(
    actor,
    'points.award',
    { type: 'user', id: body.userId, communityId, userId: body.userId },
    { account: body.account, points: body.points, reason: body.reason, entryId: String(entry._id) },
  )
  return { entry: entryDto(entry), userId: body.userId }
}

// ---- earning from domain events ------------------------------------------------------------------

/** Takes `points` from a cap counter once per event key; false when it does not fit. */
async function takeCap(id: string, key: string, points: number, cap: number | null): Promise<boolean> {
  if (cap === null) return true
  try {
    const doc = await PointCap.findOneAndUpdate(
      { _id: id, keys: { $ne: key }, total: { $lte: cap - points } },
      { $inc: { total: points }, $push: { keys: key } },
      { upsert: true, new: true },
    ).lean()
    if (doc) return true
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  const current = await PointCap.findById(id).lean()
  return !!current?.keys?.includes(key)
}

async function giveBackCap(id: string, key: string, points: number): Promise<void> {
  await PointCap.updateOne({ _id: id, keys: key }, { $inc: { total: -points }, $pull: { keys: key } })
}

/**
 * Awards the points a community rule gives for a domain event, at most once per event key (the key
 * is the ledger's idempotency key) and within the rule's daily and monthly caps. On the event's
 * `first` delivery no entry under its key can exist yet (only its handlers post under an event key),
 * so the look-up is skipped; were one there all the same, the caps (keyed) and `post` (unique key)
 * would still count it once.
 */
export async function awardForEvent(
  event: DomainEvent,
  first: boolean,
): Promise<'awarded' | 'duplicate' | 'capped' | 'none'> {
  if (!first && (await LedgerEntry.exists({ key: event.key }))) return 'duplicate'
  const type = event.type as PointEventType
  const rules = await appliedRules(event.communityId)
  const rule = ruleFor(rules, type)
  const points = rule?.enabled ? rulePoints(type, rule.points, event.data) : 0
  if (!rule || points <= 0) return 'none'
  const tz = await communityTimezone(event.communityId)
  const { day, month } = capPeriods(event.at, tz)
  const dayId = `${event.userId}:${type}:${day}`
  const monthId = `${event.userId}:${type}:${month}`
  if (!(await takeCap(dayId, event.key, points, rule.dailyCap))) return 'capped'
  if (!(await takeCap(monthId, event.key, points, rule.monthlyCap))) {
    await giveBackCap(dayId, event.key, points)
    return 'capped'
  }
  const { created } = await post({
    key: event.key,
    userId: event.userId,
    account: rule.account,
    communityId: event.communityId,
    delta: points,
    reason: pointEventLabels[type],
    refType: type,
    refId: typeof event.data?.refId === 'string' ? event.data.refId : null,
    // The rules are at hand: no second read of them for the expiry.
    expiresAt: pointsExpiryDate(event.at, tz, rules.expiryYears),
    // Checked unused just above (or first delivery); a twin racing since is caught inside post.
    fresh: true,
  })
  return created ? 'awarded' : 'duplicate'
}
