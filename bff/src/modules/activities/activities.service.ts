import {
  type Activity as ActivityDto,
  type ActivityStatus,
  type CreateActivityBody,
  type PageQuery,
  type Session as SessionDto,
  type SessionTime,
  type UpdateActivityBody,
  zoneDate,
  zoneDayRange,
} from '@linli/shared-types'
import type { z } from 'zod'
import { AppError, fail, found } from '../../platform/errors'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach, communitiesInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { cancelBooking } from '../booking/booking.service'
import { Space } from '../booking/space.model'
import { communityInfo } from '../org/org.service'
import { OrgUnit } from '../org/org-unit.model'
import { appliedRules, ruleFor } from '../points/rules'
import { canSee, toSessionDtos, toSummary } from './activities.dto'
import { type ActivityDoc, ActivityModel, type SessionDoc, SessionModel } from './activity.model'
import { cancelSessions, dueSessions, materialise, scheduleNextGeneration } from './sessions'
import { promote } from './signups.service'

const MINUTE = 60_000

/** The activity if the actor may see it; another community's answers 404. */
async function visible(actor: Actor, id: string): Promise<ActivityDoc> {
  const activity = found((await ActivityModel.findById(id).lean()) as ActivityDoc | null)
  if (!canSee(actor, activity.communityId)) throw new AppError('NOT_FOUND')
  return activity
}

async function toActivityDto(actor: Actor, a: ActivityDoc, now = new Date()): Promise<ActivityDto> {
  const { timezone } = await communityInfo(a.communityId)
  const sessions = (await SessionModel.find({ activityId: a._id, end: { $gt: now } })
    .sort({ start: 1 })
    .limit(60)
    .lean()) as SessionDoc[]
  const next = sessions.find((s) => s.status === 'scheduled')
  const w = a.weekly
  return {
    ...toSummary(a, next?.start ?? null),
    description: a.description,
    spaceId: a.spaceId ? String(a.spaceId) : null,
    contactPhone: a.contactPhone,
    audience: { courtyardIds: a.courtyardIds.map(String), ageGroup: a.ageGroup as 'all' },
    schedule: w
      ? {
          kind: 'weekly',
          weekdays: w.weekdays,
          startTime: w.startTime ?? '',
          durationMinutes: w.durationMinutes ?? 0,
          startDate: w.startDate ?? '',
          endDate: w.endDate ?? null,
          exceptions: w.exceptions,
        }
      : { kind: 'once' },
    timezone,
    sessions: await toSessionDtos(actor, sessions),
  }
}

function onceTimes(sessions: { start: string; end: string }[], now: Date, tz: string): SessionTime[] {
  return sessions.map((s) => {
    const start = new Date(s.start)
    const end = new Date(s.end)
    const minutes = (end.getTime() - start.getTime()) / MINUTE
    if (!(minutes >= 15 && minutes <= 720))
      fail('ACTIVITY_SCHEDULE_INVALID', '每场时长须在15分钟到12小时之间')
    if (end <= now) fail('ACTIVITY_SCHEDULE_INVALID', '不能安排已经结束的场次')
    return { date: zoneDate(start, tz), start, end }
  })
}

