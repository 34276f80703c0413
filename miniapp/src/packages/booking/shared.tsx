import {
  type Booking,
  type BookingStatus,
  bookingStatusLabels,
  formatClock,
  formatDay,
  formatTimeRange,
  zoneDate,
  zoneMidnight,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import './booking.css'
import { Tag } from '../../ui'

export const SPACE_PAGE = '/packages/booking/space/index'
export const MY_BOOKINGS_PAGE = '/packages/booking/mine/index'
export const INBOX_PAGE = '/packages/booking/inbox/index'
export const REVIEW_PAGE = '/packages/booking/review/index'
export const SCHEDULE_PAGE = '/packages/booking/schedule/index'

/** HH:mm of an instant in the community's zone. */
export const clock = (at: string): string => formatClock(at)

/** The community's calendar date `offset` days from today, as YYYY-MM-DD. */
export function chinaDate(offset = 0, now = new Date()): string {
  return zoneDate(new Date(now.getTime() + offset * 86_400_000))
}

/** A date chip: 今天 / 明天 / 12月9日 周三 (the shared formatter). */
export const dayLabel = (date: string): string => formatDay(zoneMidnight(date))

export function bookingTone(status: BookingStatus): 'ok' | 'wait' | 'bad' | 'none' {
  if (status === 'approved' || status === 'checkedIn' || status === 'completed') return 'ok'
  if (status === 'pending') return 'wait'
  if (status === 'rejected' || status === 'noShow') return 'bad'
  return 'none'
}

export function BookingCard(props: { booking: Booking; children?: React.ReactNode; showWho?: boolean }) {
  const b = props.booking
  return (
    <View className={`card booking-card booking-${b.status}`}>
      <View className="row">
        <Text className="booking-card__space">{b.spaceName}</Text>
        <Tag tone={bookingTone(b.status)}>{bookingStatusLabels[b.status]}</Tag>
      </View>
      <Text className="booking-card__when">{formatTimeRange(b.start, b.end)}</Text>
      <Text className="muted">
        {props.showWho ? `${b.residentName} · ${b.contactPhone} · ` : ''}
        {b.purpose} · {b.attendees}人
      </Text>
      {b.bookedBy && (
        <Text className="muted booking-card__by">
          由{b.bookedBy.name}代为预约（{b.bookedBy.consent}）
        </Text>
      )}
      {b.rejectReason && <Text className="error-text">未通过原因：{b.rejectReason}</Text>}
      {b.cancelReason && <Text className="muted">取消原因：{b.cancelReason}</Text>}
      {props.children}
    </View>
  )
}
