import type {
  ActivitySummary as ActivitySummaryDto,
  AgeGroup,
  Session as SessionDto,
  SignUp as SignUpDto,
  SignUpStatus,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import type { Actor } from '../../platform/policy'
import { inReach } from '../booking/space.service'
import { LedgerEntry } from '../points/points.model'
import { type ActivityDoc, type SessionDoc, type SignUpDoc, SignUpModel } from './activity.model'

/** Statuses that hold a place in a session. */
export const placeHolding = ['confirmed', 'checkedIn', 'checkedOut'] as const

export const volunteerEventKey = (signUpId: Types.ObjectId | string) => `volunteer.served:${signUpId}`

/** Residents see their own community's activities; staff those in reach. */
export const canSee = (actor: Actor, communityId: unknown): boolean =>
  inReach(actor, communityId) ||
  (actor.residency.status === 'verified' && actor.residency.communityId === String(communityId))

/** Waitlist place (1 = next) of a waitlisted sign-up. */
export async function waitlistPosition(s: Pick<SignUpDoc, 'sessionId' | 'seq'>): Promise<number> {
  return (
    (await SignUpModel.countDocuments({
      sessionId: s.sessionId,
      status: 'waitlisted',
      seq: { $lt: s.seq },
    })) + 1
  )
}

export function toSummary(a: ActivityDoc, nextSessionStart: Date | null): ActivitySummaryDto {
  return {
    id: String(a._id),
    communityId: String(a.communityId),
    title: a.title,
    photos: a.photos,
    location: a.location,
    volunteer: a.volunteer,
    pointsPerHour: a.pointsPerHour,
    placesPerSession: a.placesPerSession,
    ageGroup: a.ageGroup as AgeGroup,
    scheduleKind: a.scheduleKind as 'once' | 'weekly',
    status: a.status as 'published',
    nextSessionStart: nextSessionStart?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  }
}

/** Sessions as the actor sees them: with their own sign-up, and the check-in code for staff. */
export async function toSessionDtos(actor: Actor, sessions: SessionDoc[]): Promise<SessionDto[]> {
  const mine = sessions.length
    ? ((await SignUpModel.find({
        userId: actor.userId,
        sessionId: { $in: sessions.map((s) => s._id) },
        status: { $ne: 'claiming' },
      }).lean()) as SignUpDoc[])
    : []
  return Promise.all(
    sessions.map(async (s) => {
      const own = mine.find((m) => String(m.sessionId) === String(s._id))
      return {
        id: String(s._id),
        activityId: String(s.activityId),
        communityId: String(s.communityId),
        title: s.title,
        location: s.location,
        volunteer: s.volunteer,
        pointsPerHour: s.pointsPerHour,
        ageGroup: s.ageGroup as AgeGroup,
        date: s.date,
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        places: s.places,
        confirmed: s.places - Math.max(0, s.free),
        waitlisted: Math.max(0, s.waitlisted),
        status: s.status as 'scheduled',
        mySignUp: own
          ? {
              id: String(own._id),
              status: own.status as SignUpStatus,
              position: own.status === 'waitlisted' ? await waitlistPosition(own) : null,
            }
          : null,
        checkInCode: inReach(actor, s.communityId) ? s.checkInCode : null,
      }
    }),
  )
}

/** Sign-ups with their waitlist place and the volunteer points the ledger paid for them. */
export async function toSignUpDtos(signUps: SignUpDoc[]): Promise<SignUpDto[]> {
  const keys = signUps.filter((s) => s.status === 'checkedOut').map((s) => volunteerEventKey(s._id))
  const paid = keys.length ? await LedgerEntry.find({ key: { $in: keys } }).lean() : []
  return Promise.all(
    signUps.map(async (s) => ({
      id: String(s._id),
      sessionId: String(s.sessionId),
      activityId: String(s.activityId),
      title: s.title,
      location: s.location,
      volunteer: s.volunteer,
      start: s.start.toISOString(),
      end: s.end.toISOString(),
      status: s.status as SignUpStatus,
      position: s.status === 'waitlisted' ? await waitlistPosition(s) : null,
      checkedInAt: s.checkedInAt?.toISOString() ?? null,
      checkedOutAt: s.checkedOutAt?.toISOString() ?? null,
      servedMinutes: s.servedMinutes ?? null,
      points: paid.find((e) => e.key === volunteerEventKey(s._id))?.delta ?? null,
      createdAt: s.createdAt.toISOString(),
    })),
  )
}