export async function createActivity(
  actor: Actor,
  body: CreateActivityBody,
  now = new Date(),
): Promise<ActivityDto> {
  assertInReach(actor, body.communityId)
  const { timezone: tz } = await communityInfo(body.communityId)
  const { schedule } = body
  if (schedule.kind === 'weekly' && schedule.endDate && schedule.endDate < schedule.startDate)
    fail('ACTIVITY_SCHEDULE_INVALID', '结束日期不能早于开始日期')
  if (body.spaceId) {
    const space = await Space.findById(body.spaceId).lean()
    if (!space || String(space.communityId) !== body.communityId)
      throw new AppError('NOT_FOUND', '场地不存在')
    if (body.placesPerSession > space.capacity) fail('BOOKING_CAPACITY_EXCEEDED')
  }
  const courtyards = body.audience.courtyardIds
  if (
    courtyards.length &&
    (await OrgUnit.countDocuments({
      _id: { $in: courtyards },
      level: 'courtyard',
      communityId: body.communityId,
    })) !== new Set(courtyards).size
  )
    fail('ORG_UNIT_MISMATCH')
  const rate = ruleFor(await appliedRules(body.communityId), 'volunteer.served')?.points ?? 0
  const activity = (
    await ActivityModel.create({
      communityId: body.communityId,
      title: body.title,
      description: body.description,
      photos: body.photos,
      location: body.location,
      spaceId: body.spaceId,
      contactPhone: body.contactPhone,
      courtyardIds: courtyards,
      ageGroup: body.audience.ageGroup,
      volunteer: body.volunteer,
      pointsPerHour: body.volunteer ? (body.pointsPerHour ?? rate) : 0,
      placesPerSession: body.placesPerSession,
      scheduleKind: schedule.kind,
      weekly: schedule.kind === 'weekly' ? { ...schedule, kind: undefined } : null,
      createdBy: actor.userId,
    })
  ).toObject() as ActivityDoc
  try {
    const times =
      schedule.kind === 'once' ? onceTimes(schedule.sessions, now, tz) : await dueSessions(activity, now, tz)
    if (!times.length) fail('ACTIVITY_SCHEDULE_INVALID', '该安排在近期没有场次')
    await materialise(activity, times, actor, now, true)
    if (activity.weekly) await scheduleNextGeneration(activity, times, now, tz)
  } catch (error) {
    await undoPublication(actor, activity)
    throw error
  }
  await audit(
    actor,
    'activity.create',
    { type: 'activity', id: String(activity._id), communityId: body.communityId },
    {
      title: body.title,
      volunteer: body.volunteer,
    },
  )
  return toActivityDto(actor, activity, now)
}

/** Publication failed part-way (e.g. the space is taken one week): nothing of it stays. */
async function undoPublication(actor: Actor, activity: ActivityDoc): Promise<void> {
  const sessions = await SessionModel.find({ activityId: activity._id }).lean()
  for (const s of sessions)
    if (s.bookingId)
      await cancelBooking(actor, String(s.bookingId), { reason: '活动发布未完成' }).catch(() => {})
  await SessionModel.deleteMany({ activityId: activity._id })
  await ActivityModel.deleteOne({ _id: activity._id })
}

export async function updateActivity(
  actor: Actor,
  id: string,
  body: UpdateActivityBody,
  now = new Date(),
): Promise<ActivityDto> {
  const activity = found((await ActivityModel.findById(id).lean()) as ActivityDoc | null)
  assertInReach(actor, activity.communityId)
  if (activity.status === 'cancelled') fail('ACTIVITY_CANCELLED')
  const { timezone: tz } = await communityInfo(activity.communityId)
  const upcoming = { activityId: activity._id, status: 'scheduled', end: { $gt: now } }
  const display = {
    ...(body.title ? { title: body.title } : {}),
    ...(body.location ? { location: body.location } : {}),
  }
  if (body.placesPerSession !== undefined) {
    // Each session moves its places and free places together, refused where it would drop below 0.
    const sessions = await SessionModel.find(upcoming).lean()
    for (const s of sessions) {
      const delta = body.placesPerSession - s.places
      const moved = await SessionModel.updateOne(
        { _id: s._id, places: s.places, free: { $gte: -delta } },
        { $inc: { places: delta, free: delta } },
      )
      if (!moved.modifiedCount) fail('ACTIVITY_PLACES_BELOW_SIGNUPS', `${s.date} 已有报名超过新名额`)
      if (delta > 0) await promote(s._id, now)
    }
  }
  await ActivityModel.updateOne(
    { _id: id },
    {
      $set: {
        ...display,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.photos ? { photos: body.photos } : {}),
        ...(body.contactPhone ? { contactPhone: body.contactPhone } : {}),
        ...(body.placesPerSession !== undefined ? { placesPerSession: body.placesPerSession } : {}),
      },
      ...(body.addExceptions?.length && activity.weekly
        ? { $addToSet: { 'weekly.exceptions': { $each: body.addExceptions } } }
        : {}),
    },
  )
  if (Object.keys(display).length) {
    await SessionModel.updateMany({ activityId: activity._id }, { $set: display })
  }
  if (body.addExceptions?.length) {
    const skipped = await SessionModel.find({ ...upcoming, date: { $in: body.addExceptions } }).lean()
    await cancelSessions(actor, skipped as SessionDoc[], body.reason ?? '该日期暂停一次', tz)
  }
  if (body.status === 'cancelled') {
    await ActivityModel.updateOne({ _id: id }, { $set: { status: 'cancelled', nextGenerateAt: null } })
    const sessions = await SessionModel.find(upcoming).lean()
    await cancelSessions(actor, sessions as SessionDoc[], body.reason ?? '活动已取消', tz)
  }
  await audit(
    actor,
    'activity.update',
    { type: 'activity', id, communityId: activity.communityId },
    { ...body },
  )
  return toActivityDto(actor, found((await ActivityModel.findById(id).lean()) as ActivityDoc | null), now)
}

