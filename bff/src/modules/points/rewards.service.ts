import type {
  CreateMerchantBody,
  CreateRewardBody,
  MerchantDto,
  PageQuery,
  PointAccount,
  RewardDto,
  UpdateRewardBody,
} from '@linli/shared-types'
import type { z } from 'zod'
import { AppError, fail, found } from '../../platform/errors'
import { allOf } from '../../platform/filters'
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import {
  type Actor,
  assertInReach,
  communitiesInReach,
  hasRole,
  reaches,
  scopeFilter,
  staffRoles,
} from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Membership } from '../auth/membership.model'
import { User } from '../auth/user.model'
import { Merchant, type MerchantDoc } from '../merchants/merchant.model'
import { Reward, type RewardDoc } from './rewards.model'

/** Merchant ids the actor works for (its `merchant` memberships). */
export const ownMerchants = (actor: Actor): string[] =>
  actor.memberships.filter((m) => m.role === 'merchant' && m.scopeId).map((m) => m.scopeId as string)

const isStaff = (actor: Actor) => hasRole(actor, staffRoles)

function merchantDto(m: MerchantDoc & { createdAt: Date }): MerchantDto {
  return {
    id: String(m._id),
    communityId: String(m.communityId),
    name: m.name,
    address: m.address ?? '',
    phone: m.phone ?? '',
    description: m.description ?? '',
    active: m.active ?? true,
    staffCount: m.staffUserIds?.length ?? 0,
    createdAt: m.createdAt.toISOString(),
  }
}

/** Active merchants are a public catalogue; inactive ones only reach their own staff and community staff. */
export async function listMerchants(actor: Actor, query: PageQuery & { communityId?: string | undefined }) {
  const own = ownMerchants(actor)
  const reach = communitiesInReach(actor)
  const where: Record<string, unknown>[] = []
  if (query.communityId) where.push({ communityId: query.communityId })
  else if (isStaff(actor)) where.push(scopeFilter(actor))
  else if (own.length) where.push({ _id: { $in: own } })
  else where.push({ communityId: actor.residency.communityId ?? null })
  const managed: Record<string, unknown>[] = [{ active: { $ne: false } }, { _id: { $in: own } }]
  if (reach === 'all') managed.push({})
  else if (reach.length) managed.push({ communityId: { $in: reach } })
  where.push({ $or: managed })
  const page = await paginate(Merchant, { $and: where }, { limit: query.limit, cursor: query.cursor })
  return {
    items: page.items.map((m) => merchantDto(m as MerchantDoc & { createdAt: Date })),
    nextCursor: page.nextCursor,
  }
}

/** Staff onboard a merchant and its staff accounts (each gets the `merchant` role scoped to it). */
export async function createMerchant(actor: Actor, body: z.infer<typeof CreateMerchantBody>) {
  assertInReach(actor, body.communityId)
  const staffIds = [...new Set(body.staffUserIds ?? [])]
  if (staffIds.length && (await User.countDocuments({ _id: { $in: staffIds } })) !== staffIds.length)
    throw new AppError('RULE_VIOLATED', undefined, [{ path: ['staffUserIds'], message: '用户不存在' }])
  let merchant: MerchantDoc & { createdAt: Date }
  try {
    merchant = (
      await Merchant.create({
        communityId: body.communityId,
        name: body.name,
        address: body.address ?? '',
        phone: body.phone ?? '',
        description: body.description ?? '',
        staffUserIds: staffIds,
        createdBy: actor.userId,
      })
    ).toObject() as MerchantDoc & { createdAt: Date }
  } catch (error) {
    if (isDuplicateKey(error)) fail('DUPLICATE', '该社区已有同名商户')
    throw error
  }
  for (const userId of staffIds)
    await Membership.updateOne(
      { userId, role: 'merchant', scopeId: merchant!._id },
      { $setOnInsert: { scopeType: 'merchant', scopeName: merchant!.name } },
      { upsert: true },
    )
  await audit(
    actor,
    'merchant.create',
    { type: 'merchant', id: String(merchant!._id), communityId: body.communityId },
    { name: body.name, staffUserIds: staffIds },
  )
  return merchantDto(merchant!)
}

/**
 * Staff add a clerk to a merchant of their community: a verified resident of that community (found
 * with the people picker) gets the `merchant` role scoped to it. Adding a clerk twice changes nothing.
 */
export async function addMerchantStaff(actor: Actor, id: string, userId: string) {
  const merchant = found(await Merchant.findById(id).lean())
  const user = await User.findById(userId, { residency: 1 }).lean()
  if (
    !user ||
    user.residency?.status !== 'verified' ||
    String(user.residency.communityId) !== String(merchant.communityId)
  )
    throw new AppError('NOT_FOUND', '该居民不存在或未在本社区认证')
  await Merchant.updateOne({ _id: merchant._id }, { $addToSet: { staffUserIds: user._id } })
  await Membership.updateOne(
    { userId: user._id, role: 'merchant', scopeId: merchant._id },
    { $setOnInsert: { scopeType: 'merchant', scopeName: merchant.name } },
    { upsert: true },
  )
  await audit(
    actor,
    'merchant.staff.add',
    { type: 'merchant', id, communityId: merchant.communityId },
    { userId },
  )
  return merchantDto(found(await Merchant.findById(id).lean()) as MerchantDoc & { createdAt: Date })
}

