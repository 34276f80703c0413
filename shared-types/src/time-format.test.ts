import { afterEach, describe, expect, it } from 'vitest'
import { zoneDate, zoneMidnight } from './booking-rules'
import { localDate, localToInstant } from './deliberation-rules'
import {
  formatClock,
  formatDay,
  formatTime,
  formatTimeRange,
  isTimeZone,
  setTimeZone,
  timeZone,
} from './time-format'

// 2026-12-09 is a Wednesday. Asia/Shanghai is UTC+8 all year.
const at = (iso: string) => new Date(iso)

describe('formatTime in the community zone', () => {
  it('says 今天 for the same local day, even when UTC is still on the previous day', () => {
    // 00:30 local on the 9th is 16:30 UTC on the 8th.
    const now = at('2026-12-08T16:30:00Z')
    expect(formatTime(at('2026-12-09T06:06:00Z'), { now })).toBe('今天 14:06')
    expect(formatTime(at('2026-12-08T16:05:00Z'), { now })).toBe('今天 00:05')
  })

  it('switches day exactly at local midnight, not UTC midnight', () => {
    const before = at('2026-12-09T15:59:00Z') // 23:59 on the 9th
    const after = at('2026-12-09T16:00:00Z') // 00:00 on the 10th
    const now = at('2026-12-09T12:00:00Z') // 20:00 on the 9th
    expect(formatTime(before, { now })).toBe('今天 23:59')
    expect(formatTime(after, { now })).toBe('明天 00:00')
    expect(formatTime(at('2026-12-08T15:59:00Z'), { now })).toBe('昨天 23:59')
    expect(formatTime(at('2026-12-10T16:00:00Z'), { now })).toBe('12月11日 周五 00:00')
  })

  it('writes the weekday for other days of the year and the year for other years', () => {
    const now = at('2026-12-01T02:00:00Z')
    expect(formatTime(at('2026-12-09T06:06:00Z'), { now })).toBe('12月9日 周三 14:06')
    expect(formatTime(at('2027-01-04T01:00:00Z'), { now })).toBe('2027年1月4日 周一 09:00')
    // New Year's Eve 23:30 local seen from the first minutes of the new year, in local terms.
    expect(formatTime(at('2026-12-31T15:30:00Z'), { now: at('2026-12-31T16:10:00Z') })).toBe('昨天 23:30')
    expect(formatDay(at('2026-12-30T15:30:00Z'), { now: at('2026-12-31T16:10:00Z') })).toBe(
      '2026年12月30日 周三',
    )
  })

  it('calendar style never says 今天 (stored text read later); full style always has the year', () => {
    const now = at('2026-12-09T02:00:00Z')
    expect(formatTime(at('2026-12-09T06:06:00Z'), { now, style: 'calendar' })).toBe('12月9日 周三 14:06')
    expect(formatDay(at('2026-12-09T06:06:00Z'), { now, style: 'full' })).toBe('2026年12月9日')
    expect(formatTime(at('2026-12-08T21:42:00Z'), { now, style: 'full' })).toBe('2026年12月9日 05:42')
  })

  it('uses another zone when the community has one', () => {
    const t = at('2026-12-09T06:06:00Z')
    expect(formatClock(t)).toBe('14:06')
    expect(formatClock(t, { tz: 'Asia/Urumqi' })).toBe('12:06')
    expect(formatDay(at('2026-12-09T17:00:00Z'), { tz: 'UTC', now: t })).toBe('今天')
    expect(formatDay(at('2026-12-09T17:00:00Z'), { now: t })).toBe('明天')
  })

  it('writes ranges within a day with one date and over midnight with both', () => {
    const now = at('2026-12-01T00:00:00Z')
    expect(formatTimeRange(at('2026-12-09T06:00:00Z'), at('2026-12-09T07:30:00Z'), { now })).toBe(
      '12月9日 周三 14:00–15:30',
    )
    expect(formatTimeRange(at('2026-12-09T15:00:00Z'), at('2026-12-09T16:30:00Z'), { now })).toBe(
      '12月9日 周三 23:00 – 12月10日 周四 00:30',
    )
  })
})

describe('the zone set for the session', () => {
  afterEach(() => setTimeZone(undefined))

  it('is the default of the formatters and of the local-date helpers pages use', () => {
    const instant = at('2026-12-09T15:30:00Z') // 23:30 in Shanghai, 00:30 on the 10th in Tokyo
    expect([formatClock(instant), zoneDate(instant), localDate(instant)]).toEqual([
      '23:30',
      '2026-12-09',
      '2026-12-09',
    ])
    setTimeZone('Asia/Tokyo')
    expect(timeZone()).toBe('Asia/Tokyo')
    expect(formatTime(instant, { now: instant })).toBe('今天 00:30')
    expect([zoneDate(instant), localDate(instant)]).toEqual(['2026-12-10', '2026-12-10'])
    expect(zoneMidnight('2026-12-10').toISOString()).toBe('2026-12-09T15:00:00.000Z')
    expect(localToInstant('2026-12-10', '09:00').toISOString()).toBe('2026-12-10T00:00:00.000Z')
    // A zone named in the call still wins.
    expect(formatClock(instant, { tz: 'Asia/Shanghai' })).toBe('23:30')
  })

  it('falls back to Asia/Shanghai for an unknown or missing zone instead of failing every date', () => {
    expect(isTimeZone('Mars/Olympus')).toBe(false)
    setTimeZone('Europe/Berlin')
    setTimeZone('Mars/Olympus')
    expect(timeZone()).toBe('Asia/Shanghai')
    setTimeZone('Europe/Berlin')
    setTimeZone('')
    expect(timeZone()).toBe('Asia/Shanghai')
    expect(formatClock(at('2026-12-09T06:06:00Z'))).toBe('14:06')
  })
})
