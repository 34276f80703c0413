import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type ErrorCode,
  generateVoucherCode,
  type PointAccount,
  type VoucherDto,
  voucherExpiry,
  voucherQrPayload,
} from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { type Actor, requireVerifiedResident } from '../../platform/policy'
import { User } from '../auth/user.model'
import { fault, SimulatedCrash } from './faults'
import { post, repairPending } from './ledger'
import { LedgerEntry, PointBalance } from './points.model'
import {
  Redemption,
  type RedemptionDoc,
  Reward,
  type RewardDoc,
  Voucher,
  type VoucherDoc,
} from './rewards.model'
import { communityTimezone, creditExpiry } from './rules'

/** Redemptions not final after this long are finished or undone by the sweeper. */
export const REDEMPTION_STALE_MS = 60_000

export function voucherDto(v: VoucherDoc, now = new Date()): VoucherDto {
  const lapsed = v.status === 'issued' && v.expiresAt <= now
  return {
    id: String(v._id),
    code: v.code,
    qrPayload: voucherQrPayload(v.code),
    rewardId: String(v.rewardId),
    merchantId: String(v.merchantId),
    merchantName: v.merchantName,
    title: v.title,
    cost: v.cost,
    account: v.account as PointAccount,
    status: lapsed ? 'expired' : (v.status as VoucherDto['status']),
    issuedAt: v.createdAt.toISOString(),
    expiresAt: v.expiresAt.toISOString(),
    redeemedAt: v.redeemedAt ? v.redeemedAt.toISOString() : null,
    cancelledAt: v.cancelledAt ? v.cancelledAt.toISOString() : null,
  }
}

const chargeKey = (rid: unknown) => `redeem:${rid}`
const refundKey = (rid: unknown) => `refund:${rid}`

/**
 * Redeems a reward as a recoverable saga:
 *   1. record the intent (redemption `started`; its unique limit slot enforces the per-resident limit,
 *      its unique request key ties a retried Idempotency-Key to it);
 *   2. deduct the points (guarded $inc + ledger entry keyed `redeem:<id>`) → `charged`;
 *   3. take one unit of stock (guarded $inc, the id pushed to `stockTakers`) → `stocked`;
 *   4. issue the voucher (random code, unique; unique per redemption) → `completed`.
 * A refusal or error undoes what was done (refund keyed `refund:<id>`, stock back once, slot freed)
 * → `undone`. A crash leaves the intent for `recoverRedemptions` to finish or undo.
 */
export async function redeemReward(
  actor: Actor,
  rewardId: string,
  idempotencyKey?: string,
  /** The reward (without its taker lists) as the scope guard loaded it, if it did. */
  handedReward?: RewardDoc,
): Promise<VoucherDto> {
  const residency = requireVerifiedResident(actor)
  const requestKey = idempotencyKey ? `${actor.userId}:${idempotencyKey}` : null
  // The reward (without its taker lists), the resident's redemptions of it and balances, at once.
  const [rewardDoc, mine, balances] = await Promise.all([
    handedReward ?? Reward.findById(rewardId, { stockTakers: 0, stockReturns: 0 }).lean(),
    Types.ObjectId.isValid(rewardId)
      ? Redemption.find({ userId: actor.userId, rewardId }, { requestKey: 1, limitSlot: 1 }).lean()
      : [],
    PointBalance.find({ userId: actor.userId }, { account: 1, balance: 1 }).lean(),
  ])
  const reward = found(rewardDoc) as RewardDoc
  if (String(reward.communityId) !== residency.communityId) throw new AppError('NOT_FOUND')
  const now = new Date()
  if (!reward.active || reward.validFrom > now || reward.validUntil <= now)
    throw new AppError('REWARD_UNAVAILABLE')
  if (requestKey) {
    const previous = mine.find((r) => r.requestKey === requestKey)
    if (previous) return outcomeOf(previous._id)
  }
  if (reward.stock < 1) throw new AppError('REWARD_OUT_OF_STOCK')
  const balance = balances.find((b) => b.account === reward.account)
  if ((balance?.balance ?? 0) < reward.cost) throw new AppError('POINTS_INSUFFICIENT')

  // 1. intent, in the first limit slot not held by an earlier redemption (a race for the same slot
  // is settled by its unique index: the loser tries the next one)
  const held = new Set(mine.map((r) => r.limitSlot))
  const rid = new Types.ObjectId()
  let red: RedemptionDoc | null = null
  for (let n = 1; n <= reward.perResidentLimit && !red; n++) {
    if (held.has(`${reward._id}:${actor.userId}:${n}`)) continue
    try {
      red = (
        await Redemption.create({
          _id: rid,
          userId: actor.userId,
          communityId: reward.communityId,
          rewardId: reward._id,
          merchantId: reward.merchantId,
          account: reward.account,
          cost: reward.cost,
          limitSlot: `${reward._id}:${actor.userId}:${n}`,
          requestKey: requestKey ?? String(rid),
        })
      ).toObject() as RedemptionDoc
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      if (requestKey) {
        const twin = await Redemption.findOne({ requestKey }).lean()
        if (twin) return outcomeOf(twin._id)
      }
    }
  }
  if (!red) throw new AppError('REDEEM_LIMIT_REACHED')
  try {
    fault('afterIntent')
    return voucherDto(await forward(red, reward, actor.nickname))
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error
    const code: ErrorCode = error instanceof AppError ? error.code : 'REDEMPTION_FAILED'
    await undo(rid, code)
    throw error instanceof AppError ? error : new AppError('REDEMPTION_FAILED')
  }
}

