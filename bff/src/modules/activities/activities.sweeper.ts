import { AUTO_CHECK_OUT_AFTER_MINUTES } from '@linli/shared-types'
import type { Sweeper } from '../../jobs/sweepers'
import type { AppDeps } from '../../platform/deps'
import { loadActor } from '../auth/actor'
import { communityInfo } from '../org/org.service'
import { type ActivityDoc, ActivityModel, SessionModel, type SignUpDoc, SignUpModel } from './activity.model'
import { closeAttendance, payHours } from './attendance.service'
import { dueSessions, materialise, scheduleNextGeneration } from './sessions'

const MINUTE = 60_000
const BATCH = 200

/** Rolls each due weekly series' sessions forward to the horizon (idempotent under the unique index). */
export async function extendSeries(now: Date): Promise<number> {
  const series = (await ActivityModel.find({ status: 'published', nextGenerateAt: { $lte: now } })
    .limit(BATCH)
    .lean()) as ActivityDoc[]
  let created = 0
  for (const activity of series) {
    const { timezone: tz } = await communityInfo(activity.communityId)
    const times = await dueSessions(activity, now, tz)
    const actor = activity.spaceId ? await loadActor(String(activity.createdBy)) : null
    created += (await materialise(activity, times, actor, now, false)).length
    await scheduleNextGeneration(activity, times, now, tz)
  }
  return created
}

/** Volunteers still checked in well after the end are checked out at the end (hours capped there). */
export async function autoCheckOut(deps: AppDeps, now: Date): Promise<number> {
  const stale = (await SignUpModel.find({
    status: 'checkedIn',
    end: { $lte: new Date(now.getTime() - AUTO_CHECK_OUT_AFTER_MINUTES * MINUTE) },
  })
    .limit(BATCH)
    .lean()) as SignUpDoc[]
  let closed = 0
  for (const s of stale) if (await closeAttendance(s._id, s.end, true, deps.log)) closed++
  return closed
}

/**
 * Finishes what a crash can leave: a check-out whose hours were not yet handed to the points events,
 * a sign-up stuck in `claiming`, and session counters that drifted from the sign-ups (recounted only
 * on sessions untouched for a while, with the read `updatedAt` as the guard).
 */
export async function repair(deps: AppDeps, now: Date): Promise<number> {
  const quiet = new Date(now.getTime() - 2 * MINUTE)
  let repaired = 0
  const unpaid = (await SignUpModel.find({ status: 'checkedOut', eventAt: null, updatedAt: { $lt: quiet } })
    .limit(BATCH)
    .lean()) as SignUpDoc[]
  for (const s of unpaid) {
    await payHours(s, deps.log)
    repaired++
  }
  const stuck = await SignUpModel.find({ status: 'claiming', updatedAt: { $lt: quiet } })
    .limit(BATCH)
    .lean()
  const touched = new Set<string>()
  for (const s of stuck) {
    const res = await SignUpModel.updateOne(
      { _id: s._id, status: 'claiming' },
      { $set: { status: 'cancelled' } },
    )
    if (res.modifiedCount) touched.add(String(s.sessionId))
  }
  for (const id of touched) {
    const session = await SessionModel.findById(id).lean()
    if (!session || session.updatedAt > quiet) continue
    const [holding, waiting] = await Promise.all([
      SignUpModel.countDocuments({
        sessionId: id,
        status: { $in: ['confirmed', 'checkedIn', 'checkedOut'] },
      }),
      SignUpModel.countDocuments({ sessionId: id, status: 'waitlisted' }),
    ])
    const res = await SessionModel.updateOne(
      { _id: id, updatedAt: session.updatedAt },
      { $set: { free: session.places - holding, waitlisted: waiting } },
    )
    repaired += res.modifiedCount
  }
  return repaired
}

export const activitiesSweeper: Sweeper = {
  name: 'activities',
  everyMs: 60_000,
  async run(deps, now) {
    return {
      generated: await extendSeries(now),
      checkedOut: await autoCheckOut(deps, now),
      repaired: await repair(deps, now),
    }
  },
}
