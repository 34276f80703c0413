import { type Booking, type BookingStatus, bookingStatusLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { chinaTime, formatDateTime } from '../../lib/time'
import './booking.css'
import { Tag } from '../../ui'

export const SPACE_PAGE = '/packages/booking/space/index'
export const MY_BOOKINGS_PAGE = '/packages/booking/mine/index'
export const INBOX_PAGE = '/packages/booking/inbox/index'
export const REVIEW_PAGE = '/packages/booking/review/index'
export const SCHEDULE_PAGE = '/packages/booking/schedule/index'

const pad = (n: number) => String(n).padStart(2, '0')

/** HH:mm of an instant in China time (UTC+8 all year). */
export function clock(at: string): string {
  const t = chinaTime(at)
  return `${pad(t.hour)}:${pad(t.minute)}`
}

/** The China-time calendar date `offset` days from today, as YYYY-MM-DD. */
export function chinaDate(offset = 0, now = new Date()): string {
  const t = chinaTime(new Date(now.getTime() + offset * 86_400_000))
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`
}

const weekdays = ['日', '一', '二', '三', '四', '五', '六']
export function dayLabel(date: string, offset: number): string {
  if (offset === 0) return '今天'
  if (offset === 1) return '明天'
  const d = new Date(`${date}T00:00:00Z`)
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()} 周${weekdays[d.getUTCDay()]}`
}

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
      <Text className="booking-card__when">
        {formatDateTime(b.start).slice(0, 10)} {clock(b.start)}–{clock(b.end)}
      </Text>
      <Text className="muted">
        {props.showWho ? `${b.residentName} · ${b.contactPhone} · ` : ''}
        {b.purpose} · {b.attendees}人
      </Text>
      {b.rejectReason && <Text className="error-text">未通过原因：{b.rejectReason}</Text>}
      {b.cancelReason && <Text className="muted">取消原因：{b.cancelReason}</Text>}
      {props.children}
    </View>
  )
}
