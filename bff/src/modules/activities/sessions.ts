import { randomInt } from 'node:crypto'
import {
  makeCode,
  SESSION_CODE_LENGTH,
  SESSION_HORIZON_DAYS,
  type SessionTime,
  sessionLabel,
  shiftDate,
  weeklySessions,
  zoneDate,
  zoneMidnight,
} from '@linli/shared-types'
import { AppError } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Actor } from '../../platform/policy'
import { cancelBooking, createBooking } from '../booking/booking.service'
import { Space } from '../booking/space.model'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { type ActivityDoc, ActivityModel, type SessionDoc, SessionModel, SignUpModel } from './activity.model'

/*
 * Sessions are MATERIALISED: one document per session, written at publication for a horizon
 * (SESSION_HORIZON_DAYS, or the space's booking window when the activity books a space) and rolled
 * forward by the activities sweeper. Computing them on the fly from the weekly rule would leave the
 * per-session state nowhere to live: the places counter and arrival number every concurrent sign-up
 * races on with a guarded `$inc`, the check-in code, the space booking, a cancelled date. A unique
 * index (activityId, start) makes generation idempotent when the sweeper and a request, or two
 * instances, generate the same week at once; an open-ended series costs only the horizon's documents.
 */

/** Last local date to materialise: the horizon, but never past the space's booking window. */
export async function horizonEnd(activity: ActivityDoc, today: string): Promise<string> {
  const from = activity.weekly && activity.weekly.startDate! > today ? activity.weekly.startDate! : today
  let end = shiftDate(from, SESSION_HORIZON_DAYS)
  if (activity.spaceId) {
    const space = await Space.findById(activity.spaceId).lean()
    const limit = shiftDate(today, space?.bookingWindowDays ?? 0)
    if (limit < end) end = limit
  }
  return end
}

/** The weekly rule's sessions still to come up to the horizon (a session under way still counts). */
export async function dueSessions(activity: ActivityDoc, now: Date, tz: string): Promise<SessionTime[]> {
  const w = activity.weekly
  if (!w) return []
  const today = zoneDate(now, tz)
  const rule = {
    weekdays: w.weekdays,
    startTime: w.startTime ?? '00:00',
    durationMinutes: w.durationMinutes ?? 60,
    startDate: w.startDate ?? today,
    endDate: w.endDate ?? null,
    exceptions: w.exceptions,
  }
  return weeklySessions(rule, today, await horizonEnd(activity, today), tz).filter((s) => s.end > now)
}

/**
 * Records how far a series is materialised and when the horizon next moves (the next local
 * midnight), or never once the series has ended, so the sweeper reads only series that are due.
 */
export async function scheduleNextGeneration(
  activity: ActivityDoc,
  times: SessionTime[],
  now: Date,
  tz: string,
): Promise<void> {
  const today = zoneDate(now, tz)
  const ended = activity.weekly?.endDate
    ? activity.weekly.endDate <= (await horizonEnd(activity, today))
    : false
  const last = times.at(-1)?.date ?? activity.generatedUntil ?? null
  await ActivityModel.updateOne(
    { _id: activity._id },
    {
      $set: {
        generatedUntil:
          last && (!activity.generatedUntil || last > activity.generatedUntil)
            ? last
            : activity.generatedUntil,
        nextGenerateAt: ended ? null : zoneMidnight(shiftDate(today, 1), tz),
      },
    },
  )
}

/**
 * Writes the sessions not written yet and books the activity's space for each, as the community
 * (through the booking module: its slot claims keep the space from being double-booked). With
 * `strict`, the first booking failure throws (publication fails as a whole); otherwise the session
 * keeps the failure in `bookingError` and the organiser is told.
 */
