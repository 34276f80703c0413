import { randomBytes } from 'node:crypto'
import {
  type Availability,
  type Blackout as BlackoutDto,
  type Booking as BookingDto,
  type CreateSpaceBody,
  daySlotGrid,
  holdingStatuses,
  maskName,
  maskPhone,
  type Space as SpaceDto,
  type SpaceSchedule,
  type SpaceSummary,
  shiftDate,
  type UpdateSpaceBody,
  validateOpeningHours,
  zoneDayRange,
} from '@linli/shared-types'
import { AppError, fail, found } from '../../platform/errors'
import { type Actor, assertInReach, communitiesInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { communityInfo } from '../org/org.service'
import { toBookingDto } from './booking.dto'
import { Booking, SlotClaim } from './booking.model'
import { Blackout, type BlackoutDoc, Space, type SpaceDoc } from './space.model'

export const inReach = (actor: Actor, communityId: unknown): boolean => {
  const ids = communitiesInReach(actor)
  return ids === 'all' || ids.includes(String(communityId))
}

/** A space the actor may see: enabled ones to everyone signed in, disabled ones to its staff only. */
export async function visibleSpace(actor: Actor, id: string): Promise<SpaceDoc> {
  const space = found(await Space.findById(id).lean())
  if (!space.enabled && !inReach(actor, space.communityId)) throw new AppError('NOT_FOUND')
  return space
}

export function toBlackoutDto(b: BlackoutDoc): BlackoutDto {
  return {
    id: String(b._id),
    communityId: String(b.communityId),
    spaceId: b.spaceId ? String(b.spaceId) : null,
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    reason: b.reason,
  }
}

async function toSpaceDto(actor: Actor, s: SpaceDoc): Promise<SpaceDto> {
  const community = await communityInfo(s.communityId)
  const blackouts = await Blackout.find({
    communityId: s.communityId,
    spaceId: { $in: [s._id, null] },
    end: { $gt: new Date() },
  })
    .sort({ start: 1 })
    .limit(50)
    .lean()
  return {
    id: String(s._id),
    communityId: String(s.communityId),
    communityName: community.name,
    timezone: community.timezone,
    name: s.name,
    type: s.type,
    description: s.description ?? '',
    photos: s.photos ?? [],
    location: s.location,
    capacity: s.capacity,
    facilities: s.facilities ?? [],
    openingHours: (s.openingHours ?? []).map((h) => ({
      weekday: h.weekday,
      open: h.open ?? '',
      close: h.close ?? '',
    })),
    slotMinutes: s.slotMinutes,
    minDurationMinutes: s.minDurationMinutes,
    maxDurationMinutes: s.maxDurationMinutes,
    bookingWindowDays: s.bookingWindowDays,
    minNoticeMinutes: s.minNoticeMinutes,
    requiresApproval: s.requiresApproval,
    maxActiveBookings: s.maxActiveBookings,
    maxHoursPerWeek: s.maxHoursPerWeek,
    checkInWindowMinutes: s.checkInWindowMinutes,
    noShowGraceMinutes: s.noShowGraceMinutes,
    enabled: s.enabled,
    checkInCode: inReach(actor, s.communityId) ? s.checkInCode : null,
    blackouts: blackouts.map(toBlackoutDto),
  }
}

const toSummary = (s: SpaceDoc): SpaceSummary => ({
  id: String(s._id),
  communityId: String(s.communityId),
  name: s.name,
  type: s.type,
  photos: s.photos ?? [],
  location: s.location,
  capacity: s.capacity,
  facilities: s.facilities ?? [],
  requiresApproval: s.requiresApproval,
  enabled: s.enabled,
  slotMinutes: s.slotMinutes,
})

/** Spaces of one community: the asked one, else the caller's own (residency, then staff scope). */
export async function listSpaces(
  actor: Actor,
  query: { communityId?: string | undefined; type?: string | undefined },
): Promise<{ items: SpaceSummary[] }> {
  const reach = communitiesInReach(actor)
  const communityId =
    query.communityId ??
    actor.residency.communityId ??
    (reach === 'all' ? undefined : reach[0]) ??
    actor.memberships.find((m) => m.scopeType === 'community')?.scopeId
  if (!communityId) return { items: [] }
  const spaces = await Space.find({
    communityId,
    ...(inReach(actor, communityId) ? {} : { enabled: true }),
    ...(query.type ? { type: query.type } : {}),
  })
    .sort({ createdAt: 1, _id: 1 })
    .limit(200)
    .lean()
  return { items: spaces.map(toSummary) }
}

export async function getSpace(actor: Actor, id: string): Promise<SpaceDto> {
  return toSpaceDto(actor, await visibleSpace(actor, id))
}

function checkRules(s: {
  openingHours: { weekday: number; open: string; close: string }[]
  slotMinutes: number
  minDurationMinutes: number
  maxDurationMinutes: number
}) {
  const problem = validateOpeningHours(s.openingHours, s.slotMinutes)
  if (problem) fail('SPACE_HOURS_INVALID', problem)
  if (s.minDurationMinutes > s.maxDurationMinutes) fail('SPACE_HOURS_INVALID', '最短时长不能大于最长时长')
  if (s.minDurationMinutes % s.slotMinutes || s.maxDurationMinutes % s.slotMinutes)
    fail('SPACE_HOURS_INVALID', '时长须为时段长度的整数倍')
}

export async function createSpace(actor: Actor, body: CreateSpaceBody): Promise<SpaceDto> {
  assertInReach(actor, body.communityId)
  checkRules(body)
  const space = await Space.create({ ...body, checkInCode: randomBytes(9).toString('base64url') })
  await audit(actor, 'booking.space.create', {
    type: 'space',
    id: String(space._id),
    communityId: space.communityId,
  })
  return toSpaceDto(actor, space.toObject())
}

export async function updateSpace(actor: Actor, id: string, body: UpdateSpaceBody): Promise<SpaceDto> {
  const existing = found(await Space.findById(id).lean())
  assertInReach(actor, existing.communityId)
  const merged = {
    openingHours:
      body.openingHours ??
      existing.openingHours.map((h) => ({ ...h, open: h.open ?? '', close: h.close ?? '' })),
    slotMinutes: body.slotMinutes ?? existing.slotMinutes,
    minDurationMinutes: body.minDurationMinutes ?? existing.minDurationMinutes,
    maxDurationMinutes: body.maxDurationMinutes ?? existing.maxDurationMinutes,
  }
  checkRules(merged)
  const set = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
  const space = found(await Space.findOneAndUpdate({ _id: id }, { $set: set }, { new: true }).lean())
  await audit(
    actor,
    'booking.space.update',
    { type: 'space', id, communityId: space.communityId },
    {
      fields: Object.keys(set),
    },
  )
  return toSpaceDto(actor, space)
}

export async function createBlackout(
  actor: Actor,
  body: { communityId: string; spaceId: string | null; start: string; end: string; reason: string },
): Promise<BlackoutDto> {
  assertInReach(actor, body.communityId)
  if (body.spaceId) {
    const space = found(await Space.findById(body.spaceId).lean())
    if (String(space.communityId) !== body.communityId) throw new AppError('NOT_FOUND')
  }
  const start = new Date(body.start)
  const end = new Date(body.end)
  if (end <= start) fail('BOOKING_TIME_INVALID')
  const blackout = await Blackout.create({ ...body, start, end, createdBy: actor.userId })
  await audit(
    actor,
    'booking.blackout.create',
    { type: 'blackout', id: String(blackout._id), communityId: blackout.communityId },
    { spaceId: body.spaceId, start: body.start, end: body.end, reason: body.reason },
  )
  return toBlackoutDto(blackout.toObject())
}

export async function deleteBlackout(actor: Actor, id: string): Promise<void> {
  const blackout = found(await Blackout.findById(id).lean())
  assertInReach(actor, blackout.communityId)
  await Blackout.deleteOne({ _id: id })
  await audit(actor, 'booking.blackout.delete', { type: 'blackout', id, communityId: blackout.communityId })
}

/** Slot states of `days` local days from `date`: one query for claims, one for blackouts. */
export async function availability(
  actor: Actor,
  id: string,
  query: { date: string; days: number },
  now = new Date(),
): Promise<Availability> {
  const space = await visibleSpace(actor, id)
  const { timezone: tz } = await communityInfo(space.communityId)
  const dates = Array.from({ length: query.days }, (_, i) => shiftDate(query.date, i))
  const from = zoneDayRange(dates[0]!, tz).start
  const to = zoneDayRange(dates.at(-1)!, tz).end
  const [claims, blackouts] = await Promise.all([
    SlotClaim.find(
      { spaceId: space._id, slotStart: { $gte: from, $lt: to } },
      { _id: 0, slotStart: 1, userId: 1 },
    ).lean(),
    Blackout.find({
      communityId: space.communityId,
      spaceId: { $in: [space._id, null] },
      start: { $lt: to },
      end: { $gt: from },
    }).lean(),
  ])
  const held = new Set(claims.map((c) => c.slotStart.getTime()))
  const mine = new Set(
    claims.filter((c) => String(c.userId) === actor.userId).map((c) => c.slotStart.getTime()),
  )
  const rules = {
    openingHours: space.openingHours.map((h) => ({
      weekday: h.weekday,
      open: h.open ?? '',
      close: h.close ?? '',
    })),
    slotMinutes: space.slotMinutes,
    minNoticeMinutes: space.minNoticeMinutes,
  }
  // A slot's end is the next one's start (the same Date): each boundary is formatted once.
  let last: { at: Date; iso: string } | null = null
  const iso = (at: Date) => {
    if (last?.at !== at) last = { at, iso: at.toISOString() }
    return last.iso
  }
  return {
    spaceId: String(space._id),
    timezone: tz,
    slotMinutes: space.slotMinutes,
    days: dates.map((date) => ({
      date,
      slots: daySlotGrid(date, rules, { now, held, blackouts, tz }).map((s) => ({
        start: iso(s.start),
        end: iso(s.end),
        state: s.state,
        mine: mine.has(s.start.getTime()),
      })),
    })),
  }
}

/** A space's day for its staff: every booking that holds or held time that day, and blackouts. */
export async function spaceSchedule(actor: Actor, id: string, date: string): Promise<SpaceSchedule> {
  const space = found(await Space.findById(id).lean())
  assertInReach(actor, space.communityId)
  const { timezone: tz } = await communityInfo(space.communityId)
  const { start, end } = zoneDayRange(date, tz)
  const [bookings, blackouts] = await Promise.all([
    Booking.find({
      spaceId: space._id,
      start: { $lt: end },
      end: { $gt: start },
      status: { $in: [...holdingStatuses, 'completed', 'noShow'] },
    })
      .sort({ start: 1 })
      .lean(),
    Blackout.find({
      communityId: space.communityId,
      spaceId: { $in: [space._id, null] },
      start: { $lt: end },
      end: { $gt: start },
    }).lean(),
  ])
  return {
    spaceId: String(space._id),
    date,
    timezone: tz,
    bookings: bookings.map((b) => maskBooking(toBookingDto(b))),
    blackouts: blackouts.map(toBlackoutDto),
  }
}

export const maskBooking = (b: BookingDto): BookingDto => ({
  ...b,
  residentName: maskName(b.residentName),
  contactPhone: maskPhone(b.contactPhone),
})
