import {
  DEFAULT_DELIBERATION_DAY,
  DEFAULT_TIMEZONE,
  type DeliberationDay,
  localToInstant,
  nextDeliberationDate,
  type PageQuery,
} from '@linli/shared-types'
import { normalizeCode, randomCode } from '../../platform/codes'
import { AppError, fail, found } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Logger } from '../../platform/logger'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { User } from '../auth/user.model'
import { isResidentOf, isStaffOf, loadCommunity, resolveCommunityId } from './access'
import { Attendance, Day, type DayDoc, Topic, type TopicDoc } from './deliberation.model'
import { countsOf } from './topic.counts'
import { toSummary } from './topic.mapper'

/** Residents may scan the venue code from this long before the start. */
const CHECK_IN_EARLY_MS = 2 * 60 * 60 * 1000

export async function toDay(day: DayDoc, actor: Actor): Promise<DeliberationDay> {
  const [mine, attendanceCount] = await Promise.all([
    Attendance.findOne({ dayId: day._id, userId: actor.userId }).lean(),
    Attendance.countDocuments({ dayId: day._id }),
  ])
  // In session once someone checked in or the start time passed; concluded when staff say so.
  const status =
    day.status === 'concluded'
      ? 'concluded'
      : attendanceCount > 0 || day.startsAt <= new Date()
        ? 'inSession'
        : 'planned'
  return {
    id: String(day._id),
    communityId: String(day.communityId),
    date: day.date,
    startsAt: day.startsAt.toISOString(),
    place: day.place,
    status,
    attendanceCount,
    minutes: day.minutes?.text
      ? {
          text: day.minutes.text,
          decisions: (day.minutes.decisions ?? []).map((d) => ({
            topicId: String(d.topicId),
            title: d.title ?? '',
            text: d.text ?? '',
          })),
          recordedAt: (day.minutes.recordedAt ?? day.updatedAt).toISOString(),
        }
      : null,
    checkInCode: isStaffOf(actor, day.communityId) ? day.checkInCode : null,
    checkedIn: Boolean(mine),
    createdAt: day.createdAt.toISOString(),
  }
}

async function toDetail(day: DayDoc, actor: Actor) {
  const agenda = (await Topic.find({ dayId: day._id }).sort({ createdAt: 1, _id: 1 }).lean()) as TopicDoc[]
  const counts = await countsOf(agenda)
  return {
    ...(await toDay(day, actor)),
    agenda: agenda.map((t) => toSummary(t, actor, counts.get(String(t._id))!)),
  }
}

export const loadDay = async (id: string) => found((await Day.findById(id).lean()) as DayDoc | null)

export async function createDay(
  actor: Actor,
  body: { communityId?: string | undefined; date?: string | undefined; time: string; place: string },
) {
  const communityId = resolveCommunityId(actor, body.communityId)
  const community = await loadCommunity(communityId)
  assertInReach(actor, communityId)
  const tz = community.timezone ?? DEFAULT_TIMEZONE
  const date =
    body.date ??
    nextDeliberationDate(new Date(), community.deliberationDayOfMonth ?? DEFAULT_DELIBERATION_DAY, tz)
  const startsAt = localToInstant(date, body.time, tz)
  if (Number.isNaN(startsAt.getTime())) fail('RULE_VIOLATED', '日期无效')
  let day: DayDoc
  try {
    day = (
      await Day.create({
        communityId,
        date,
        startsAt,
        place: body.place,
        checkInCode: randomCode(10),
      })
    ).toObject() as DayDoc
  } catch (error) {
    if (isDuplicateKey(error)) fail('DAY_ALREADY_PLANNED')
    throw error
  }
  await audit(
    actor,
    'deliberation.day.create',
    { type: 'deliberationDay', id: String(day!._id), communityId },
    {
      date,
    },
  )
  return toDetail(day!, actor)
}

