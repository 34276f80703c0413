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
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach, hasRole, scopeFilter, staffRoles } from '../../platform/policy'
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

export async function listMerchants(actor: Actor, query: PageQuery & { communityId?: string | undefined }) {
  let filter: Record<string, unknown>
  if (isStaff(actor)) filter = scopeFilter(actor)
  else if (ownMerchants(actor).length) filter = { _id: { $in: ownMerchants(actor) } }
  else filter = { communityId: actor.residency.communityId ?? query.communityId ?? null, active: true }
  if (query.communityId) filter = { ...filter, communityId: query.communityId }
  const page = await paginate(Merchant, filter, { limit: query.limit, cursor: query.cursor })
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
    throw new AppError('VALIDATION_FAILED', undefined, [{ path: ['staffUserIds'], message: '用户不存在' }])
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

/** Residents see rewards of their community open now; staff and merchants may ask for all of theirs. */
export async function listRewards(
  actor: Actor,
  query: PageQuery & {
    communityId?: string | undefined
    merchantId?: string | undefined
    all?: 'true' | 'false' | undefined
  },
) {
  const own = ownMerchants(actor)
  let filter: Record<string, unknown>
  let manager = false
  if (isStaff(actor)) {
    filter = scopeFilter(actor)
    manager = true
  } else if (own.length && (!query.merchantId || own.includes(query.merchantId))) {
    filter = { merchantId: { $in: own } }
    manager = true
  } else filter = { communityId: query.communityId ?? actor.residency.communityId ?? null }
  if (query.communityId && manager) filter = { ...filter, communityId: query.communityId }
  if (query.merchantId) filter = { ...filter, merchantId: query.merchantId }
  if (!(manager && query.all === 'true')) {
    const now = new Date()
    filter = { ...filter, active: true, validFrom: { $lte: now }, validUntil: { $gt: now } }
  }
  const page = await paginate(Reward, filter, {
    limit: query.limit,
    cursor: query.cursor,
    projection: withoutTakers,
  })
  return { items: page.items.map((r) => rewardDto(r as RewardDoc)), nextCursor: page.nextCursor }
}

export async function getReward(_actor: Actor, id: string) {
  return rewardDto(found(await Reward.findById(id, withoutTakers).lean()) as RewardDoc)
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
    throw new AppError('VALIDATION_FAILED', undefined, [
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
