import type { MyDataExport } from '@linli/shared-types'
import { Types } from 'mongoose'
import { SignUpModel } from '../activities/activity.model'
import { Audit } from '../audit/audit.model'
import { Membership } from '../auth/membership.model'
import { User } from '../auth/user.model'
import { Booking } from '../booking/booking.model'
import { Attendance, Comment, Elector, Rating, Second, Topic } from '../deliberation/deliberation.model'
import { LoanModel } from '../lending/lending.model'
import { Need } from '../needs/need.model'
import { Notification } from '../notify/notification.model'
import { LedgerEntry, PointBalance, VolunteerHoursModel } from '../points/points.model'
import { Voucher } from '../points/rewards.model'
import { ResidencyClaim } from '../residency/claim.model'
import { consentsOf } from './consent.model'

type Row = Record<string, unknown>

/**
 * Keys never exported: who else acted on the record (staff, handlers, reviewers), internal
 * bookkeeping, and secrets. What remains is the person's own data.
 */
const OMIT =
  /^(_id|__v|rev|key|nonce|slot|limitSlot|requestKey|pending\w*|stat|sla|userId|unitKey)$|By$|^(actor|assignee|reviewer)/

/** Plain JSON of a stored record: ids and dates as strings, other people's and internal keys left out. */
function clean(doc: Row, keep?: readonly string[]): Row {
  const out: Row = { id: String(doc._id) }
  for (const [k, v] of Object.entries(doc)) {
    if (OMIT.test(k) || (keep && !keep.includes(k))) continue
    out[k] = plain(v)
  }
  return out
}

function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString()
  if (v instanceof Types.ObjectId) return String(v)
  if (Array.isArray(v)) return v.map(plain)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

const NEED_FIELDS = [
  'no',
  'categoryName',
  'title',
  'description',
  'location',
  'urgency',
  'contactPhone',
  'status',
  'level',
  'rating',
  'ratingComment',
  'reopenCount',
  'createdAt',
  'resolvedAt',
] as const

/** Everything stored about `userId`, as the file 导出我的数据 downloads. No ballot choices. */
export async function exportMyData(userId: string): Promise<MyDataExport> {
  const uid = new Types.ObjectId(userId)
  const [user, memberships, claims, bookings, needs, topics, seconds, comments, ratings, electors] =
    await Promise.all([
      User.findById(uid).lean(),
      Membership.find({ userId: uid }).lean(),
      ResidencyClaim.find({ userId: uid }).sort({ createdAt: 1 }).lean(),
      Booking.find({ userId: uid }).sort({ createdAt: 1 }).lean(),
      Need.find({ reporterId: uid }).sort({ createdAt: 1 }).lean(),
      Topic.find({ proposerId: uid }).sort({ createdAt: 1 }).lean(),
      Second.find({ userId: uid }).lean(),
      Comment.find({ authorId: uid }).lean(),
      Rating.find({ userId: uid }).lean(),
      Elector.find({ userId: uid }).lean(),
    ])
  const [attendance, balances, ledger, hours, vouchers, notifications, consents, signUps, loans] =
    await Promise.all([
      Attendance.find({ userId: uid }).lean(),
      PointBalance.find({ userId: uid }).lean(),
      LedgerEntry.find({ userId: uid }).sort({ createdAt: 1, _id: 1 }).lean(),
      VolunteerHoursModel.find({ userId: uid }).lean(),
      Voucher.find({ userId: uid }).sort({ createdAt: 1 }).lean(),
      Notification.find({ userId: uid }).sort({ createdAt: 1 }).lean(),
      consentsOf(userId),
      SignUpModel.find({ userId: uid }).lean(),
      LoanModel.find({ userId: uid }).lean(),
    ])
  // Audit entries about the person or their own records; without the staff member's identity.
  const about = [userId, ...[...claims, ...needs, ...bookings].map((r) => String(r._id))]
  const audit = await Audit.find({ $or: [{ subjectUserId: uid }, { targetId: { $in: about } }] })
    .sort({ createdAt: 1 })
    .lean()
  const topicTitles = new Map(
    (await Topic.find({ _id: { $in: electors.map((e) => e.topicId) } }, { title: 1 }).lean()).map((t) => [
      String(t._id),
      t.title,
    ]),
  )
  return {
    format: 'linli-personal-data/1',
    exportedAt: new Date().toISOString(),
    profile: user
      ? {
          id: userId,
          nickname: user.nickname,
          wechatOpenid: user.openid,
          residency: plain({
            status: user.residency?.status ?? 'none',
            communityId: user.residency?.communityId ?? null,
            buildingId: user.residency?.buildingId ?? null,
          }) as Row,
          roles: memberships.map((m) => ({ role: m.role, scopeName: m.scopeName })),
          createdAt: (user as { createdAt?: Date }).createdAt?.toISOString() ?? null,
        }
      : {},
    consents,
    residencyClaims: claims.map((c) => clean(c as Row)),
    bookings: bookings.map((b) => clean(b as Row)),
    needs: needs.map((n) => ({
      ...clean(n as Row, NEED_FIELDS),
      // Their own entries in full; others' public steps without the handler's name.
      timeline: (n.timeline ?? [])
        .filter((e) => String(e.actorId) === userId || e.public)
        .map((e) => ({
          at: e.at.toISOString(),
          kind: e.kind,
          by: String(e.actorId) === userId ? '本人' : e.actorRole === 'system' ? '系统' : '工作人员',
          note: e.note ?? '',
          status: e.status,
        })),
    })),
    topics: topics.map((t) =>
      clean(t as Row, ['title', 'description', 'scopeName', 'status', 'dayDate', 'createdAt']),
    ),
    seconds: seconds.map((s) => clean(s as Row, ['topicId', 'createdAt'])),
    comments: comments.map((c) => clean(c as Row, ['topicId', 'body', 'createdAt'])),
    ratings: ratings.map((r) => clean(r as Row, ['topicId', 'stars', 'comment', 'createdAt'])),
    votingRolls: electors.map((e) => ({
      topicId: String(e.topicId),
      topicTitle: topicTitles.get(String(e.topicId)) ?? '',
      note: '选票以匿名方式保存，无法导出投票内容',
    })),
    attendance: attendance.map((a) => clean(a as Row, ['dayId', 'via', 'createdAt'])),
    pointBalances: balances.map((b) => clean(b as Row, ['account', 'balance', 'updatedAt'])),
    pointLedger: ledger.map((l) =>
      clean(l as Row, [
        'account',
        'delta',
        'reason',
        'refType',
        'refId',
        'balanceAfter',
        'expiresAt',
        'createdAt',
      ]),
    ),
    volunteerHours: hours.map((h) => clean(h as Row)),
    vouchers: vouchers.map((v) => clean(v as Row)),
    activitySignUps: signUps.map((x) => clean(x as Row)),
    loans: loans.map((x) => clean(x as Row)),
    notifications: notifications.map((n) =>
      clean(n as Row, ['kind', 'title', 'body', 'link', 'readAt', 'createdAt']),
    ),
    auditAboutMe: audit.map((a) => clean(a as Row, ['action', 'targetType', 'createdAt'])),
  }
}