/** Moves the saga one state on; false if someone else moved it (then it must not go on here). */
async function move(rid: unknown, from: string, to: string): Promise<void> {
  const res = await Redemption.updateOne({ _id: rid, state: from }, { $set: { state: to } })
  if (res.modifiedCount) return
  const current = await Redemption.findById(rid).lean()
  const order = ['started', 'charged', 'stocked', 'completed']
  if (!current || order.indexOf(current.state) < order.indexOf(to)) throw new AppError('REDEMPTION_FAILED')
}

/**
 * Runs the remaining steps; every step is idempotent, so a resumed saga repeats none. `holderName`
 * is given by a request running its own fresh redemption (nothing of it can exist yet beyond its
 * intent); a resumed one reads what it needs.
 */
async function forward(red: RedemptionDoc, reward: RewardDoc, holderName?: string): Promise<VoucherDoc> {
  const rid = red._id
  const fresh = holderName !== undefined
  if (red.state === 'started') {
    await post({
      fresh,
      key: chargeKey(rid),
      userId: red.userId,
      account: red.account as PointAccount,
      communityId: red.communityId,
      delta: -red.cost,
      reason: `兑换：${reward.title}`,
      refType: 'redemption',
      refId: String(rid),
    })
    fault('afterCharge')
    // No `charged` step of its own: a `started` redemption with its charge in the ledger resumes
    // the same way (the charge re-runs as a no-op).
  }
  if (red.state === 'started' || red.state === 'charged') {
    const took = await Reward.updateOne(
      { _id: reward._id, stock: { $gte: 1 }, stockTakers: { $ne: String(rid) } },
      { $inc: { stock: -1 }, $push: { stockTakers: String(rid) } },
    )
    if (!took.modifiedCount && !(await Reward.exists({ _id: reward._id, stockTakers: String(rid) })))
      throw new AppError('REWARD_OUT_OF_STOCK')
    fault('afterStock')
    await move(rid, red.state, 'stocked')
  }
  const voucher = await issueVoucher(red, reward, holderName)
  fault('afterVoucher')
  await Redemption.updateOne(
    { _id: rid, state: 'stocked' },
    { $set: { state: 'completed', voucherId: voucher._id } },
  )
  return voucher
}

async function issueVoucher(red: RedemptionDoc, reward: RewardDoc, holderName?: string): Promise<VoucherDoc> {
  if (holderName === undefined) {
    const existing = await Voucher.findOne({ redemptionId: red._id }).lean()
    if (existing) return existing as VoucherDoc
  }
  const name = holderName ?? (await User.findById(red.userId).lean())?.nickname ?? ''
  const tz = await communityTimezone(reward.communityId)
  const now = new Date()
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const v = await Voucher.create({
        code: generateVoucherCode(randomInt),
        redemptionId: red._id,
        rewardId: reward._id,
        merchantId: reward.merchantId,
        merchantName: reward.merchantName,
        communityId: reward.communityId,
        userId: red.userId,
        holderName: name,
        title: reward.title,
        cost: red.cost,
        account: red.account,
        expiresAt: voucherExpiry(now, reward.voucherDays, reward.validUntil, tz),
      })
      return v.toObject() as VoucherDoc
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      const mine = await Voucher.findOne({ redemptionId: red._id }).lean()
      if (mine) return mine as VoucherDoc
    }
  }
  throw new AppError('REDEMPTION_FAILED', '券码生成失败')
}

