import { zoneDate } from '@linli/shared-types'
import type { Sweeper } from '../../jobs/sweepers'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { type LoanDoc, LoanModel } from './lending.model'
import { giveBack, markOverdue, moveLoan } from './lending.service'

const MINUTE = 60_000
const BATCH = 200
/** The due-date reminder goes out this long before the due time. */
const REMIND_BEFORE = 24 * 60 * MINUTE

/** Loans still out past their due time are marked overdue (once) and counted toward suspension. */
export async function markOverdueLoans(now: Date): Promise<number> {
  const late = (await LoanModel.find({ status: 'pickedUp', dueAt: { $lte: now }, overdueAt: null })
    .limit(BATCH)
    .lean()) as LoanDoc[]
  let marked = 0
  for (const l of late) if (await markOverdue(l, now)) marked++
  return marked
}

/** Reserved units not picked up in time go back on the shelf. */
export async function expireReservations(now: Date): Promise<number> {
  const stale = await LoanModel.find({ status: 'reserved', pickUpBy: { $lte: now } })
    .limit(BATCH)
    .lean()
  let expired = 0
  for (const l of stale) {
    const done = await moveLoan(l._id, 'reserved', 'expired')
    if (!done) continue
    await giveBack(done)
    expired++
  }
  return expired
}

/** One reminder per loan the day before it is due (the guard on `remindedAt` keeps it once). */
export async function remindDue(now: Date): Promise<number> {
  const filter = {
    status: 'pickedUp',
    remindedAt: null,
    dueAt: { $gt: now, $lte: new Date(now.getTime() + REMIND_BEFORE) },
  }
  const due = await LoanModel.find(filter).limit(BATCH).lean()
  let sent = 0
  for (const l of due) {
    const claimed = await LoanModel.findOneAndUpdate(
      { _id: l._id, ...filter },
      { $set: { remindedAt: now } },
    ).lean()
    if (!claimed) continue
    const { timezone: tz } = await communityInfo(l.communityId)
    await notify({
      userId: String(l.userId),
      communityId: String(l.communityId),
      kind: 'lending.dueSoon',
      title: '借用物品明天到期',
      body: `${l.itemName} 请于${zoneDate(l.dueAt!, tz)}前还到${l.station}`,
      link: '/packages/activities/loans/index',
      dedupeKey: `lending.dueSoon:${String(l._id)}`,
    })
    sent++
  }
  return sent
}

/** Undoes loans stuck in `claiming` and gives back units of closed loans not yet released. */
export async function repairLoans(now: Date): Promise<number> {
  const quiet = new Date(now.getTime() - 2 * MINUTE)
  let repaired = 0
  const stuck = await LoanModel.find({ status: 'claiming', createdAt: { $lt: quiet } })
    .limit(BATCH)
    .lean()
  for (const l of stuck) {
    const res = await LoanModel.deleteOne({ _id: l._id, status: 'claiming' })
    if (res.deletedCount) await giveBack(l)
    repaired++
  }
  const unreleased = await LoanModel.find({
    status: { $in: ['returned', 'cancelled', 'expired'] },
    releasedAt: null,
    updatedAt: { $lt: quiet },
  })
    .limit(BATCH)
    .lean()
  for (const l of unreleased) {
    await giveBack(l)
    repaired++
  }
  return repaired
}

export const lendingSweeper: Sweeper = {
  name: 'lending',
  everyMs: 60_000,
  async run(_deps, now) {
    return {
      overdue: await markOverdueLoans(now),
      expired: await expireReservations(now),
      reminded: await remindDue(now),
      repaired: await repairLoans(now),
    }
  },
}
