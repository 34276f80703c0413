import {
  type PageQuery,
  type SignUp as SignUpDto,
  type SignUpStatus,
  sessionLabel,
  type VolunteerService,
} from '@linli/shared-types'
import { Types } from 'mongoose'
import { AppError, fail, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import { type Actor, requireVerifiedResident } from '../../platform/policy'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { LedgerEntry } from '../points/points.model'
import { residentIdentity } from '../residency/resident-identity'
import { toSignUpDtos } from './activities.dto'
import { type SessionDoc, SessionModel, type SignUpDoc, SignUpModel } from './activity.model'

/*
 * Places and the waitlist, without transactions. The session document holds `free` (places left),
 * `waitlisted` and `seq`, an arrival counter. A sign-up takes the next `seq` in the very update that
 * decides its fate: a place (`free > 0` and nobody waiting) or the waitlist. So confirmed sign-ups
 * always precede waitlisted ones in arrival order, and the waitlist is promoted lowest `seq` first.
 * Sign-up and cancel stay open until the session ends (late arrivals fill a place a no-show freed).
 */

/** Fills free places from the waitlist in arrival order; each promoted person is told once. */
export async function promote(sessionId: Types.ObjectId | string, now = new Date()): Promise<number> {
  let promoted = 0
  for (let guard = 0; guard < 1000; guard++) {
    const next = await SignUpModel.findOne({ sessionId, status: 'waitlisted' }).sort({ seq: 1 }).lean()
    if (!next) break
    const place = await SessionModel.findOneAndUpdate(
      { _id: sessionId, status: 'scheduled', free: { $gt: 0 }, end: { $gt: now } },
      { $inc: { free: -1, waitlisted: -1 } },
    ).lean()
    if (!place) break
    const done = (await SignUpModel.findOneAndUpdate(
      { _id: next._id, status: 'waitlisted' },
      { $set: { status: 'confirmed', promotedAt: now } },
      { new: true },
    ).lean()) as SignUpDoc | null
    if (!done) {
      // Someone else promoted or cancelled it meanwhile: give the place back and look again.
      await SessionModel.updateOne({ _id: sessionId }, { $inc: { free: 1, waitlisted: 1 } })
      continue
    }
    promoted++
    const { timezone: tz } = await communityInfo(done.communityId)
    await notify({
      userId: String(done.userId),
      communityId: String(done.communityId),
      kind: 'activity.promoted',
      title: '候补成功，您已获得名额',
      body: `${done.title} ${sessionLabel(done.start, done.end, tz)}，地点：${done.location}`,
      link: '/packages/activities/mine/index',
      dedupeKey: `activity.promoted:${String(done._id)}`,
      subscribe: {
        template: 'activity_status',
        data: {
          thing1: done.title.slice(0, 20),
          time2: sessionLabel(done.start, done.end, tz),
          phrase3: '候补成功',
        },
      },
    })
  }
  return promoted
}

export async function signUp(actor: Actor, sessionId: string, now = new Date()): Promise<SignUpDto> {
  const residency = requireVerifiedResident(actor)
  const session = found((await SessionModel.findById(sessionId).lean()) as SessionDoc | null)
  if (String(session.communityId) !== residency.communityId) throw new AppError('NOT_FOUND')
  if (session.status !== 'scheduled' || session.end <= now) fail('SIGNUP_CLOSED')
  if (session.courtyardIds.length && !session.courtyardIds.map(String).includes(residency.courtyardId ?? ''))
    fail('ACTIVITY_AUDIENCE_MISMATCH')
  const who = await residentIdentity(actor)

  // 1. The intent: a `claiming` sign-up, unique per (session, user); a cancelled one is revived.
  let intent: SignUpDoc | null
  try {
    intent = (
      await SignUpModel.create({
        sessionId: session._id,
        activityId: session.activityId,
        communityId: session.communityId,
        userId: actor.userId,
        name: who.name,
        phone: who.phone,
        title: session.title,
        location: session.location,
        volunteer: session.volunteer,
        pointsPerHour: session.pointsPerHour,
        start: session.start,
        end: session.end,
        status: 'claiming',
      })
    ).toObject() as SignUpDoc
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    intent = (await SignUpModel.findOneAndUpdate(
      { sessionId: session._id, userId: actor.userId, status: 'cancelled' },
      { $set: { status: 'claiming', seq: null, cancelledAt: null, promotedAt: null, name: who.name } },
      { new: true },
    ).lean()) as SignUpDoc | null
    if (!intent) fail('ALREADY_SIGNED_UP')
  }

  // 2. A place, or else the waitlist; either way the arrival number comes with it.
  let status: SignUpStatus = 'confirmed'
  let taken = await SessionModel.findOneAndUpdate(
    { _id: session._id, status: 'scheduled', end: { $gt: now }, free: { $gt: 0 }, waitlisted: { $lte: 0 } },
    { $inc: { free: -1, seq: 1 } },
    { new: true },
  ).lean()
  if (!taken) {
    status = 'waitlisted'
    taken = await SessionModel.findOneAndUpdate(
      { _id: session._id, status: 'scheduled', end: { $gt: now } },
      { $inc: { waitlisted: 1, seq: 1 } },
      { new: true },
    ).lean()
  }
  if (!taken) {
    await SignUpModel.updateOne({ _id: intent!._id, status: 'claiming' }, { $set: { status: 'cancelled' } })
    return fail('SIGNUP_CLOSED')
  }

  // 3. Settle the sign-up. A waitlisted arrival may have missed a place freed between our updates.
  const done = (await SignUpModel.findOneAndUpdate(
    { _id: intent!._id, status: 'claiming' },
    { $set: { status, seq: taken.seq } },
    { new: true },
  ).lean()) as SignUpDoc | null
  if (!done) fail('SIGNUP_STATUS_CONFLICT')
  if (status === 'waitlisted') await promote(session._id, now)
  const fresh = (await SignUpModel.findById(done!._id).lean()) as SignUpDoc
  return (await toSignUpDtos([fresh]))[0]!
}

export async function cancelSignUp(actor: Actor, id: string, now = new Date()): Promise<SignUpDto> {
  const own = found((await SignUpModel.findById(id).lean()) as SignUpDoc | null)
  if (String(own.userId) !== actor.userId || own.status === 'claiming') throw new AppError('NOT_FOUND')
  const before = (await SignUpModel.findOneAndUpdate(
    { _id: id, status: { $in: ['confirmed', 'waitlisted'] }, end: { $gt: now } },
    { $set: { status: 'cancelled', cancelledAt: now } },
  ).lean()) as SignUpDoc | null
  if (!before) fail('SIGNUP_STATUS_CONFLICT')
  await SessionModel.updateOne(
    { _id: own.sessionId },
    { $inc: before!.status === 'confirmed' ? { free: 1 } : { waitlisted: -1 } },
  )
  if (before!.status === 'confirmed') await promote(own.sessionId, now)
  return (await toSignUpDtos([(await SignUpModel.findById(id).lean()) as SignUpDoc]))[0]!
}

export async function listMySignUps(actor: Actor, query: PageQuery & { status?: SignUpStatus | undefined }) {
  const filter = {
    userId: actor.userId,
    ...(query.status ? { status: query.status } : { status: { $ne: 'claiming' } }),
  }
  const page = await paginate(SignUpModel, filter, {
    limit: query.limit,
    cursor: query.cursor,
    order: 'desc',
  })
  return { items: await toSignUpDtos(page.items as SignUpDoc[]), nextCursor: page.nextCursor }
}

/** Sessions served, minutes and the volunteer points the ledger paid for them. */
export async function myVolunteerService(actor: Actor): Promise<VolunteerService> {
  const userId = new Types.ObjectId(actor.userId)
  // FerretDB v1.24 computes only the first accumulator of a $group: one sum per aggregation.
  const [minutes, sessions, points] = await Promise.all([
    SignUpModel.aggregate<{ sum: number }>([
      { $match: { userId, status: 'checkedOut', volunteer: true } },
      { $group: { _id: null, sum: { $sum: '$servedMinutes' } } },
    ]),
    SignUpModel.countDocuments({ userId, status: 'checkedOut', volunteer: true }),
    LedgerEntry.aggregate<{ sum: number }>([
      { $match: { userId, account: 'volunteer', refType: 'volunteer.served' } },
      { $group: { _id: null, sum: { $sum: '$delta' } } },
    ]),
  ])
  return { sessions, minutes: minutes[0]?.sum ?? 0, points: points[0]?.sum ?? 0 }
}
