import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { timeZone } from './time-format'

dayjs.extend(utc)
dayjs.extend(timezone)

/**
 * Pure booking rules: time in the community's time zone, slot grids, the booking state machine.
 * Every instant in and out is a UTC `Date`; local dates are `YYYY-MM-DD` strings in `tz`.
 */

export const DEFAULT_TZ = 'Asia/Shanghai'
const MINUTE = 60_000

/** One opening interval on a weekday (0 = Sunday … 6 = Saturday), local `HH:mm`, close may be `24:00`. */
export interface OpeningSpan {
  weekday: number
  open: string
  close: string
}

export interface SpaceTimeRules {
  openingHours: OpeningSpan[]
  slotMinutes: number
  minDurationMinutes: number
  maxDurationMinutes: number
  bookingWindowDays: number
  minNoticeMinutes: number
}

export type BookingRuleViolation =
  | 'BOOKING_TIME_INVALID'
  | 'BOOKING_SLOT_MISALIGNED'
  | 'BOOKING_OUTSIDE_HOURS'
  | 'BOOKING_TOO_SHORT'
  | 'BOOKING_TOO_LONG'
  | 'BOOKING_IN_PAST'
  | 'BOOKING_NOTICE_TOO_SHORT'
  | 'BOOKING_OUTSIDE_WINDOW'

/** `HH:mm` (00:00–24:00) → minutes since local midnight. */
export function clockMinutes(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm)
  if (!m) return Number.NaN
  const minutes = Number(m[1]) * 60 + Number(m[2])
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : Number.NaN
}

export const isDateString = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && dayjs.utc(s).format('YYYY-MM-DD') === s

/**
 * A local day's midnight and whether its UTC offset holds all day (no DST change), computed once per
 * zone and date: time-zone conversions are the costly part of a week's slot grid.
 */
const days = new Map<string, { midnight: number; fixed: boolean }>()
function localDay(date: string, tz: string) {
  const key = `${tz} ${date}`
  let day = days.get(key)
  if (!day) {
    const midnight = dayjs.tz(`${date} 00:00`, 'YYYY-MM-DD HH:mm', tz).valueOf()
    const next = dayjs.tz(`${shiftDate(date, 1)} 00:00`, 'YYYY-MM-DD HH:mm', tz).valueOf()
    day = { midnight, fixed: next - midnight === 1440 * MINUTE }
    if (days.size >= 10_000) days.clear()
    days.set(key, day)
  }
  return day
}

