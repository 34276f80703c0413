import { bookingStatusLabels, formatClock, formatTime, formatTimeRange } from '@linli/shared-types'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import type { BookingDoc } from './booking.model'

/** The WeChat subscribe-message template for booking updates (configured in the mini-program admin). */
export const BOOKING_TEMPLATE = 'booking_status'

type Notice =
  | 'bookedForYou'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'noShow'
  | 'reminder'
  | 'suspended'

const titles: Record<Notice, string> = {
  bookedForYou: '工作人员已代您预约',
  approved: '预约已通过',
  rejected: '预约未通过',
  cancelled: '预约已被工作人员取消',
  expired: '预约未及时审核，已过期',
  noShow: '预约未签到，已记爽约',
  reminder: '预约即将开始',
  suspended: '多次爽约，暂停预约',
}

/** WeChat `phrase` fields take at most 5 characters. */
const phrases: Record<Notice, string> = {
  bookedForYou: '已代预约',
  approved: bookingStatusLabels.approved,
  rejected: bookingStatusLabels.rejected,
  cancelled: bookingStatusLabels.cancelled,
  expired: bookingStatusLabels.expired,
  noShow: bookingStatusLabels.noShow,
  reminder: '即将开始',
  suspended: '暂停预约',
}

const clip = (s: string, n = 20) =>
  Array.from(s).length > n
    ? `${Array.from(s)
        .slice(0, n - 1)
        .join('')}…`
    : s

/** Tells the resident about a booking event, in the inbox and (for key events) by subscribe message. */
export async function noticeBooking(b: BookingDoc, kind: Notice, note?: string): Promise<boolean> {
  const { timezone: tz } = await communityInfo(b.communityId)
  const when = formatTimeRange(b.start, b.end, { tz, style: 'calendar' })
  // WeChat's `time` fields take 2026年12月9日 14:00~15:30.
  const wechatWhen = `${formatTime(b.start, { tz, style: 'full' })}~${formatClock(b.end, { tz })}`
  const status = phrases[kind]
  const body = `${b.spaceName} ${when}${note ? `。${note}` : ''}`
  const subscribe = ['bookedForYou', 'approved', 'rejected', 'cancelled', 'reminder'].includes(kind)
  return notify({
    userId: String(b.userId),
    communityId: String(b.communityId),
    kind: `booking.${kind}`,
    title: titles[kind],
    body,
    link: `/packages/booking/mine/index?id=${String(b._id)}`,
    dedupeKey: `booking.${kind}:${String(b._id)}`,
    ...(subscribe
      ? {
          subscribe: {
            template: BOOKING_TEMPLATE,
            data: {
              thing1: clip(b.spaceName),
              time2: wechatWhen,
              phrase3: status,
              thing4: clip(note ?? titles[kind]),
            },
          },
        }
      : {}),
  })
}
