import { formatTime, zoneDate } from '@linli/shared-types'
import type { Sweeper } from '../../jobs/sweepers'
import type { AppDeps } from '../../platform/deps'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { Booking, type BookingDoc, BookingSuspension, SlotClaim } from './booking.model'
import { noticeBooking } from './booking.notices'
import { releaseSlots, transition } from './booking.service'

const MINUTE = 60_000
const BATCH = 200

/**
 * Claims bookings one at a time with a guarded transition, so two BFF instances sweeping at once
 * each handle a booking at most once (the loser's findOneAndUpdate finds nothing).
 */
async function drain(
  filter: Record<string, unknown>,
  claim: (id: unknown) => Promise<BookingDoc | null>,
  handle: (b: BookingDoc) => Promise<void>,
): Promise<number> {
  const candidates = await Booking.find(filter).sort({ start: 1 }).limit(BATCH).lean()
  let handled = 0
  for (const c of candidates) {
    const b = await claim(c._id)
    if (!b) continue
    await handle(b)
    handled++
  }
  return handled
}

/** Pending bookings whose start has passed expire and free their slots. */
export const expirePending = (now: Date) =>
  drain(
    { status: 'pending', start: { $lte: now } },
    (id) => transition(String(id), 'expired', { decidedAt: now }, { start: { $lte: now } }),
    async (b) => {
      await releaseSlots(b._id)
      await noticeBooking(b, 'expired')
    },
  )

/** Approved bookings not checked in by start + grace become no-shows; repeat offenders are suspended. */
export const releaseNoShows = (deps: AppDeps, now: Date) =>
  drain(
    { status: 'approved', noShowAfter: { $lte: now } },
    (id) => transition(String(id), 'noShow', { noShowAt: now }, { noShowAfter: { $lte: now } }),
    async (b) => {
      await releaseSlots(b._id)
      await noticeBooking(b, 'noShow')
      if (!b.forCommunity) await maybeSuspend(deps, b, now)
    },
  )

async function maybeSuspend(deps: AppDeps, b: BookingDoc, now: Date): Promise<void> {
  const {
    BOOKING_NOSHOW_LIMIT: limit,
    BOOKING_NOSHOW_WINDOW_DAYS: days,
    BOOKING_SUSPEND_DAYS: suspend,
  } = deps.config
  const noShows = await Booking.countDocuments({
    userId: b.userId,
    communityId: b.communityId,
    status: 'noShow',
    noShowAt: { $gt: new Date(now.getTime() - days * 1440 * MINUTE) },
  })
  if (noShows < limit) return
  const until = new Date(now.getTime() + suspend * 1440 * MINUTE)
  await BookingSuspension.updateOne(
    { _id: `${b.userId}:${b.communityId}` },
    {
      $max: { until },
      $set: { noShows },
      $setOnInsert: { userId: b.userId, communityId: b.communityId },
    },
    { upsert: true },
  ).catch(async (error) => {
    // Two sweepers upserting the same suspension: the loser retries as a plain update.
    if ((error as { code?: number }).code !== 11000) throw error
    await BookingSuspension.updateOne({ _id: `${b.userId}:${b.communityId}` }, { $max: { until } })
  })
  const { timezone: tz } = await communityInfo(b.communityId)
  await notify({
    userId: String(b.userId),
    communityId: String(b.communityId),
    kind: 'booking.suspended',
    title: '多次爽约，暂停预约',
    body: `${days}天内爽约${noShows}次，${formatTime(until, { tz, style: 'calendar' })}前不能预约空间`,
    link: '/packages/booking/mine/index',
    dedupeKey: `booking.suspended:${b.userId}:${b.communityId}:${zoneDate(until, tz)}`,
  })
}

/** Checked-in bookings whose end has passed are completed; their (past) slots are purged. */
export const completeCheckedIn = (now: Date) =>
  drain(
    { status: 'checkedIn', end: { $lte: now } },
    (id) => transition(String(id), 'completed', {}, { end: { $lte: now } }),
    (b) => releaseSlots(b._id),
  )

/** One reminder per approved booking, `leadMinutes` before it starts (dedupeKey keeps it once). */
export async function sendReminders(deps: AppDeps, now: Date): Promise<number> {
  const lead = deps.config.BOOKING_REMINDER_MINUTES * MINUTE
  const filter = {
    status: 'approved',
    remindedAt: null,
    start: { $gt: now, $lte: new Date(now.getTime() + lead) },
  }
  return drain(
    filter,
    async (id) =>
      (await Booking.findOneAndUpdate(
        { _id: id, ...filter },
        { $set: { remindedAt: now } },
        { new: true },
      ).lean()) as BookingDoc | null,
    async (b) => {
      await noticeBooking(b, 'reminder')
    },
  )
}

/**
 * Repairs what a crash can leave: a booking stuck in `claiming` (its slots are released and it is
 * dropped) and a finished booking whose slots were not released yet.
 */
export async function repair(now: Date): Promise<number> {
  let repaired = 0
  const stale = await Booking.find({
    status: 'claiming',
    createdAt: { $lt: new Date(now.getTime() - 2 * MINUTE) },
  })
    .limit(BATCH)
    .lean()
  for (const b of stale) {
    await SlotClaim.deleteMany({ bookingId: b._id })
    await Booking.deleteOne({ _id: b._id, status: 'claiming' })
    repaired++
  }
  const unreleased = await Booking.find({
    status: { $in: ['rejected', 'cancelled', 'expired', 'noShow', 'completed'] },
    releasedAt: null,
    updatedAt: { $lt: new Date(now.getTime() - MINUTE) },
  })
    .limit(BATCH)
    .lean()
  for (const b of unreleased) {
    await releaseSlots(b._id)
    repaired++
  }
  return repaired
}

export const bookingSweeper: Sweeper = {
  name: 'booking',
  everyMs: 30_000,
  async run(deps, now) {
    return {
      expired: await expirePending(now),
      noShows: await releaseNoShows(deps, now),
      completed: await completeCheckedIn(now),
      reminded: await sendReminders(deps, now),
      repaired: await repair(now),
    }
  },
}