export async function listDays(
  actor: Actor,
  query: PageQuery & { communityId?: string | undefined; upcoming?: boolean | undefined },
) {
  const communityId = resolveCommunityId(actor, query.communityId)
  const community = await loadCommunity(communityId)
  const tz = community.timezone ?? DEFAULT_TIMEZONE
  const nextDate = nextDeliberationDate(
    new Date(),
    community.deliberationDayOfMonth ?? DEFAULT_DELIBERATION_DAY,
    tz,
  )
  let items: DayDoc[]
  let nextCursor: string | null = null
  if (query.upcoming) {
    // Soonest first: the app's "next deliberation day" card is the first item.
    items = (await Day.find({ communityId, status: { $in: ['planned', 'inSession'] } })
      .sort({ date: 1, _id: 1 })
      .limit(query.limit)
      .lean()) as DayDoc[]
  } else {
    const page = await paginate(
      Day,
      { communityId },
      { limit: query.limit, cursor: query.cursor, order: 'desc' },
    )
    items = page.items as unknown as DayDoc[]
    nextCursor = page.nextCursor
  }
  return {
    items: await Promise.all(items.map((d) => toDay(d, actor))),
    nextCursor,
    nextDate,
    timezone: tz,
  }
}

export async function getDay(actor: Actor, id: string) {
  return toDetail(await loadDay(id), actor)
}

export async function checkIn(
  actor: Actor,
  id: string,
  body: { code?: string | undefined; userId?: string | undefined },
  log?: Logger,
) {
  const day = await loadDay(id)
  const now = new Date()
  let userId: string
  let via: 'scan' | 'staff'
  if (body.userId) {
    assertInReach(actor, day.communityId)
    const user = await User.findById(body.userId).lean()
    if (
      !user ||
      user.residency?.status !== 'verified' ||
      String(user.residency.communityId) !== String(day.communityId)
    )
      throw new AppError('NOT_FOUND', '该居民不存在或未在本社区认证')
    userId = body.userId
    via = 'staff'
  } else {
    if (!isResidentOf(actor, day.communityId)) {
      if (actor.residency.status !== 'verified') fail('RESIDENT_NOT_VERIFIED')
      fail('FORBIDDEN')
    }
    // Codes of days planned before codes became Crockford base32 are compared as they were.
    const typed = body.code ?? ''
    if (typed !== day.checkInCode && normalizeCode(typed) !== day.checkInCode) fail('CHECK_IN_CODE_INVALID')
    if (now.getTime() < day.startsAt.getTime() - CHECK_IN_EARLY_MS) fail('CHECK_IN_NOT_OPEN')
    userId = actor.userId
    via = 'scan'
  }
  if (day.status === 'concluded') fail('DAY_CONCLUDED')
  try {
    await Attendance.create({
      dayId: day._id,
      userId,
      communityId: day.communityId,
      via,
      markedBy: via === 'staff' ? actor.userId : null,
    })
  } catch (error) {
    if (isDuplicateKey(error)) fail('ALREADY_CHECKED_IN')
    throw error
  }
  if (via === 'staff')
    await audit(
      actor,
      'deliberation.day.attendance',
      { type: 'deliberationDay', id, communityId: day.communityId, userId },
      {
        userId,
      },
    )
  await emitEvent(
    {
      key: `day.attended:${id}:${userId}`,
      type: 'day.attended',
      userId,
      communityId: String(day.communityId),
      at: now,
      data: { dayId: id },
    },
    log,
  )
  return { dayId: id, userId, attendanceCount: await Attendance.countDocuments({ dayId: day._id }) }
}

export async function recordMinutes(
  actor: Actor,
  id: string,
  body: { text: string; decisions: { topicId: string; text: string }[]; conclude: boolean },
) {
  const day = await loadDay(id)
  assertInReach(actor, day.communityId)
  const agenda = new Map(
    (await Topic.find({ dayId: day._id }, { title: 1 }).lean()).map((t) => [String(t._id), t.title]),
  )
  const decisions = body.decisions.map((d, i) => {
    const title = agenda.get(d.topicId)
    if (!title)
      throw new AppError('RULE_VIOLATED', undefined, [
        { path: ['decisions', i, 'topicId'], message: '该议题不在本次议事日的议程上' },
      ])
    return { topicId: d.topicId, title, text: d.text }
  })
  const updated = (await Day.findOneAndUpdate(
    { _id: id, status: { $in: ['planned', 'inSession'] } },
    {
      $set: {
        minutes: { text: body.text, decisions, recordedAt: new Date(), recordedBy: actor.userId },
        ...(body.conclude ? { status: 'concluded' } : {}),
      },
    },
    { new: true },
  ).lean()) as DayDoc | null
  if (!updated) fail('DAY_CONCLUDED')
  await audit(
    actor,
    'deliberation.day.minutes',
    { type: 'deliberationDay', id, communityId: day.communityId },
    {
      conclude: body.conclude,
    },
  )
  return toDetail(updated!, actor)
}
