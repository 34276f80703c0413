import { randomUUID } from 'node:crypto'
import type {
  AwardPointsBody,
  ReviewVolunteerHoursBody,
  UpdatePointRulesBody,
  VolunteerHours,
  VolunteerHoursInput,
} from '@linli/shared-types'
import {
  capPeriods,
  type MyPoints,
  type PageQuery,
  type PointAccount,
  type PointEntry,
  type PointEventType,
  type PointRules,
  pointEventLabels,
  pointsDueToExpire,
  pointsExpiryDate,
  type Reconciliation,
  rulePoints,
} from '@linli/shared-types'
import type { z } from 'zod'
import { advanceCheckpoint, readCheckpoint } from '../../platform/checkpoints'
import { AppError, fail, found } from '../../platform/errors'
import { type DomainEvent, emitEvent } from '../../platform/events'
import { allOf } from '../../platform/filters'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Logger } from '../../platform/logger'
import { paginate } from '../../platform/pagination'
import {
  type Actor,
  assertInReach,
  communitiesInReach,
  requireVerifiedResident,
  scopeFilter,
} from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { User } from '../auth/user.model'
import { post, repairPending } from './ledger'
import {
  type HoursDoc,
  type LedgerDoc,
  LedgerEntry,
  PointBalance,
  PointCap,
  PointRulesModel,
  VolunteerHoursModel,
} from './points.model'
import { Reward } from './rewards.model'
import { communityTimezone, creditExpiry, loadRules, ruleFor } from './rules'

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
    communityId ? loadRules(communityId) : Promise.resolve(null),
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
 * is the ledger's idempotency key) and within the rule's daily and monthly caps.
 */
export async function awardForEvent(
  event: DomainEvent,
): Promise<'awarded' | 'duplicate' | 'capped' | 'none'> {
  if (await LedgerEntry.exists({ key: event.key })) return 'duplicate'
  const type = event.type as PointEventType
  const rules = await loadRules(event.communityId)
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
    // Checked unused just above; a twin racing since is caught inside post.
    fresh: true,
  })
  return created ? 'awarded' : 'duplicate'
}

// ---- volunteer hours -----------------------------------------------------------------------------

function hoursDto(h: HoursDoc & { createdAt: Date }): z.infer<typeof VolunteerHours> {
  return {
    id: String(h._id),
    userId: String(h.userId),
    communityId: String(h.communityId),
    activity: h.activity,
    date: h.date,
    hours: h.hours,
    status: h.status as 'pending',
    reviewReason: h.reviewReason ?? null,
    points: h.points ?? null,
    createdAt: h.createdAt.toISOString(),
  }
}

export async function submitHours(actor: Actor, body: z.infer<typeof VolunteerHoursInput>) {
  const residency = requireVerifiedResident(actor)
  const doc = await VolunteerHoursModel.create({
    ...body,
    userId: actor.userId,
    communityId: residency.communityId,
  })
  return hoursDto(doc.toObject() as HoursDoc & { createdAt: Date })
}

/** Staff review queue: submissions in reach, oldest first. */
export async function listHours(
  actor: Actor,
  query: PageQuery & {
    status?: 'pending' | 'approved' | 'rejected' | undefined
    communityId?: string | undefined
  },
) {
  // A requested community narrows the caller's reach; it never replaces it.
  if (query.communityId) assertInReach(actor, query.communityId)
  const filter: Record<string, unknown> = query.communityId
    ? { communityId: query.communityId }
    : { ...scopeFilter(actor) }
  if (query.status) filter.status = query.status
  const page = await paginate(VolunteerHoursModel, filter, { limit: query.limit, cursor: query.cursor })
  return {
    items: page.items.map((h) => hoursDto(h as HoursDoc & { createdAt: Date })),
    nextCursor: page.nextCursor,
  }
}

export async function reviewHours(
  actor: Actor,
  id: string,
  body: z.infer<typeof ReviewVolunteerHoursBody>,
  log?: Logger,
) {
  if (body.decision === 'reject' && !body.reason) fail('REASON_REQUIRED', '驳回须填写原因')
  const existing = found(await VolunteerHoursModel.findById(id).lean())
  assertInReach(actor, existing.communityId)
  const rules = await loadRules(existing.communityId)
  const rule = ruleFor(rules, 'volunteer.approved')
  const points =
    body.decision === 'approve' && rule?.enabled ? rulePoints('volunteer.approved', rule.points, existing) : 0
  const doc = await VolunteerHoursModel.findOneAndUpdate(
    { _id: id, status: 'pending' },
    {
      $set: {
        status: body.decision === 'approve' ? 'approved' : 'rejected',
        reviewReason: body.reason ?? null,
        reviewedBy: actor.userId,
        reviewedAt: new Date(),
        points: body.decision === 'approve' ? points : null,
      },
    },
    { new: true },
  ).lean()
  if (!doc) throw new AppError('VOLUNTEER_HOURS_REVIEWED')
  await audit(
    actor,
    body.decision === 'approve' ? 'points.volunteer.approved' : 'points.volunteer.rejected',
    { type: 'volunteerHours', id, communityId: doc.communityId, name: doc.activity, userId: doc.userId },
    {
      hours: doc.hours,
      ...(body.reason ? { reason: body.reason } : {}),
    },
  )
  if (doc.status === 'approved')
    await emitEvent(
      {
        key: `volunteer.approved:${id}`,
        type: 'volunteer.approved',
        userId: String(doc.userId),
        communityId: String(doc.communityId),
        at: new Date(),
        data: { hours: doc.hours, refId: id },
      },
      log,
    )
  return hoursDto(doc as HoursDoc & { createdAt: Date })
}

