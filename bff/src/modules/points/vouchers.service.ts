import {
  defaultTimezone,
  isVoucherCode,
  localDayRange,
  maskName,
  normalizeVoucherCode,
  type PageQuery,
  type VoucherPreview,
  type VoucherStatus,
  voucherRedeemBlock,
} from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, fail, found } from '../../platform/errors'
import { createLimiter } from '../../platform/http/rate-limit'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach, communitiesInReach, hasRole, staffRoles } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Merchant } from '../merchants/merchant.model'
import { notify } from '../notify/notify.service'
import { returnPointsAndStock, voucherDto } from './redemption'
import { Redemption, type RedemptionDoc, Voucher, type VoucherDoc } from './rewards.model'
import { ownMerchants } from './rewards.service'

/** Look-ups and redemptions by code, per merchant: generous for a till, hopeless for guessing 2^59 codes. */
export const CODE_ATTEMPTS_PER_MINUTE = 100
const codeLimiter = createLimiter('voucher-code', CODE_ATTEMPTS_PER_MINUTE, 60)

export async function listMyVouchers(
  actor: Actor,
  query: PageQuery & { status?: VoucherStatus | undefined },
) {
  const filter = { userId: actor.userId, ...(query.status ? { status: query.status } : {}) }
  const page = await paginate(Voucher, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  return { items: page.items.map((v) => voucherDto(v as VoucherDoc)), nextCursor: page.nextCursor }
}

export async function getMyVoucher(actor: Actor, id: string) {
  return voucherDto(found(await Voucher.findOne({ _id: id, userId: actor.userId }).lean()) as VoucherDoc)
}

/**
 * Gives back points and stock of a cancelled or expired voucher and frees its per-resident slot.
 * Each part is keyed by the redemption, so a repeat (sweeper after a crash) changes nothing.
 */
export async function settleReturn(v: VoucherDoc): Promise<void> {
  const red = await Redemption.findById(v.redemptionId).lean()
  if (red) {
    await returnPointsAndStock(
      red as RedemptionDoc,
      v.status === 'expired' ? '券过期未用，积分退回' : '取消兑换，积分退回',
    )
    await Redemption.updateOne({ _id: red._id }, { $set: { limitSlot: `released:${red._id}` } })
  }
  await Voucher.updateOne({ _id: v._id, returnedAt: null }, { $set: { returnedAt: new Date() } })
}

export async function cancelVoucher(actor: Actor, id: string) {
  const now = new Date()
  const v = await Voucher.findOneAndUpdate(
    { _id: id, userId: actor.userId, status: 'issued', expiresAt: { $gt: now } },
    { $set: { status: 'cancelled', cancelledAt: now } },
    { new: true },
  ).lean()
  if (!v) {
    const existing = found(await Voucher.findOne({ _id: id, userId: actor.userId }).lean())
    throw new AppError(
      existing.status === 'expired' || existing.expiresAt <= now
        ? 'VOUCHER_EXPIRED'
        : 'VOUCHER_NOT_CANCELLABLE',
    )
  }
  await settleReturn(v as VoucherDoc)
  return voucherDto(v as VoucherDoc)
}

/** Sweeper: issued vouchers past expiry become expired (once) and return points and stock. */
export async function expireVouchers(now: Date, staleMs = 60_000): Promise<number> {
  const due = await Voucher.find({ status: 'issued', expiresAt: { $lte: now } })
    .limit(200)
    .lean()
  let n = 0
  for (const d of due) {
    const v = await Voucher.findOneAndUpdate(
      { _id: d._id, status: 'issued' },
      { $set: { status: 'expired' } },
      { new: true },
    ).lean()
    if (!v) continue
    await settleReturn(v as VoucherDoc)
    n++
  }
  // Returns interrupted by a crash.
  const stuck = await Voucher.find({
    status: { $in: ['cancelled', 'expired'] },
    returnedAt: null,
    updatedAt: { $lt: new Date(now.getTime() - staleMs) },
  })
    .limit(200)
    .lean()
  for (const v of stuck) await settleReturn(v as VoucherDoc)
  return n + stuck.length
}

function preview(v: VoucherDoc, now = new Date()): VoucherPreview {
  const dto = voucherDto(v, now)
  return {
    id: dto.id,
    code: dto.code,
    title: dto.title,
    rewardId: dto.rewardId,
    merchantId: dto.merchantId,
    holder: maskName(v.holderName || '居民'),
    status: dto.status,
    issuedAt: dto.issuedAt,
    expiresAt: dto.expiresAt,
    redeemedAt: dto.redeemedAt,
  }
}

async function limitAndNormalize(actor: Actor, raw: string) {
  const merchants = ownMerchants(actor)
  if (!merchants.length) fail('FORBIDDEN')
  for (const m of merchants) await codeLimiter(m)
  return { merchants, code: normalizeVoucherCode(raw.startsWith('linli:v1:') ? raw.slice(9) : raw) }
}

/** A merchant sees a voucher by code only if it is one of its own; anything else is "not found". */
export async function lookupVoucher(actor: Actor, raw: string) {
  const { merchants, code } = await limitAndNormalize(actor, raw)
  if (!isVoucherCode(code)) fail('VOUCHER_NOT_FOUND')
  const v = await Voucher.findOne({ code, merchantId: { $in: merchants } }).lean()
  if (!v) fail('VOUCHER_NOT_FOUND')
  return preview(v as VoucherDoc)
}

/** Redeems once: the status guard lets exactly one of any number of concurrent attempts through. */
export async function redeemVoucher(actor: Actor, raw: string) {
  const { merchants, code } = await limitAndNormalize(actor, raw)
  if (!isVoucherCode(code)) fail('VOUCHER_NOT_FOUND')
  const now = new Date()
  const v = await Voucher.findOneAndUpdate(
    { code, merchantId: { $in: merchants }, status: 'issued', expiresAt: { $gt: now } },
    { $set: { status: 'redeemed', redeemedAt: now, redeemedBy: actor.userId } },
    { new: true },
  ).lean()
  if (!v) {
    const existing = await Voucher.findOne({ code, merchantId: { $in: merchants } }).lean()
    if (!existing) fail('VOUCHER_NOT_FOUND')
    fail(
      voucherRedeemBlock(existing!.status as VoucherStatus, existing!.expiresAt, now) ??
        'VOUCHER_ALREADY_REDEEMED',
    )
  }
  const doc = v as VoucherDoc
  await audit(
    actor,
    'voucher.redeem',
    { type: 'voucher', id: String(doc._id), communityId: doc.communityId },
    {
      merchantId: String(doc.merchantId),
      title: doc.title,
    },
  )
  await notify({
    userId: String(doc.userId),
    communityId: String(doc.communityId),
    kind: 'voucher.redeemed',
    title: '券已核销',
    body: `${doc.merchantName}：${doc.title}`,
    link: `/packages/points/voucher/index?id=${doc._id}`,
    dedupeKey: `voucher.redeemed:${doc._id}`,
  }).catch(() => undefined)
  return preview(doc, now)
}

/** Merchants see their own; staff see the merchants of their communities. */
function merchantScope(actor: Actor, merchantId?: string): Record<string, unknown> {
  const own = ownMerchants(actor)
  if (hasRole(actor, staffRoles)) {
    const reach = communitiesInReach(actor)
    return {
      ...(reach === 'all' ? {} : { communityId: { $in: reach.map((id) => new Types.ObjectId(id)) } }),
      ...(merchantId ? { merchantId: new Types.ObjectId(merchantId) } : {}),
    }
  }
  if (merchantId && !own.includes(merchantId)) fail('NOT_FOUND')
  const ids = (merchantId ? [merchantId] : own).map((id) => new Types.ObjectId(id))
  return { merchantId: { $in: ids } }
}

export async function listRedemptions(
  actor: Actor,
  query: PageQuery & { merchantId?: string | undefined; from?: string | undefined; to?: string | undefined },
) {
  const filter: Record<string, unknown> = { ...merchantScope(actor, query.merchantId), status: 'redeemed' }
  if (query.from || query.to) {
    const { start, end } = localDayRange(
      query.from ?? '2000-01-01',
      query.to ?? '2999-12-31',
      defaultTimezone,
    )
    filter.redeemedAt = { $gte: start, $lt: end }
  }
  const page = await paginate(Voucher, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  return { items: page.items.map((v) => preview(v as VoucherDoc)), nextCursor: page.nextCursor }
}

export async function redemptionReport(
  actor: Actor,
  query: { merchantId?: string | undefined; communityId?: string | undefined; from: string; to: string },
) {
  if (query.communityId) assertInReach(actor, query.communityId, [...staffRoles])
  const scope = {
    ...merchantScope(actor, query.merchantId),
    ...(query.communityId ? { communityId: new Types.ObjectId(query.communityId) } : {}),
  }
  const { start, end } = localDayRange(query.from, query.to, defaultTimezone)
  // FerretDB v1.24 computes only the first accumulator of a $group: counts and points separately.
  const byStatus = { merchantId: '$merchantId', status: '$status' }
  const inPeriod = { $match: { ...scope, createdAt: { $gte: start, $lt: end } } }
  const [counts, points, redeemed] = await Promise.all([
    Voucher.aggregate<{ _id: { merchantId: unknown; status: VoucherStatus }; n: number }>([
      inPeriod,
      { $group: { _id: byStatus, n: { $sum: 1 } } },
    ]),
    Voucher.aggregate<{ _id: { merchantId: unknown; status: VoucherStatus }; points: number }>([
      inPeriod,
      { $group: { _id: byStatus, points: { $sum: '$cost' } } },
    ]),
    Voucher.aggregate<{ _id: unknown; n: number }>([
      { $match: { ...scope, status: 'redeemed', redeemedAt: { $gte: start, $lt: end } } },
      { $group: { _id: '$merchantId', n: { $sum: 1 } } },
    ]),
  ])
  const key = (r: { _id: { merchantId: unknown; status: VoucherStatus } }) =>
    `${r._id.merchantId}:${r._id.status}`
  const pointsOf = new Map(points.map((r) => [key(r), r.points]))
  const issued = counts.map((r) => ({ ...r, points: pointsOf.get(key(r)) ?? 0 }))
  const ids = [
    ...new Set([...issued.map((r) => String(r._id.merchantId)), ...redeemed.map((r) => String(r._id))]),
  ]
  const names = new Map(
    (await Merchant.find({ _id: { $in: ids } }).lean()).map((m) => [String(m._id), m.name]),
  )
  const rows = ids.map((merchantId) => {
    const of = (s: VoucherStatus) =>
      issued.find((r) => String(r._id.merchantId) === merchantId && r._id.status === s)
    const mine = issued.filter((r) => String(r._id.merchantId) === merchantId)
    return {
      merchantId,
      merchantName: names.get(merchantId) ?? '',
      issued: mine.reduce((n, r) => n + r.n, 0),
      redeemed: redeemed.find((r) => String(r._id) === merchantId)?.n ?? 0,
      cancelled: of('cancelled')?.n ?? 0,
      expired: of('expired')?.n ?? 0,
      pointsSpent: (of('issued')?.points ?? 0) + (of('redeemed')?.points ?? 0),
    }
  })
  const sum = (k: 'issued' | 'redeemed' | 'cancelled' | 'expired' | 'pointsSpent') =>
    rows.reduce((n, r) => n + r[k], 0)
  return {
    from: query.from,
    to: query.to,
    rows,
    totals: {
      issued: sum('issued'),
      redeemed: sum('redeemed'),
      cancelled: sum('cancelled'),
      expired: sum('expired'),
      pointsSpent: sum('pointsSpent'),
    },
  }
}