export async function getActivity(actor: Actor, id: string): Promise<ActivityDto> {
  return toActivityDto(actor, await visible(actor, id))
}

/** The community a listing is about: the one asked for if visible, else the caller's own. */
function listingCommunity(actor: Actor, communityId: string | undefined): string | null {
  if (communityId) return canSee(actor, communityId) ? communityId : null
  if (actor.residency.status === 'verified' && actor.residency.communityId) return actor.residency.communityId
  const reach = communitiesInReach(actor)
  return reach === 'all' ? null : (reach[0] ?? null)
}

export async function listActivities(
  actor: Actor,
  query: PageQuery & {
    communityId?: string | undefined
    status?: z.infer<typeof ActivityStatus> | undefined
  },
  now = new Date(),
) {
  const communityId = listingCommunity(actor, query.communityId)
  if (!communityId) return { items: [], nextCursor: null }
  const page = await paginate(
    ActivityModel,
    { communityId, ...(query.status ? { status: query.status } : {}) },
    { limit: query.limit, cursor: query.cursor, order: 'desc' },
  )
  const items = await Promise.all(
    page.items.map(async (a) => {
      const next = await SessionModel.findOne({ activityId: a._id, status: 'scheduled', end: { $gt: now } })
        .sort({ start: 1 })
        .lean()
      return toSummary(a as ActivityDoc, next?.start ?? null)
    }),
  )
  return { items, nextCursor: page.nextCursor }
}

/** Sessions of a community by local date, from `from` (default today) for `days` days. */
export async function listSessions(
  actor: Actor,
  query: {
    communityId?: string | undefined
    from?: string | undefined
    days: number
    volunteer?: boolean | undefined
  },
  now = new Date(),
): Promise<{ timezone: string; items: SessionDto[] }> {
  const communityId = listingCommunity(actor, query.communityId)
  if (!communityId) return { timezone: 'Asia/Shanghai', items: [] }
  const { timezone: tz } = await communityInfo(communityId)
  const from = query.from ?? zoneDate(now, tz)
  const start = zoneDayRange(from, tz).start
  const end = new Date(start.getTime() + query.days * 1440 * MINUTE)
  const sessions = (await SessionModel.find({
    communityId,
    start: { $gte: start, $lt: end },
    ...(query.volunteer !== undefined ? { volunteer: query.volunteer } : {}),
  })
    .sort({ start: 1 })
    .limit(200)
    .lean()) as SessionDoc[]
  return { timezone: tz, items: await toSessionDtos(actor, sessions) }
}
