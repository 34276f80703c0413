import { randomInt } from 'node:crypto'
import {
  type CreateItemBody,
  type Item as ItemDto,
  LOAN_CODE_LENGTH,
  LOAN_PICKUP_HOURS,
  type Loan as LoanDto,
  type LoanStatus,
  lendingSuspensionPolicy,
  makeCode,
  maskName,
  normalizeCode,
  type PageQuery,
  zoneDate,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError, fail, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach, requireVerifiedResident, scopeFilter } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { inReach } from '../booking/space.service'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { residentIdentity } from '../residency/resident-identity'
import { type ItemDoc, ItemModel, LendingSuspension, type LoanDoc, LoanModel } from './lending.model'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export function toItemDto(i: ItemDoc): ItemDto {
  return {
    id: String(i._id),
    communityId: String(i.communityId),
    station: i.station,
    name: i.name,
    description: i.description,
    photos: i.photos,
    stock: i.stock,
    available: i.available,
    loanDays: i.loanDays,
    enabled: i.enabled,
    createdAt: i.createdAt.toISOString(),
  }
}

/** `view`: the borrower sees the code; the desk acting on it the full name; staff lists neither. */
export function toLoanDto(l: LoanDoc, view: 'borrower' | 'desk' | 'list'): LoanDto {
  return {
    id: String(l._id),
    itemId: String(l.itemId),
    itemName: l.itemName,
    station: l.station,
    communityId: String(l.communityId),
    userId: String(l.userId),
    borrowerName: view === 'list' ? maskName(l.borrowerName) : l.borrowerName,
    status: l.status as LoanStatus,
    code: view === 'borrower' ? l.code : null,
    pickUpBy: l.pickUpBy.toISOString(),
    pickedUpAt: l.pickedUpAt?.toISOString() ?? null,
    dueAt: l.dueAt?.toISOString() ?? null,
    returnedAt: l.returnedAt?.toISOString() ?? null,
    overdue: Boolean(l.overdueAt),
    createdAt: l.createdAt.toISOString(),
  }
}

export async function listItems(actor: Actor, communityId?: string): Promise<{ items: ItemDto[] }> {
  const own = actor.residency.status === 'verified' ? actor.residency.communityId : null
  const id = communityId ?? own
  if (!id || (id !== own && !inReach(actor, id))) return { items: [] }
  const staff = inReach(actor, id)
  const items = await ItemModel.find({ communityId: id, ...(staff ? {} : { enabled: true }) })
    .sort({ createdAt: 1 })
    .limit(200)
    .lean()
  return { items: items.map((i) => toItemDto(i as ItemDoc)) }
}

export async function createItem(actor: Actor, body: CreateItemBody): Promise<ItemDto> {
  assertInReach(actor, body.communityId)
  const item = await ItemModel.create({ ...body, available: body.stock, createdBy: actor.userId })
  await audit(
    actor,
    'lending.item.create',
    { type: 'item', id: String(item._id), communityId: body.communityId },
    {
      name: body.name,
      stock: body.stock,
    },
  )
  return toItemDto(item.toObject() as ItemDoc)
}

/** Puts a loan's unit back on the shelf; guarded on `takers`, so it happens once per loan. */
export async function giveBack(loan: Pick<LoanDoc, '_id' | 'itemId'>): Promise<void> {
  await ItemModel.updateOne(
    { _id: loan.itemId, takers: loan._id },
    { $inc: { available: 1 }, $pull: { takers: loan._id } },
  )
  await LoanModel.updateOne({ _id: loan._id }, { $set: { releasedAt: new Date() } })
}

/** Moves a loan from one status to another under a guard; closing statuses free `activeKey`. */
export async function moveLoan(
  id: Types.ObjectId | string,
  from: string,
  to: LoanStatus,
  set: Record<string, unknown> = {},
): Promise<LoanDoc | null> {
  const closing = to === 'returned' || to === 'cancelled' || to === 'expired'
  return (await LoanModel.findOneAndUpdate(
    { _id: id, status: from },
    { $set: { status: to, ...set, ...(closing ? { activeKey: String(id) } : {}) } },
    { new: true },
  ).lean()) as LoanDoc | null
}