// ---- reconciliation and expiry -------------------------------------------------------------------

export async function reconcile(actor: Actor, communityId?: string): Promise<Reconciliation> {
  const reach = communitiesInReach(actor)
  if (communityId) assertInReach(actor, communityId)
  const scope = communityId ? [communityId] : reach
  return reconcileScope(scope)
}

/** balance = Σ ledger for every account of the scope, and stock = total − taken + returned per reward. */
export async function reconcileScope(scope: string[] | 'all'): Promise<Reconciliation> {
  const { Types } = await import('mongoose')
  const match = scope === 'all' ? {} : { communityId: { $in: scope.map((id) => new Types.ObjectId(id)) } }
  // FerretDB v1.24 computes only the first accumulator of a $group: one accumulator per aggregation.
  const [sums, entries, balances, rewards] = await Promise.all([
    LedgerEntry.aggregate<{ _id: { userId: unknown; account: PointAccount }; sum: number }>([
      { $match: match },
      { $group: { _id: { userId: '$userId', account: '$account' }, sum: { $sum: '$delta' } } },
    ]),
    LedgerEntry.countDocuments(match),
    PointBalance.find(match).lean(),
    Reward.find(match).lean(),
  ])
  const ledger = new Map(sums.map((s) => [`${s._id.userId}:${s._id.account}`, s.sum]))
  const differences: Reconciliation['differences'] = []
  for (const b of balances) {
    const k = `${b.userId}:${b.account}`
    const sum = ledger.get(k) ?? 0
    ledger.delete(k)
    // A balance caught mid-upsert (FerretDB inserts, then sets defaults) reads as zero, nothing pending.
    const balance = b.balance ?? 0
    const pending = b.pendingOps?.length ?? 0
    if (sum !== balance || pending)
      differences.push({
        userId: String(b.userId),
        account: b.account as PointAccount,
        balance,
        ledgerSum: sum,
        pending,
      })
  }
  for (const [k, sum] of ledger) {
    const [userId = '', account] = k.split(':')
    differences.push({ userId, account: account as PointAccount, balance: 0, ledgerSum: sum, pending: 0 })
  }
  const stockDifferences = rewards
    .map((r) => ({
      rewardId: String(r._id),
      stock: r.stock,
      expected: r.stockTotal - r.stockTakers.length + r.stockReturns.length,
    }))
    .filter((r) => r.stock !== r.expected)
  return {
    checkedAt: new Date().toISOString(),
    accounts: balances.length,
    ledgerEntries: entries,
    clean: differences.length === 0 && stockDifferences.length === 0,
    differences,
    rewards: rewards.length,
    stockDifferences,
  }
}

/** Credits written this close before a pass are looked at again by the next (writes in flight). */
const EXPIRY_MARGIN_MS = 5 * 60_000

/**
 * Expires points oldest first: per account, what expired by `now` minus everything already taken
 * out (spent or expired). One ledger entry per account per expiry cut-off (its key), so a second
 * run or a second instance expires nothing more.
 */
export async function expirePoints(now: Date): Promise<number> {
  // Real time for the checkpoint: tests pass other `now`s and write credits that expired long ago.
  const started = new Date()
  const mark = await readCheckpoint('points-expiry')
  const since = mark ?? new Date(0)
  // The accounts with a credit that expired since the last pass, or was written since then already
  // expired (an import); everything older was settled by an earlier pass.
  const due = await LedgerEntry.aggregate<{ _id: { userId: unknown; account: PointAccount } }>([
    {
      $match: {
        $or: [
          { expiresAt: { $gt: since, $lte: now } },
          { createdAt: { $gte: new Date(since.getTime() - EXPIRY_MARGIN_MS) }, expiresAt: { $lte: now } },
        ],
      },
    },
    { $group: { _id: { userId: '$userId', account: '$account' }, n: { $sum: 1 } } },
  ])
  let count = 0
  for (const { _id } of due) {
    const [credits, debits, latest, balance] = await Promise.all([
      LedgerEntry.aggregate<{ sum: number }>([
        { $match: { userId: _id.userId, account: _id.account, delta: { $gt: 0 }, expiresAt: { $lte: now } } },
        { $group: { _id: null, sum: { $sum: '$delta' } } },
      ]),
      LedgerEntry.aggregate<{ sum: number }>([
        { $match: { userId: _id.userId, account: _id.account, delta: { $lt: 0 } } },
        { $group: { _id: null, sum: { $sum: '$delta' } } },
      ]),
      LedgerEntry.findOne({
        userId: _id.userId,
        account: _id.account,
        delta: { $gt: 0 },
        expiresAt: { $lte: now },
      })
        .sort({ expiresAt: -1 })
        .lean(),
      PointBalance.findOne({ userId: _id.userId, account: _id.account }).lean(),
    ])
    if (!balance || !latest?.expiresAt) continue
    const points = pointsDueToExpire(credits[0]?.sum ?? 0, -(debits[0]?.sum ?? 0), balance.balance)
    if (points <= 0) continue
    try {
      const { created } = await post({
        key: `expire:${_id.userId}:${_id.account}:${latest.expiresAt.toISOString()}`,
        userId: String(_id.userId),
        account: _id.account,
        communityId: balance.communityId ?? null,
        delta: -points,
        reason: '积分到期',
        refType: 'expiry',
      })
      if (created) count++
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'POINTS_INSUFFICIENT')) throw error
    }
  }
  await advanceCheckpoint('points-expiry', started)
  return count
}

export { repairPending }