/** Gives back the points and the stock unit of a redemption, each at most once. */
export async function returnPointsAndStock(red: RedemptionDoc, reason: string): Promise<void> {
  if (await LedgerEntry.exists({ key: chargeKey(red._id) }))
    await post({
      key: refundKey(red._id),
      userId: red.userId,
      account: red.account as PointAccount,
      communityId: red.communityId,
      delta: red.cost,
      reason,
      refType: 'redemption',
      refId: String(red._id),
      expiresAt: await creditExpiry(red.communityId),
    })
  await Reward.updateOne(
    { _id: red.rewardId, stockTakers: String(red._id), stockReturns: { $ne: String(red._id) } },
    { $inc: { stock: 1 }, $push: { stockReturns: String(red._id) } },
  )
}

/** Undoes a redemption that is not completed: refund, stock back, voucher withdrawn, slot freed. */
export async function undo(rid: unknown, failure: ErrorCode): Promise<void> {
  const red = await Redemption.findOneAndUpdate(
    { _id: rid, state: { $in: ['started', 'charged', 'stocked', 'undoing'] } },
    { $set: { state: 'undoing', failure } },
    { new: true },
  ).lean()
  if (!red) return
  await repairPending(new Date(0), { userId: red.userId, account: red.account }, [chargeKey(rid)])
  await returnPointsAndStock(red as RedemptionDoc, '兑换未完成，积分退回')
  await Voucher.updateOne(
    { redemptionId: rid, status: 'issued' },
    { $set: { status: 'cancelled', cancelledAt: new Date(), returnedAt: new Date() } },
  )
  await Redemption.updateOne(
    { _id: rid, state: 'undoing' },
    { $set: { state: 'undone', limitSlot: `released:${rid}` } },
  )
}

/** What a repeated request gets: the voucher once completed, the same refusal once undone. */
async function outcomeOf(rid: unknown): Promise<VoucherDto> {
  for (let i = 0; i < 60; i++) {
    const red = await Redemption.findById(rid).lean()
    if (red?.state === 'completed')
      return voucherDto(found(await Voucher.findOne({ redemptionId: rid }).lean()) as VoucherDoc)
    if (red?.state === 'undone') throw new AppError((red.failure as ErrorCode) ?? 'REDEMPTION_FAILED')
    await sleep(50)
  }
  throw new AppError('IDEMPOTENCY_IN_PROGRESS')
}

/**
 * Sweeper step: redemptions left in a non-final state for longer than REDEMPTION_STALE_MS are
 * claimed one by one (guarded on their state and updatedAt, so two instances never both take one)
 * and resumed: `started` without a charge → undone; `started` with its charge, `charged` or
 * `stocked` → carried forward (undone if the stock ran out); `undoing` → undo finished.
 */
export async function recoverRedemptions(now: Date, staleMs = REDEMPTION_STALE_MS): Promise<number> {
  const stale = await Redemption.find({
    state: { $in: ['started', 'charged', 'stocked', 'undoing'] },
    updatedAt: { $lt: new Date(now.getTime() - staleMs) },
  })
    .limit(100)
    .lean()
  let handled = 0
  for (const s of stale) {
    const red = (await Redemption.findOneAndUpdate(
      { _id: s._id, state: s.state, updatedAt: s.updatedAt },
      { $set: { lockedUntil: new Date(now.getTime() + 30_000) } },
      { new: true },
    ).lean()) as RedemptionDoc | null
    if (!red) continue
    handled++
    await repairPending(new Date(0), { userId: red.userId, account: red.account }, [chargeKey(red._id)])
    if (red.state === 'undoing') {
      await undo(red._id, (red.failure as ErrorCode) ?? 'REDEMPTION_FAILED')
      continue
    }
    if (red.state === 'started' && !(await LedgerEntry.exists({ key: chargeKey(red._id) }))) {
      await undo(red._id, 'REDEMPTION_FAILED')
      continue
    }
    try {
      const reward = found(await Reward.findById(red.rewardId).lean()) as RewardDoc
      // Its charge is in the ledger: the charge step re-runs as a no-op and the state catches up.
      await forward(red, reward)
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error
      await undo(red._id, error instanceof AppError ? error.code : 'REDEMPTION_FAILED')
    }
  }
  return handled
}