/** Local midnight of `date` in `tz`, as a UTC instant. */
export function zoneMidnight(date: string, tz = timeZone()): Date {
  return new Date(localDay(date, tz).midnight)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The instant of local wall-clock `minutes` (0–1440) after midnight of `date` in `tz`. */
export function zoneAt(date: string, minutes: number, tz = DEFAULT_TZ): Date {
  if (minutes >= 1440) return zoneAt(shiftDate(date, Math.floor(minutes / 1440)), minutes % 1440, tz)
  // Within a day whose offset does not change, wall-clock minutes are minutes after midnight.
  const day = localDay(date, tz)
  if (day.fixed) return new Date(day.midnight + minutes * MINUTE)
  const clock = `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
  return dayjs.tz(`${date} ${clock}`, 'YYYY-MM-DD HH:mm', tz).toDate()
}

/** The UTC range [start, end) of a local day; end is the next local midnight (DST-safe). */
export function zoneDayRange(date: string, tz = DEFAULT_TZ): { start: Date; end: Date } {
  return { start: zoneMidnight(date, tz), end: zoneMidnight(shiftDate(date, 1), tz) }
}

/** Local dates already worked out, per zone and minute: no zone changes its date mid-minute. */
const dates = new Map<string, string>()

/** The local calendar date of an instant in `tz`. */
export function zoneDate(at: Date, tz = timeZone()): string {
  const key = `${tz} ${Math.floor(at.getTime() / MINUTE)}`
  let date = dates.get(key)
  if (date === undefined) {
    date = dayjs(at).tz(tz).format('YYYY-MM-DD')
    if (dates.size >= 10_000) dates.clear()
    dates.set(key, date)
  }
  return date
}

/** Local wall-clock `HH:mm` of an instant. */
export function zoneClock(at: Date, tz = timeZone()): string {
  return dayjs(at).tz(tz).format('HH:mm')
}

export function shiftDate(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD')
}

export function weekdayOfDate(date: string): number {
  return dayjs.utc(date).day()
}

/** Monday (local) of the week that holds `at`; weekly quotas count Monday 00:00 to next Monday. */
export function zoneWeekRange(at: Date, tz = DEFAULT_TZ): { start: Date; end: Date } {
  const date = zoneDate(at, tz)
  const monday = shiftDate(date, -((weekdayOfDate(date) + 6) % 7))
  return { start: zoneMidnight(monday, tz), end: zoneMidnight(shiftDate(monday, 7), tz) }
}

/** A local date's opening intervals as UTC ranges, sorted. */
export function openRanges(
  date: string,
  hours: readonly OpeningSpan[],
  tz = DEFAULT_TZ,
): { start: Date; end: Date }[] {
  const weekday = weekdayOfDate(date)
  return hours
    .filter((h) => h.weekday === weekday)
    .map((h) => ({
      start: zoneAt(date, clockMinutes(h.open), tz),
      end: zoneAt(date, clockMinutes(h.close), tz),
    }))
    .sort((a, b) => a.start.getTime() - b.start.getTime())
}

/** Opening hours are well formed: HH:mm, open < close, slot-aligned, no overlap on one weekday. */
export function validateOpeningHours(hours: readonly OpeningSpan[], slotMinutes: number): string | null {
  for (const h of hours) {
    const open = clockMinutes(h.open)
    const close = clockMinutes(h.close)
    if (!Number.isInteger(h.weekday) || h.weekday < 0 || h.weekday > 6) return '星期应为0–6'
    if (Number.isNaN(open) || Number.isNaN(close) || open >= close) return `开放时间${h.open}–${h.close}无效`
    if (open % slotMinutes || close % slotMinutes) return `开放时间须按${slotMinutes}分钟对齐`
  }
  for (let d = 0; d < 7; d++) {
    const day = hours
      .filter((h) => h.weekday === d)
      .map((h) => [clockMinutes(h.open), clockMinutes(h.close)] as const)
      .sort((a, b) => a[0] - b[0])
    for (let i = 1; i < day.length; i++) if (day[i]![0] < day[i - 1]![1]) return '同一天的开放时间不能重叠'
  }
  return null
}

/** Slot start instants covering [start, end). */
export function slotStarts(start: Date, end: Date, slotMinutes: number): Date[] {
  const out: Date[] = []
  for (let t = start.getTime(); t < end.getTime(); t += slotMinutes * MINUTE) out.push(new Date(t))
  return out
}

/**
 * Checks a requested [start, end) against a space's time rules at `now`. Returns the first rule it
 * breaks, or null. A booking lies inside one opening interval of one local day (23:00–24:00 is fine
 * when the space closes at 24:00); the booking window counts local calendar days: today plus
 * `bookingWindowDays` more.
 */
export function checkBookingTime(
  rules: SpaceTimeRules,
  start: Date,
  end: Date,
  now: Date,
  tz = DEFAULT_TZ,
): BookingRuleViolation | null {
  const s = start.getTime()
  const e = end.getTime()
  if (!(e > s)) return 'BOOKING_TIME_INVALID'
  const duration = (e - s) / MINUTE
  if (start.getUTCSeconds() || start.getUTCMilliseconds() || end.getUTCSeconds() || end.getUTCMilliseconds())
    return 'BOOKING_SLOT_MISALIGNED'
  const date = zoneDate(start, tz)
  const range = openRanges(date, rules.openingHours, tz).find(
    (r) => r.start.getTime() <= s && e <= r.end.getTime(),
  )
  if (!range) return 'BOOKING_OUTSIDE_HOURS'
  if ((s - range.start.getTime()) % (rules.slotMinutes * MINUTE) || duration % rules.slotMinutes)
    return 'BOOKING_SLOT_MISALIGNED'
  if (duration < rules.minDurationMinutes) return 'BOOKING_TOO_SHORT'
  if (duration > rules.maxDurationMinutes) return 'BOOKING_TOO_LONG'
  if (s <= now.getTime()) return 'BOOKING_IN_PAST'
  if (s - now.getTime() < rules.minNoticeMinutes * MINUTE) return 'BOOKING_NOTICE_TOO_SHORT'
  if (date > shiftDate(zoneDate(now, tz), rules.bookingWindowDays)) return 'BOOKING_OUTSIDE_WINDOW'
  return null
}

export type GridSlotState = 'free' | 'held' | 'blackout' | 'closed' | 'past'

export interface GridSlot {
  start: Date
  end: Date
  state: GridSlotState
}

/**
 * The slot grid of one local day, from the earliest opening to the latest closing of the whole
 * week (so a week of days lines up), each slot free / held / blackout / closed / past.
 */
export function daySlotGrid(
  date: string,
  rules: Pick<SpaceTimeRules, 'openingHours' | 'slotMinutes' | 'minNoticeMinutes'>,
  opts: {
    now: Date
    held: ReadonlySet<number>
    blackouts: readonly { start: Date; end: Date }[]
    tz?: string
  },
): GridSlot[] {
  const tz = opts.tz ?? DEFAULT_TZ
  if (!rules.openingHours.length) return []
  const first = Math.min(...rules.openingHours.map((h) => clockMinutes(h.open)))
  const last = Math.max(...rules.openingHours.map((h) => clockMinutes(h.close)))
  const open = openRanges(date, rules.openingHours, tz)
  const cutoff = opts.now.getTime() + rules.minNoticeMinutes * MINUTE
  const slots: GridSlot[] = []
  // A slot starts at the instant the one before it ends (one Date for both, not to be mutated).
  let start = zoneAt(date, first, tz)
  for (let m = first; m < last; m += rules.slotMinutes) {
    const end = zoneAt(date, m + rules.slotMinutes, tz)
    const t = start.getTime()
    let state: GridSlotState = 'free'
    if (!open.some((r) => r.start.getTime() <= t && end.getTime() <= r.end.getTime())) state = 'closed'
    else if (opts.held.has(t)) state = 'held'
    else if (opts.blackouts.some((b) => b.start.getTime() < end.getTime() && t < b.end.getTime()))
      state = 'blackout'
    else if (t < cutoff) state = 'past'
    slots.push({ start, end, state })
    start = end
  }
  return slots
}

// ---- lifecycle -----------------------------------------------------------------------------------

export const bookingStatuses = [
  'pending',
  'approved',
  'rejected',
  'checkedIn',
  'completed',
  'noShow',
  'cancelled',
  'expired',
] as const
export type BookingStatusValue = (typeof bookingStatuses)[number]

/** Statuses that hold their slots. */
export const holdingStatuses = ['pending', 'approved', 'checkedIn'] as const

const transitions: Record<BookingStatusValue, readonly BookingStatusValue[]> = {
  pending: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['checkedIn', 'cancelled', 'noShow'],
  checkedIn: ['completed'],
  rejected: [],
  completed: [],
  noShow: [],
  cancelled: [],
  expired: [],
}

export const canBookingTransition = (from: BookingStatusValue, to: BookingStatusValue): boolean =>
  transitions[from].includes(to)

/** Statuses a booking may move to `to` from, for guarded updates. */
export const bookingFromStatuses = (to: BookingStatusValue): BookingStatusValue[] =>
  bookingStatuses.filter((s) => canBookingTransition(s, to))

/** Check-in is open from `windowMinutes` before start until the no-show grace after start ends. */
export function checkInState(
  start: Date,
  now: Date,
  windowMinutes: number,
  graceMinutes: number,
): 'early' | 'open' | 'late' {
  const t = now.getTime()
  if (t < start.getTime() - windowMinutes * MINUTE) return 'early'
  if (t > start.getTime() + graceMinutes * MINUTE) return 'late'
  return 'open'
}

/** No-show policy: `limit` no-shows within `windowDays` suspend booking for `suspendDays`. */
export const defaultNoShowPolicy = { limit: 3, windowDays: 30, suspendDays: 14 } as const

export const bookingStatusLabels: Record<BookingStatusValue, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
  checkedIn: '已签到',
  completed: '已完成',
  noShow: '爽约',
  cancelled: '已取消',
  expired: '已过期',
}

export const rejectReasonTemplates = [
  '该时段已安排社区活动',
  '场地维护中，暂停使用',
  '用途不符合场地使用规定',
  '参加人数超过场地容量',
  '请补充活动说明后重新预约',
] as const