/**
 * Reserves one unit: the loan is written first as `claiming` (one open loan per person and item by
 * the unique `activeKey`), then a unit is taken with a guarded `$inc` that also records the loan in
 * `takers`: of many concurrent requests for the last unit exactly one gets it.
 */
export async function borrow(actor: Actor, itemId: string, now = new Date()): Promise<LoanDto> {
  const residency = requireVerifiedResident(actor)
  const item = found((await ItemModel.findById(itemId).lean()) as ItemDoc | null)
  if (String(item.communityId) !== residency.communityId) throw new AppError('NOT_FOUND')
  if (!item.enabled) fail('ITEM_DISABLED')
  const suspension = await LendingSuspension.findById(`${actor.userId}:${residency.communityId}`).lean()
  if (suspension && suspension.until > now) {
    const { timezone: tz } = await communityInfo(residency.communityId)
    fail('LENDING_SUSPENDED', `暂停至${zoneDate(suspension.until, tz)}`)
  }
  if (item.available <= 0) fail('ITEM_OUT_OF_STOCK')
  const who = await residentIdentity(actor)
  let loan: LoanDoc | null = null
  for (let attempt = 0; !loan && attempt < 3; attempt++) {
    try {
      loan = (
        await LoanModel.create({
          itemId: item._id,
          itemName: item.name,
          station: item.station,
          communityId: item.communityId,
          userId: actor.userId,
          borrowerName: who.name,
          status: 'claiming',
          activeKey: `${itemId}:${actor.userId}`,
          code: makeCode(LOAN_CODE_LENGTH, randomInt),
          loanDays: item.loanDays,
          pickUpBy: new Date(now.getTime() + LOAN_PICKUP_HOURS * HOUR),
        })
      ).toObject() as LoanDoc
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      if (await LoanModel.exists({ activeKey: `${itemId}:${actor.userId}` })) fail('ITEM_ALREADY_BORROWED')
      // Otherwise the random code collided: draw another.
    }
  }
  if (!loan) fail('INTERNAL')
  const taken = await ItemModel.findOneAndUpdate(
    { _id: item._id, enabled: true, available: { $gt: 0 }, takers: { $ne: loan!._id } },
    { $inc: { available: -1 }, $push: { takers: loan!._id } },
  ).lean()
  if (!taken) {
    await LoanModel.deleteOne({ _id: loan!._id, status: 'claiming' })
    fail('ITEM_OUT_OF_STOCK')
  }
  const done = await moveLoan(loan!._id, 'claiming', 'reserved')
  if (!done) {
    // The repair sweeper judged this request dead and undid it.
    await giveBack(loan!)
    fail('LOAN_STATUS_CONFLICT')
  }
  return toLoanDto(done!, 'borrower')
}

export async function cancelLoan(actor: Actor, id: string): Promise<LoanDto> {
  const loan = found((await LoanModel.findById(id).lean()) as LoanDoc | null)
  if (String(loan.userId) !== actor.userId || loan.status === 'claiming') throw new AppError('NOT_FOUND')
  const done = await moveLoan(id, 'reserved', 'cancelled')
  if (!done) fail('LOAN_STATUS_CONFLICT')
  await giveBack(done!)
  return toLoanDto(done!, 'borrower')
}

