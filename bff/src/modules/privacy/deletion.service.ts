import { DELETED_USER_NAME } from '@linli/shared-types'
import { Types } from 'mongoose'
import type { Sweeper } from '../../jobs/sweepers'
import { IdempotencyKey } from '../../platform/http/idempotency'
import { SignUpModel } from '../activities/activity.model'
import { Audit } from '../audit/audit.model'
import { Membership } from '../auth/membership.model'
import { RefreshToken } from '../auth/refresh-token.model'
import { User } from '../auth/user.model'
import { Booking, BookingSuspension } from '../booking/booking.model'
import { releaseSlots, transition } from '../booking/booking.service'
import { Rating, Topic } from '../deliberation/deliberation.model'
import { removeCommentsOf } from '../deliberation/topic.counts'
import { FamilyBindingModel } from '../family/family.model'
import { HomeVisitModel } from '../grid/home-visit.model'
import { LoanModel } from '../lending/lending.model'
import { Need, type NeedDoc } from '../needs/need.model'
import { mutateNeed } from '../needs/needs.transitions'
import { NoticeModel } from '../notices/notice.model'
import { Notification, Outbox } from '../notify/notification.model'
import { Voucher } from '../points/rewards.model'
import { ResidencyClaim } from '../residency/claim.model'

/**
 * 注销账号. The user document stays as a tombstone under the same id, so the points ledger, seconds,
 * electoral rolls, attendance and audit keep their counts and chains, but it holds no name, phone or
 * openid; every copy of the person's name elsewhere becomes 已注销用户, and what nothing needs
 * (claims, notifications, comments, sessions, replayable responses) is removed.
 *
 * Step one tombstones the user and marks `deletingAt` in one update: from then on no token loads
 * the actor and the openid is free, so the next WeChat login creates a fresh user. The remaining
 * steps are idempotent; if the process dies among them the sweeper runs them again.
 */
export async function deleteAccount(userId: string, now = new Date()): Promise<void> {
  await startDeletion(userId, now)
  await scrub(new Types.ObjectId(userId), now)
}

/** Step one: the tombstone. */
export async function startDeletion(userId: string, now: Date): Promise<void> {
  const uid = new Types.ObjectId(userId)
  await User.updateOne(
    { _id: uid, deletingAt: null },
    {
      $set: {
        deletingAt: now,
        openid: `deleted:${userId}`,
        nickname: DELETED_USER_NAME,
        residency: { status: 'none' },
      },
      $unset: { wechatSessionKey: 1 },
    },
  )
}

async function scrub(uid: Types.ObjectId, now: Date): Promise<void> {
  const userId = String(uid)
  await Promise.all([
    RefreshToken.deleteMany({ userId: uid }),
    Membership.deleteMany({ userId: uid }),
    ResidencyClaim.deleteMany({ userId: uid }),
    Notification.deleteMany({ userId: uid }),
    Outbox.deleteMany({ userId: uid }),
    BookingSuspension.deleteMany({ userId: uid }),
    removeCommentsOf(uid),
    // Stored responses replay personal data (a claim's name and phone): keys are `<userId>:…`.
    IdempotencyKey.deleteMany({ _id: { $regex: `^${userId}:` } }),
  ])
  await cancelUpcomingBookings(uid, now)
  await Promise.all([
    Booking.updateMany({ userId: uid }, { $set: { residentName: DELETED_USER_NAME, contactPhone: '' } }),
    Voucher.updateMany({ userId: uid }, { $set: { holderName: DELETED_USER_NAME } }),
    Topic.updateMany({ proposerId: uid }, { $set: { proposerName: DELETED_USER_NAME } }),
    Rating.updateMany({ userId: uid }, { $set: { comment: '' } }),
    Audit.updateMany({ actorId: uid }, { $set: { actorName: DELETED_USER_NAME } }),
    SignUpModel.updateMany({ userId: uid }, { $set: { name: DELETED_USER_NAME, phone: null } }),
    LoanModel.updateMany({ userId: uid }, { $set: { borrowerName: DELETED_USER_NAME } }),
    HomeVisitModel.updateMany({ residentId: uid }, { $set: { residentName: DELETED_USER_NAME } }),
    HomeVisitModel.updateMany({ byId: uid }, { $set: { byName: DELETED_USER_NAME } }),
    NoticeModel.updateMany({ publisherId: uid }, { $set: { publisherName: DELETED_USER_NAME } }),
    FamilyBindingModel.deleteMany({ $or: [{ elderId: uid }, { memberId: uid }] }),
    // A stored subject name is a person's only on entries about the person themselves.
    Audit.updateMany(
      { subjectUserId: uid, targetType: { $in: ['user', 'residencyClaim'] } },
      { $set: { subjectName: DELETED_USER_NAME } },
    ),
  ])
  await anonymiseNeeds(uid)
  await User.updateOne({ _id: uid }, { $set: { deletedAt: new Date() } })
}

/** Bookings still ahead are cancelled and their slots freed: nobody will come. */
async function cancelUpcomingBookings(uid: Types.ObjectId, now: Date): Promise<void> {
  const upcoming = await Booking.find({
    userId: uid,
    status: { $in: ['pending', 'approved'] },
    start: { $gt: now },
  }).lean()
  for (const b of upcoming) {
    const cancelled = await transition(b._id, 'cancelled', {
      cancelReason: '账号已注销',
      cancelledBy: 'resident',
      decidedAt: now,
    })
    if (cancelled) await releaseSlots(b._id)
  }
}

/** Needs keep their facts for the stats; the reporter's or handler's name and phone go. */
async function anonymiseNeeds(uid: Types.ObjectId): Promise<void> {
  const userId = String(uid)
  const needs = await Need.find(
    { $or: [{ reporterId: uid }, { assigneeId: uid }, { 'timeline.actorId': uid }] },
    { _id: 1 },
  ).lean()
  for (const { _id } of needs)
    await mutateNeed(String(_id), (n: NeedDoc) => ({
      $set: {
        ...(String(n.reporterId) === userId ? { reporterName: DELETED_USER_NAME, contactPhone: null } : {}),
        ...(String(n.assigneeId) === userId ? { assigneeName: DELETED_USER_NAME } : {}),
        timeline: (n.timeline ?? []).map((e) =>
          String(e.actorId) === userId ? { ...e, actorName: DELETED_USER_NAME } : e,
        ),
      },
    }))
}

/** Finishes deletions a crash interrupted after step one. */
export const accountDeletionSweeper: Sweeper = {
  name: 'account-deletion',
  everyMs: 60_000,
  async run(_deps, now) {
    const stuck = await User.find(
      { deletedAt: null, deletingAt: { $lt: new Date(now.getTime() - 60_000) } },
      { _id: 1 },
    )
      .limit(20)
      .lean()
    for (const u of stuck) await scrub(u._id, now)
    return stuck.length
  },
}