export function rewardDto(r: RewardDoc): RewardDto {
  return {
    id: String(r._id),
    communityId: String(r.communityId),
    merchantId: String(r.merchantId),
    merchantName: r.merchantName,
    title: r.title,
    description: r.description ?? '',
    imageUrl: r.imageUrl ?? null,
    cost: r.cost,
    account: r.account as PointAccount,
    stock: r.stock,
    perResidentLimit: r.perResidentLimit,
    validFrom: r.validFrom.toISOString(),
    validUntil: r.validUntil.toISOString(),
    voucherDays: r.voucherDays,
    active: r.active ?? true,
    createdAt: r.createdAt.toISOString(),
  }
}

/** The redemption ids kept on a reward for its stock bookkeeping grow with use; lists never need them. */
const withoutTakers = { stockTakers: 0, stockReturns: 0 } as const

/**
 * What the actor manages, as a filter: its own merchants' records and its staff reach's; null when
 * nothing. Only these may be listed beyond the public catalogue (active, current rewards).
 */
function managedFilter(actor: Actor): Record<string, unknown> | null {
  const own = ownMerchants(actor)
  const reach = communitiesInReach(actor)
  if (reach === 'all') return {}
  const or: Record<string, unknown>[] = []
  if (own.length) or.push({ merchantId: { $in: own } })
  if (reach.length) or.push({ communityId: { $in: reach } })
  return or.length ? { $or: or } : null
}

const canManage = (actor: Actor, r: { merchantId: unknown; communityId: unknown }) =>
  ownMerchants(actor).includes(String(r.merchantId)) || reaches(actor, r.communityId, 'staff')

/**
 * The public catalogue is every community's active rewards open now (residents see their own
 * community's by default); with `all=true` a manager also gets the inactive and out-of-date ones of
 * what it manages, never anyone else's.
 */
export async function listRewards(
  actor: Actor,
  query: PageQuery & {
    communityId?: string | undefined
    merchantId?: string | undefined
    all?: 'true' | 'false' | undefined
  },
) {
  const managed = managedFilter(actor)
  const now = new Date()
  const open = { active: true, validFrom: { $lte: now }, validUntil: { $gt: now } }
  const where: Record<string, unknown>[] = []
  if (query.communityId) where.push({ communityId: query.communityId })
  else if (managed) where.push(managed)
  else where.push({ communityId: actor.residency.communityId ?? null })
  if (query.merchantId) where.push({ merchantId: query.merchantId })
  where.push(query.all === 'true' && managed ? { $or: [open, managed] } : open)
  const page = await paginate(Reward, allOf(...where), {
    limit: query.limit,
    cursor: query.cursor,
    projection: withoutTakers,
  })
  return { items: page.items.map((r) => rewardDto(r as RewardDoc)), nextCursor: page.nextCursor }
}

/** An active reward is public; an inactive one only reaches its merchant and its community's staff. */
export async function getReward(actor: Actor, id: string) {
  const reward = found(await Reward.findById(id, withoutTakers).lean()) as RewardDoc
  if (reward.active === false && !canManage(actor, reward)) throw new AppError('NOT_FOUND')
  return rewardDto(reward)
}

/** Staff manage rewards of merchants in their reach; a merchant manages its own. */
async function manageableMerchant(actor: Actor, merchantId: string) {
  const merchant = found(await Merchant.findById(merchantId).lean())
  if (ownMerchants(actor).includes(merchantId)) return merchant
  assertInReach(actor, merchant.communityId)
  return merchant
}

export async function createReward(actor: Actor, body: z.infer<typeof CreateRewardBody>) {
  const merchant = await manageableMerchant(actor, body.merchantId)
  const reward = await Reward.create({
    ...body,
    communityId: merchant.communityId,
    merchantName: merchant.name,
    stockTotal: body.stock,
    validFrom: new Date(body.validFrom),
    validUntil: new Date(body.validUntil),
  })
  await audit(
    actor,
    'reward.create',
    { type: 'reward', id: String(reward._id), communityId: merchant.communityId },
    { title: body.title, cost: body.cost, stock: body.stock },
  )
  return rewardDto(reward.toObject() as RewardDoc)
}

export async function updateReward(actor: Actor, id: string, body: z.infer<typeof UpdateRewardBody>) {
  const existing = found(await Reward.findById(id).lean())
  await manageableMerchant(actor, String(existing.merchantId))
  const { addStock, validFrom, validUntil, ...rest } = body
  const from = validFrom ? new Date(validFrom) : existing.validFrom
  const until = validUntil ? new Date(validUntil) : existing.validUntil
  if (from >= until)
    throw new AppError('RULE_VIOLATED', undefined, [
      { path: ['validUntil'], message: '结束时间须晚于开始时间' },
    ])
  const set: Record<string, unknown> = { ...rest, validFrom: from, validUntil: until }
  const filter: Record<string, unknown> = { _id: id }
  const update: Record<string, unknown> = { $set: set }
  if (addStock) {
    if (addStock < 0) filter.stock = { $gte: -addStock }
    update.$inc = { stock: addStock, stockTotal: addStock }
  }
  const reward = await Reward.findOneAndUpdate(filter, update, { new: true }).lean()
  if (!reward) fail('STOCK_NEGATIVE')
  await audit(actor, 'reward.update', { type: 'reward', id, communityId: existing.communityId }, { ...body })
  return rewardDto(reward as RewardDoc)
}
