import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'

dayjs.extend(utc)
dayjs.extend(timezone)

/**
 * The one way dates and times are written for people, always in the community's time zone:
 * `今天 14:06`, `12月9日 周三 14:06`, `2026年12月9日 14:06`. Pages use the relative style; stored
 * text (notifications, timeline notes) uses `calendar`, which stays true when read days later.
 */
export type TimeStyle =
  /** 今天 / 昨天 / 明天 near now, else as `calendar`. */
  | 'relative'
  /** 12月9日 周三; with the year (2027年1月4日 周一) when not in the current year. */
  | 'calendar'
  /** 2026年12月9日, always with the year (WeChat subscribe-message time fields). */
  | 'full'

export interface TimeFormatOptions {
  /** IANA zone of the community; default the zone set by `setTimeZone`. */
  tz?: string | undefined
  /** The reference instant for 今天 and for leaving out the current year; default the clock. */
  now?: Date | undefined
  style?: TimeStyle | undefined
}

const ZONE = 'Asia/Shanghai'
let zone = ZONE

/**
 * Zones already found valid. The first Intl.DateTimeFormat of a page load costs tens of
 * milliseconds (its data loads), which a launch should not pay just to re-check the default zone.
 */
const knownZones = new Set([ZONE])

/** Whether `tz` is an IANA zone this runtime knows (dayjs throws on any other). */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz) return false
  if (knownZones.has(tz)) return true
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    knownZones.add(tz)
    return true
  } catch {
    return false
  }
}

/**
 * Sets the zone dates are written and read in when a call names none: the mini-program sets its
 * session's community zone once (so no page passes it); the BFF never does and always names `tz`.
 * An unknown zone (or none) sets Asia/Shanghai.
 */
export function setTimeZone(tz: string | null | undefined): void {
  zone = isTimeZone(tz) ? tz : ZONE
}

/** The zone set by `setTimeZone` (Asia/Shanghai until then). */
export function timeZone(): string {
  return zone
}
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const
const RELATIVE: Record<number, string> = { [-1]: '昨天', 0: '今天', 1: '明天' }

type Input = Date | string | number

const local = (at: Input, tz: string | undefined) => dayjs(at).tz(tz ?? zone)

/** 12月9日 周三 / 2026年12月9日 / 今天: the local day of `at`. */
export function formatDay(at: Input, opts: TimeFormatOptions = {}): string {
  const day = local(at, opts.tz)
  const style = opts.style ?? 'relative'
  if (style === 'full') return day.format('YYYY年M月D日')
  const today = local(opts.now ?? new Date(), opts.tz)
  if (style === 'relative') {
    // Whole calendar days between the two local dates (diffing local midnights, DST-safe).
    const days = Math.round(
      dayjs.utc(day.format('YYYY-MM-DD')).diff(dayjs.utc(today.format('YYYY-MM-DD')), 'day', true),
    )
    const word = RELATIVE[days]
    if (word) return word
  }
  const date = day.year() === today.year() ? day.format('M月D日') : day.format('YYYY年M月D日')
  return `${date} ${WEEKDAYS[day.day()]}`
}

/** 14:06, the local wall clock (24-hour). */
export function formatClock(at: Input, opts: Pick<TimeFormatOptions, 'tz'> = {}): string {
  return local(at, opts.tz).format('HH:mm')
}

/** 今天 14:06 / 12月9日 周三 14:06 / 2026年12月9日 14:06. */
export function formatTime(at: Input, opts: TimeFormatOptions = {}): string {
  return `${formatDay(at, opts)} ${formatClock(at, opts)}`
}

/** 12月9日 周三 14:00–15:30; a range over midnight names both days. */
export function formatTimeRange(start: Input, end: Input, opts: TimeFormatOptions = {}): string {
  const sameDay = local(start, opts.tz).format('YYYY-MM-DD') === local(end, opts.tz).format('YYYY-MM-DD')
  return sameDay
    ? `${formatTime(start, opts)}–${formatClock(end, opts)}`
    : `${formatTime(start, opts)} – ${formatTime(end, opts)}`
}
