import {
  type Booking as BookingDto,
  type BookingStatus,
  bookingFromStatuses,
  type CreateBookingBody,
  checkBookingTime,
  checkInState,
  holdingStatuses,
  type PageQuery,
  type ReviewItem,
  slotStarts,
  zoneWeekRange,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError, fail, failField, found } from '../../platform/errors'
import { hasDuplicateKey, isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import {
  type Actor,
  assertInReach,
  hasRole,
  requireVerifiedResident,
  scopeFilter,
  staffRoles,
} from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { residentInReach } from '../grid/residents'
import { communityInfo } from '../org/org.service'
import { residentIdentity } from '../residency/resident-identity'
import { toBookingDto } from './booking.dto'
import { Booking, type BookingDoc, BookingSuspension, SlotClaim } from './booking.model'
import { noticeBooking } from './booking.notices'
import { Blackout, Space } from './space.model'
import { inReach, maskBooking } from './space.service'

const MINUTE = 60_000
/** Statuses that count against quotas: holding ones plus `claiming` (being created right now). */
const activeStatuses = ['claiming', ...holdingStatuses]
/** Statuses whose hours count against the weekly hours quota. */
const weeklyStatuses = [...activeStatuses, 'completed', 'noShow']

/** Releases every slot a booking holds. Idempotent; the booking sweeper repeats it if we die here. */
export async function releaseSlots(bookingId: Types.ObjectId | string): Promise<void> {
  await SlotClaim.deleteMany({ bookingId })
  await Booking.updateOne({ _id: bookingId }, { $set: { releasedAt: new Date() } })
}

/** Moves a booking to `to` only from a status allowed by the state machine (the guard is the filter). */
export async function transition(
  id: Types.ObjectId | string,
  to: BookingStatus,
  set: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<BookingDoc | null> {
  return (await Booking.findOneAndUpdate(
    { _id: id, status: { $in: bookingFromStatuses(to) }, ...extra },
    { $set: { status: to, ...set } },
    { new: true },
  ).lean()) as BookingDoc | null
}

/** Quotas as counted from the bookings themselves, the new one included when `includeSelf`. */
async function quotaProblem(
  userId: string,
  space: { _id: Types.ObjectId; maxActiveBookings: number; maxHoursPerWeek: number },
  start: Date,
  minutes: number,
  now: Date,
  tz: string,
  self: Types.ObjectId | null,
): Promise<'BOOKING_QUOTA_EXCEEDED' | 'BOOKING_HOURS_EXCEEDED' | null> {
  const added = self ? 0 : 1
  const week = zoneWeekRange(start, tz)
  // One read for both quotas: the resident's bookings of this space still active or in the week.
  const mine = await Booking.find(
    {
      userId,
      spaceId: space._id,
      status: { $in: weeklyStatuses },
      $or: [{ end: { $gt: now } }, { start: { $gte: week.start, $lt: week.end } }],
    },
    { status: 1, start: 1, end: 1, minutes: 1 },
  ).lean()
  const active = mine.filter((b) => activeStatuses.includes(b.status) && b.end > now).length
  if (active + added > space.maxActiveBookings) return 'BOOKING_QUOTA_EXCEEDED'
  const booked = mine.filter((b) => b.start >= week.start && b.start < week.end)
  const used = booked.reduce((sum, b) => sum + b.minutes, 0) + (self ? 0 : minutes)
  if (used > space.maxHoursPerWeek * 60) return 'BOOKING_HOURS_EXCEEDED'
  return null
}

/**
 * Books a space. The booking is written first as `claiming` (the intent), then each slot is claimed
 * under the unique (spaceId, slotStart) index; if any claim fails, the claims taken are released and
 * the caller gets BOOKING_SLOT_TAKEN. Quotas are checked before and re-checked after claiming, so two
 * concurrent requests of one resident cannot both slip past a quota.
 *
 * Staff of the space's community may book for the community (`forCommunity`), or for a verified
 * resident of it who cannot do it themselves (`forResidentId` with their consent): that booking is the
 * resident's — their quotas and suspension apply, it is in their 我的预约 and they are notified — and
 * records who booked it and how the resident agreed (also in the audit log).
 */
export async function createBooking(
  actor: Actor,
  body: CreateBookingBody,
  now = new Date(),
): Promise<BookingDto> {
  const space = found(await Space.findById(body.spaceId).lean())
  /** Whose booking it is: the caller, or the resident staff book for. */
  let owner: { userId: string; nickname: string } = actor
  if (body.forCommunity || body.forResidentId) {
    if (!hasRole(actor, staffRoles)) fail('FORBIDDEN')
    assertInReach(actor, space.communityId)
  }
  if (body.forResidentId) {
    const resident = await residentInReach(actor, body.forResidentId)
    if (String(resident?.residency?.communityId) !== String(space.communityId))
      throw new AppError('NOT_FOUND', '居民不存在或不在您负责的范围内')
    owner = { userId: String(resident!._id), nickname: resident!.nickname }
  } else if (!body.forCommunity) {
    const residency = requireVerifiedResident(actor)
    // Residents book the spaces of their own community; others answer as missing.
    if (residency.communityId !== String(space.communityId)) throw new AppError('NOT_FOUND')
  }
  if (!space.enabled) fail('SPACE_DISABLED')
  if (body.attendees > space.capacity) fail('BOOKING_CAPACITY_EXCEEDED')
  const { timezone: tz } = await communityInfo(space.communityId)
  const start = new Date(body.start)
  const end = new Date(body.end)
  const rules = {
    ...space,
    openingHours: space.openingHours.map((h) => ({
      weekday: h.weekday,
      open: h.open ?? '',
      close: h.close ?? '',
    })),
  }
  const violation = checkBookingTime(rules, start, end, now, tz)
  if (violation) fail(violation)
  const minutes = (end.getTime() - start.getTime()) / MINUTE

  // The checks read independent things: at once, then judged in the order residents are told.
  const [suspension, blackout, quota, name] = await Promise.all([
    body.forCommunity ? null : BookingSuspension.findById(`${owner.userId}:${space.communityId}`).lean(),
    Blackout.findOne({
      communityId: space.communityId,
      spaceId: { $in: [space._id, null] },
      start: { $lt: end },
      end: { $gt: start },
    }).lean(),
    body.forCommunity ? null : quotaProblem(owner.userId, space, start, minutes, now, tz, null),
    body.forCommunity
      ? `${actor.nickname}（代社区）`
      : residentIdentity(owner).then((identity) => identity.name),
  ])
  if (suspension && suspension.until > now)
    fail('BOOKING_SUSPENDED', `暂停至${suspension.until.toISOString()}`)
  if (blackout) fail('BOOKING_BLACKOUT', blackout.reason)
  if (quota) fail(quota)

  const booking = await Booking.create({
    communityId: space.communityId,
    spaceId: space._id,
    spaceName: space.name,
    userId: owner.userId,
    residentName: name,
    contactPhone: body.contactPhone,
    purpose: body.purpose,
    attendees: body.attendees,
    start,
    end,
    minutes,
    noShowAfter: new Date(start.getTime() + space.noShowGraceMinutes * MINUTE),
    status: 'claiming',
    forCommunity: body.forCommunity,
    bookedBy:
      body.forResidentId && body.consent
        ? {
            userId: actor.userId,
            name: actor.nickname,
            consentMethod: body.consent.method,
            consentNote: body.consent.note ?? null,
          }
        : null,
  })
  const undo = async (code: 'BOOKING_SLOT_TAKEN' | 'BOOKING_QUOTA_EXCEEDED' | 'BOOKING_HOURS_EXCEEDED') => {
    await SlotClaim.deleteMany({ bookingId: booking._id })
    await Booking.deleteOne({ _id: booking._id, status: 'claiming' })
    return fail(code)
  }
  try {
    // In order, stopping at the first slot taken; the claims made before it are released by undo.
    await SlotClaim.insertMany(
      slotStarts(start, end, space.slotMinutes).map((slotStart) => ({
        spaceId: space._id,
        slotStart,
        bookingId: booking._id,
        userId: owner.userId,
      })),
      { ordered: true },
    )
  } catch (error) {
    if (isDuplicateKey(error) || hasDuplicateKey(error)) return undo('BOOKING_SLOT_TAKEN')
    await SlotClaim.deleteMany({ bookingId: booking._id })
    await Booking.deleteOne({ _id: booking._id, status: 'claiming' })
    throw error
  }
  if (!body.forCommunity) {
    const problem = await quotaProblem(owner.userId, space, start, minutes, now, tz, booking._id)
    if (problem) return undo(problem)
  }
  // Staff booking (for the community or a resident) decide it themselves: approved at once.
  const byStaff = body.forCommunity || !!body.forResidentId
  const approved = byStaff || !space.requiresApproval
  const decided = byStaff ? { decidedAt: now, decidedBy: actor.userId } : approved ? { decidedAt: now } : {}
  const done = (await Booking.findOneAndUpdate(
    { _id: booking._id, status: 'claiming' },
    { $set: { status: approved ? 'approved' : 'pending', ...decided } },
    { new: true },
  ).lean()) as BookingDoc | null
  // Only if the repair sweeper judged this request dead and undid it.
  if (!done) return undo('BOOKING_SLOT_TAKEN')
  if (body.forCommunity)
    await audit(
      actor,
      'booking.create.community',
      { type: 'booking', id: String(done._id), communityId: done.communityId },
      { spaceId: body.spaceId, start: body.start, end: body.end },
    )
  if (body.forResidentId) {
    await audit(
      actor,
      'booking.create.onBehalf',
      { type: 'booking', id: String(done._id), communityId: done.communityId },
      {
        spaceId: body.spaceId,
        start: body.start,
        end: body.end,
        residentId: owner.userId,
        consentMethod: body.consent?.method ?? null,
        consentNote: body.consent?.note ?? null,
      },
    )
    await noticeBooking(done, 'bookedForYou', `由${actor.nickname}代为预约`)
  }
  return toBookingDto(done)
}

export async function listMyBookings(
  actor: Actor,
  query: PageQuery & { status?: BookingStatus | undefined },
) {
  const filter = {
    userId: actor.userId,
    ...(query.status ? { status: query.status } : { status: { $ne: 'claiming' } }),
  }
  const page = await paginate(Booking, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  return { items: page.items.map((b) => toBookingDto(b as BookingDoc)), nextCursor: page.nextCursor }
}

/** The booking if the actor owns it or is staff of its community; 404 otherwise. */
async function readable(actor: Actor, id: string): Promise<{ booking: BookingDoc; owner: boolean }> {
  const booking = found((await Booking.findById(id).lean()) as BookingDoc | null)
  if (booking.status === 'claiming') throw new AppError('NOT_FOUND')
  const owner = String(booking.userId) === actor.userId
  if (!owner) assertInReach(actor, booking.communityId)
  return { booking, owner }
}

export async function getBooking(actor: Actor, id: string): Promise<BookingDto> {
  return toBookingDto((await readable(actor, id)).booking)
}

export async function cancelBooking(
  actor: Actor,
  id: string,
  { reason }: { reason?: string | undefined },
  now = new Date(),
): Promise<BookingDto> {
  const { booking, owner } = await readable(actor, id)
  if (!owner && !reason) failField('REASON_REQUIRED', 'reason', '工作人员取消预约须填写原因')
  const cancelled = await transition(
    id,
    'cancelled',
    { cancelReason: reason ?? null, cancelledBy: owner ? 'resident' : 'staff', decidedAt: now },
    // Residents cancel before the start; staff may also cancel a booking that has begun.
    owner ? { start: { $gt: now } } : {},
  )
  if (!cancelled) fail('BOOKING_STATUS_CONFLICT')
  await releaseSlots(id)
  if (!owner) {
    await audit(
      actor,
      'booking.cancel',
      { type: 'booking', id, communityId: booking.communityId },
      { reason },
    )
    await noticeBooking(cancelled!, 'cancelled', reason)
  }
  return toBookingDto(cancelled!)
}

export async function checkInBooking(
  actor: Actor,
  id: string,
  { code }: { code?: string | undefined },
  now = new Date(),
): Promise<BookingDto> {
  const { booking, owner } = await readable(actor, id)
  if (!owner) throw new AppError('NOT_FOUND')
  const space = found(await Space.findById(booking.spaceId).lean())
  if (code !== undefined && code !== space.checkInCode) fail('BOOKING_CHECK_IN_CODE_INVALID')
  if (booking.status !== 'approved') fail('BOOKING_STATUS_CONFLICT')
  if (checkInState(booking.start, now, space.checkInWindowMinutes, space.noShowGraceMinutes) !== 'open')
    fail('BOOKING_CHECK_IN_NOT_OPEN')
  const done = await transition(id, 'checkedIn', { checkedInAt: now })
  if (!done) fail('BOOKING_STATUS_CONFLICT')
  return toBookingDto(done!)
}

/** Pending bookings in reach, oldest first, each with its resident's booking record. */
export async function listForReview(
  actor: Actor,
  query: PageQuery & { communityId?: string | undefined; spaceId?: string | undefined },
): Promise<{ items: ReviewItem[]; nextCursor: string | null }> {
  if (query.communityId && !inReach(actor, query.communityId)) return { items: [], nextCursor: null }
  const filter = {
    ...scopeFilter(actor),
    ...(query.communityId ? { communityId: query.communityId } : {}),
    ...(query.spaceId ? { spaceId: query.spaceId } : {}),
    status: 'pending',
  }
  const page = await paginate(Booking, filter, { limit: query.limit, cursor: query.cursor })
  const userIds = [...new Set(page.items.map((b) => String(b.userId)))]
  const rows = userIds.length
    ? await Booking.aggregate<{ _id: { userId: Types.ObjectId; status: string }; n: number }>([
        { $match: { userId: { $in: page.items.map((b) => b.userId) } } },
        { $group: { _id: { userId: '$userId', status: '$status' }, n: { $sum: 1 } } },
      ])
    : []
  const history = (userId: string) => {
    const of = (status: string) =>
      rows.find((r) => String(r._id.userId) === userId && r._id.status === status)?.n ?? 0
    const total = rows
      .filter((r) => String(r._id.userId) === userId && r._id.status !== 'claiming')
      .reduce((s, r) => s + r.n, 0)
    return {
      total,
      completed: of('completed'),
      noShow: of('noShow'),
      cancelled: of('cancelled'),
      rejected: of('rejected'),
    }
  }
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((b) => ({
      ...maskBooking(toBookingDto(b as BookingDoc)),
      history: history(String(b.userId)),
    })),
  }
}

export async function approveBooking(actor: Actor, id: string, now = new Date()): Promise<BookingDto> {
  const { booking } = await staffRecord(actor, id)
  const approved = await transition(
    id,
    'approved',
    { decidedBy: actor.userId, decidedAt: now },
    { start: { $gt: now } },
  )
  if (!approved) fail('BOOKING_STATUS_CONFLICT')
  await audit(actor, 'booking.approve', { type: 'booking', id, communityId: booking.communityId })
  await noticeBooking(approved!, 'approved')
  return toBookingDto(approved!)
}

export async function rejectBooking(
  actor: Actor,
  id: string,
  { reason }: { reason: string },
  now = new Date(),
): Promise<BookingDto> {
  const { booking } = await staffRecord(actor, id)
  const rejected = await transition(id, 'rejected', {
    rejectReason: reason,
    decidedBy: actor.userId,
    decidedAt: now,
  })
  if (!rejected) fail('BOOKING_STATUS_CONFLICT')
  await releaseSlots(id)
  await audit(actor, 'booking.reject', { type: 'booking', id, communityId: booking.communityId }, { reason })
  await noticeBooking(rejected!, 'rejected', reason)
  return toBookingDto(rejected!)
}

async function staffRecord(actor: Actor, id: string) {
  const booking = found((await Booking.findById(id).lean()) as BookingDoc | null)
  assertInReach(actor, booking.communityId)
  if (booking.status === 'claiming') throw new AppError('NOT_FOUND')
  return { booking }
}