export async function materialise(
  activity: ActivityDoc,
  times: SessionTime[],
  actor: Actor | null,
  now: Date,
  strict: boolean,
): Promise<SessionDoc[]> {
  const existing = new Set(
    (
      await SessionModel.find({ activityId: activity._id, start: { $in: times.map((t) => t.start) } }).lean()
    ).map((s) => s.start.getTime()),
  )
  const created: SessionDoc[] = []
  for (const t of times) {
    if (existing.has(t.start.getTime())) continue
    let session: SessionDoc
    try {
      session = (
        await SessionModel.create({
          activityId: activity._id,
          communityId: activity.communityId,
          title: activity.title,
          location: activity.location,
          volunteer: activity.volunteer,
          pointsPerHour: activity.pointsPerHour,
          ageGroup: activity.ageGroup,
          courtyardIds: activity.courtyardIds,
          date: t.date,
          start: t.start,
          end: t.end,
          places: activity.placesPerSession,
          free: activity.placesPerSession,
          checkInCode: makeCode(SESSION_CODE_LENGTH, randomInt),
        })
      ).toObject() as SessionDoc
    } catch (error) {
      if (isDuplicateKey(error)) continue // another instance wrote it
      throw error
    }
    created.push(session)
    if (activity.spaceId) await bookSpace(activity, session, actor, now, strict)
  }
  return created
}

async function bookSpace(
  activity: ActivityDoc,
  session: SessionDoc,
  actor: Actor | null,
  now: Date,
  strict: boolean,
): Promise<void> {
  try {
    if (!actor) throw new AppError('FORBIDDEN')
    const booking = await createBooking(
      actor,
      {
        spaceId: String(activity.spaceId),
        start: session.start.toISOString(),
        end: session.end.toISOString(),
        purpose: activity.title,
        attendees: activity.placesPerSession,
        contactPhone: activity.contactPhone,
        forCommunity: true,
      },
      now,
    )
    await SessionModel.updateOne({ _id: session._id }, { $set: { bookingId: booking.id } })
  } catch (error) {
    if (strict || !(error instanceof AppError)) throw error
    await SessionModel.updateOne({ _id: session._id }, { $set: { bookingError: error.code } })
    const { timezone: tz } = await communityInfo(activity.communityId)
    await notify({
      userId: String(activity.createdBy),
      communityId: String(activity.communityId),
      kind: 'activity.spaceUnavailable',
      title: '活动场地未能预订',
      body: `${activity.title} ${sessionLabel(session.start, session.end, tz)}：${error.message}`,
      link: `/packages/activities/detail/index?id=${String(activity._id)}`,
      dedupeKey: `activity.spaceUnavailable:${String(session._id)}`,
    })
  }
}

/**
 * Cancels sessions (a skipped date, a cancelled activity): the session first (so no one signs up
 * any more), then its space booking, then everyone signed up or waiting, each told once.
 */
export async function cancelSessions(
  actor: Actor,
  sessions: SessionDoc[],
  reason: string,
  tz: string,
): Promise<number> {
  let cancelled = 0
  for (const s of sessions) {
    const done = await SessionModel.findOneAndUpdate(
      { _id: s._id, status: 'scheduled' },
      { $set: { status: 'cancelled' } },
      { new: true },
    ).lean()
    if (!done) continue
    cancelled++
    if (done.bookingId)
      await cancelBooking(actor, String(done.bookingId), { reason }).catch((error) => {
        // Already cancelled or finished: nothing left to release.
        if (!(error instanceof AppError)) throw error
      })
    const affected = await SignUpModel.find({
      sessionId: s._id,
      status: { $in: ['confirmed', 'waitlisted'] },
    }).lean()
    await SignUpModel.updateMany(
      { sessionId: s._id, status: { $in: ['confirmed', 'waitlisted'] } },
      { $set: { status: 'cancelled', cancelledAt: new Date() } },
    )
    for (const a of affected)
      await notify({
        userId: String(a.userId),
        communityId: String(a.communityId),
        kind: 'activity.sessionCancelled',
        title: '活动场次已取消',
        body: `${a.title} ${sessionLabel(a.start, a.end, tz)}。${reason}`,
        link: '/packages/activities/mine/index',
        dedupeKey: `activity.sessionCancelled:${String(a._id)}`,
      })
  }
  return cancelled
}
