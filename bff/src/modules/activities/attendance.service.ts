import {
  maskPhone,
  normalizeCode,
  type Roster,
  type SignUp as SignUpDto,
  type SignUpStatus,
  servedMinutes,
  sessionCheckInState,
  sessionLabel,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError, fail, found } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { canSee, toSessionDtos, toSignUpDtos, volunteerEventKey, waitlistPosition } from './activities.dto'
import { type SessionDoc, SessionModel, type SignUpDoc, SignUpModel } from './activity.model'

/** The actor's sign-up for a session they may see, after checking the code shown at the session. */
async function ownSignUp(actor: Actor, sessionId: string, code: string) {
  const session = found((await SessionModel.findById(sessionId).lean()) as SessionDoc | null)
  if (!canSee(actor, session.communityId)) throw new AppError('NOT_FOUND')
  const signUp = (await SignUpModel.findOne({ sessionId, userId: actor.userId }).lean()) as SignUpDoc | null
  if (!signUp || signUp.status === 'claiming' || signUp.status === 'cancelled') fail('SESSION_NOT_SIGNED_UP')
  if (normalizeCode(code) !== session.checkInCode) fail('SESSION_CODE_INVALID')
  return { session, signUp: signUp! }
}

const one = async (doc: SignUpDoc) => (await toSignUpDtos([doc]))[0]!

export async function checkIn(
  actor: Actor,
  sessionId: string,
  code: string,
  now = new Date(),
): Promise<SignUpDto> {
  const { session, signUp } = await ownSignUp(actor, sessionId, code)
  if (signUp.status === 'waitlisted') fail('SESSION_NOT_CONFIRMED')
  if (signUp.status === 'checkedIn' || signUp.status === 'checkedOut') fail('SESSION_ALREADY_CHECKED_IN')
  if (session.status !== 'scheduled' || sessionCheckInState(session.start, session.end, now) !== 'open')
    fail('SESSION_CHECK_IN_NOT_OPEN')
  const done = (await SignUpModel.findOneAndUpdate(
    { _id: signUp._id, status: 'confirmed' },
    { $set: { status: 'checkedIn', checkedInAt: now } },
    { new: true },
  ).lean()) as SignUpDoc | null
  // A concurrent twin of this request won: the second one is refused like any repeat.
  if (!done) fail('SESSION_ALREADY_CHECKED_IN')
  return one(done!)
}

export async function checkOut(
  actor: Actor,
  sessionId: string,
  code: string,
  now = new Date(),
  log?: Logger,
): Promise<SignUpDto> {
  const { signUp } = await ownSignUp(actor, sessionId, code)
  if (signUp.status === 'confirmed' || signUp.status === 'waitlisted') fail('SESSION_NOT_CHECKED_IN')
  if (signUp.status === 'checkedOut') fail('SESSION_ALREADY_CHECKED_OUT')
  const done = await closeAttendance(signUp._id, now, false, log)
  // The sweeper checked them out at the session's end a moment ago.
  if (!done) fail('SESSION_ALREADY_CHECKED_OUT')
  return one(done!)
}

/**
 * Checks a sign-up out (guarded checkedIn → checkedOut, so the volunteer's request and the sweeper
 * cannot both do it) and, for volunteer service, emits the hours as a `volunteer.served` event keyed
 * by the sign-up: the points ledger pays it at most once. `eventAt` marks the emit done; the
 * sweeper re-emits for a check-out whose process died before that.
 */
export async function closeAttendance(
  id: Types.ObjectId | string,
  at: Date,
  auto: boolean,
  log?: Logger,
): Promise<SignUpDoc | null> {
  const current = (await SignUpModel.findById(id).lean()) as SignUpDoc | null
  if (!current || current.status !== 'checkedIn' || !current.checkedInAt) return null
  const minutes = servedMinutes(current.checkedInAt, at, current.start, current.end)
  const done = (await SignUpModel.findOneAndUpdate(
    { _id: id, status: 'checkedIn' },
    { $set: { status: 'checkedOut', checkedOutAt: at, servedMinutes: minutes, autoCheckedOut: auto } },
    { new: true },
  ).lean()) as SignUpDoc | null
  if (done) await payHours(done, log)
  return done
}

export async function payHours(s: SignUpDoc, log?: Logger): Promise<void> {
  if (s.volunteer && (s.servedMinutes ?? 0) > 0)
    await emitEvent(
      {
        key: volunteerEventKey(s._id),
        type: 'volunteer.served',
        userId: String(s.userId),
        communityId: String(s.communityId),
        at: s.checkedOutAt ?? new Date(),
        data: { minutes: s.servedMinutes, pointsPerHour: s.pointsPerHour, refId: String(s._id) },
      },
      log,
    )
  await SignUpModel.updateOne({ _id: s._id }, { $set: { eventAt: new Date() } })
}

/** Staff of the session's community only; anyone else gets 404. */
async function staffSession(actor: Actor, id: string): Promise<SessionDoc> {
  const session = found((await SessionModel.findById(id).lean()) as SessionDoc | null)
  assertInReach(actor, session.communityId)
  return session
}

export async function roster(actor: Actor, id: string): Promise<Roster> {
  const session = await staffSession(actor, id)
  const entries = (await SignUpModel.find({ sessionId: session._id, status: { $ne: 'claiming' } })
    .sort({ seq: 1 })
    .lean()) as SignUpDoc[]
  const [dto] = await toSessionDtos(actor, [session])
  return {
    session: dto!,
    entries: await Promise.all(
      entries.map(async (e) => ({
        signUpId: String(e._id),
        userId: String(e.userId),
        name: e.name,
        phone: e.phone ? maskPhone(e.phone) : null,
        status: e.status as SignUpStatus,
        position: e.status === 'waitlisted' ? await waitlistPosition(e) : null,
        checkedInAt: e.checkedInAt?.toISOString() ?? null,
        checkedOutAt: e.checkedOutAt?.toISOString() ?? null,
        servedMinutes: e.servedMinutes ?? null,
      })),
    ),
  }
}

/** Tells the roster (places holders, or everyone incl. the waitlist) a message from the organiser. */
export async function messageRoster(
  actor: Actor,
  id: string,
  body: { body: string; to: 'confirmed' | 'all' },
): Promise<{ sent: number }> {
  const session = await staffSession(actor, id)
  const statuses = body.to === 'all' ? ['confirmed', 'checkedIn', 'waitlisted'] : ['confirmed', 'checkedIn']
  const to = await SignUpModel.find({ sessionId: session._id, status: { $in: statuses } }).lean()
  const { timezone: tz } = await communityInfo(session.communityId)
  const stamp = Date.now()
  let sent = 0
  for (const s of to)
    if (
      await notify({
        userId: String(s.userId),
        communityId: String(s.communityId),
        kind: 'activity.message',
        title: `${session.title}：组织者消息`,
        body: `${sessionLabel(session.start, session.end, tz)}。${body.body}`,
        link: '/packages/activities/mine/index',
        dedupeKey: `activity.message:${id}:${stamp}:${String(s.userId)}`,
      })
    )
      sent++
  await audit(
    actor,
    'activity.message',
    { type: 'activitySession', id, communityId: session.communityId },
    {
      to: body.to,
      sent,
    },
  )
  return { sent }
}