export async function listMyLoans(actor: Actor, query: PageQuery & { status?: LoanStatus | undefined }) {
  const filter = {
    userId: actor.userId,
    ...(query.status ? { status: query.status } : { status: { $ne: 'claiming' } }),
  }
  const page = await paginate(LoanModel, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  return { items: page.items.map((l) => toLoanDto(l as LoanDoc, 'borrower')), nextCursor: page.nextCursor }
}

export async function listLoans(
  actor: Actor,
  query: PageQuery & {
    communityId?: string | undefined
    itemId?: string | undefined
    status?: LoanStatus | undefined
  },
) {
  if (query.communityId && !inReach(actor, query.communityId)) return { items: [], nextCursor: null }
  const filter = {
    ...scopeFilter(actor),
    ...(query.communityId ? { communityId: query.communityId } : {}),
    ...(query.itemId ? { itemId: query.itemId } : {}),
    ...(query.status ? { status: query.status } : { status: { $ne: 'claiming' } }),
  }
  const page = await paginate(LoanModel, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  return { items: page.items.map((l) => toLoanDto(l as LoanDoc, 'list')), nextCursor: page.nextCursor }
}

/** The loan a desk code names, if the staff member reaches its community; otherwise as if none. */
async function deskLoan(actor: Actor, code: string): Promise<LoanDoc> {
  const loan = (await LoanModel.findOne({ code: normalizeCode(code) }).lean()) as LoanDoc | null
  if (!loan || loan.status === 'claiming' || !inReach(actor, loan.communityId)) fail('LOAN_CODE_NOT_FOUND')
  return loan!
}

export async function pickUp(actor: Actor, code: string, now = new Date()): Promise<LoanDto> {
  const loan = await deskLoan(actor, code)
  const done = await moveLoan(loan._id, 'reserved', 'pickedUp', {
    pickedUpAt: now,
    dueAt: new Date(now.getTime() + loan.loanDays * DAY),
  })
  if (!done) fail('LOAN_STATUS_CONFLICT')
  await audit(actor, 'lending.pickUp', { type: 'loan', id: String(loan._id), communityId: loan.communityId })
  return toLoanDto(done!, 'desk')
}

export async function returnLoan(actor: Actor, code: string, now = new Date()): Promise<LoanDto> {
  const loan = await deskLoan(actor, code)
  const done = await moveLoan(loan._id, 'pickedUp', 'returned', { returnedAt: now })
  if (!done) fail('LOAN_STATUS_CONFLICT')
  await giveBack(done!)
  if (done!.dueAt && done!.dueAt < now) await markOverdue(done!, now)
  await audit(
    actor,
    'lending.return',
    { type: 'loan', id: String(loan._id), communityId: loan.communityId },
    {
      late: Boolean(done!.dueAt && done!.dueAt < now),
    },
  )
  return toLoanDto((await LoanModel.findById(loan._id).lean()) as LoanDoc, 'desk')
}

/**
 * Marks a loan overdue once (guarded on `overdueAt: null`), whether the sweeper finds it still out or
 * it comes back late first; only the one that marks it tells the borrower and counts it toward the
 * suspension rule, so a late loan counts once.
 */
export async function markOverdue(loan: LoanDoc, now: Date): Promise<boolean> {
  const res = await LoanModel.updateOne({ _id: loan._id, overdueAt: null }, { $set: { overdueAt: now } })
  if (!res.modifiedCount) return false
  const { timezone: tz } = await communityInfo(loan.communityId)
  await notify({
    userId: String(loan.userId),
    communityId: String(loan.communityId),
    kind: 'lending.overdue',
    title: '借用物品已逾期',
    body: `${loan.itemName}（${loan.station}）应于${zoneDate(loan.dueAt ?? now, tz)}归还，逾期记入借用记录`,
    link: '/packages/activities/loans/index',
    dedupeKey: `lending.overdue:${String(loan._id)}`,
  })
  const { limit, windowDays, suspendDays } = lendingSuspensionPolicy
  const overdue = await LoanModel.countDocuments({
    userId: loan.userId,
    communityId: loan.communityId,
    overdueAt: { $gt: new Date(now.getTime() - windowDays * DAY) },
  })
  if (overdue < limit) return true
  const until = new Date(now.getTime() + suspendDays * DAY)
  const id = `${loan.userId}:${loan.communityId}`
  await LendingSuspension.updateOne(
    { _id: id },
    { $max: { until }, $set: { overdue } },
    { upsert: true },
  ).catch(async (error) => {
    // Two markers upserting the same suspension: the loser retries as a plain update.
    if (!isDuplicateKey(error)) throw error
    await LendingSuspension.updateOne({ _id: id }, { $max: { until }, $set: { overdue } })
  })
  await notify({
    userId: String(loan.userId),
    communityId: String(loan.communityId),
    kind: 'lending.suspended',
    title: '多次逾期，暂停借用',
    body: `${windowDays}天内逾期${overdue}次，${zoneDate(until, tz)}前不能借用共享物品`,
    link: '/packages/activities/loans/index',
    dedupeKey: `lending.suspended:${id}:${zoneDate(until, tz)}`,
  })
  return true
}
