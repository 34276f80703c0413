import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utcPlugin from 'dayjs/plugin/utc.js'
import { describe, expect, it } from 'vitest'
import {
  canBookingTransition,
  checkBookingTime,
  checkInState,
  daySlotGrid,
  shiftDate,
  slotStarts,
  validateOpeningHours,
  zoneAt,
  zoneDate,
  zoneDayRange,
  zoneWeekRange,
} from './booking'

const TZ = 'Asia/Shanghai'
const allDay = Array.from({ length: 7 }, (_, weekday) => ({ weekday, open: '00:00', close: '24:00' }))
const rules = {
  openingHours: allDay,
  slotMinutes: 30,
  minDurationMinutes: 30,
  maxDurationMinutes: 120,
  bookingWindowDays: 14,
  minNoticeMinutes: 60,
}
const utc = (s: string) => new Date(s)
dayjs.extend(utcPlugin)
dayjs.extend(timezone)

describe('zone helpers', () => {
  it('zoneAt (offset computed once per day) agrees with a full conversion, on DST change days too', () => {
    const cases = [
      [TZ, '2025-06-01'],
      ['America/New_York', '2025-03-09'], // 02:00 → 03:00
      ['America/New_York', '2025-11-02'], // 02:00 → 01:00
      ['Europe/Berlin', '2025-03-30'],
      ['Europe/Berlin', '2025-03-31'],
      ['Australia/Lord_Howe', '2025-04-06'], // a half-hour change
    ] as const
    for (const [tz, date] of cases)
      for (let m = 0; m < 1440; m += 30) {
        const clock = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
        expect(zoneAt(date, m, tz), `${tz} ${date} ${clock}`).toEqual(
          dayjs.tz(`${date} ${clock}`, 'YYYY-MM-DD HH:mm', tz).toDate(),
        )
      }
  })

  it('local days are UTC ranges shifted by +08:00, across month and year ends', () => {
    expect(zoneDayRange('2025-01-31', TZ)).toEqual({
      start: utc('2025-01-30T16:00:00Z'),
      end: utc('2025-01-31T16:00:00Z'),
    })
    expect(zoneDayRange('2024-12-31', TZ).end).toEqual(utc('2024-12-31T16:00:00Z'))
    expect(shiftDate('2024-02-28', 1)).toBe('2024-02-29')
    expect(shiftDate('2025-02-28', 1)).toBe('2025-03-01')
    expect(shiftDate('2025-12-31', 1)).toBe('2026-01-01')
    expect(zoneAt('2025-03-31', 1440, TZ)).toEqual(utc('2025-03-31T16:00:00Z'))
  })

  it('the local date of an instant follows Shanghai, not UTC', () => {
    expect(zoneDate(utc('2025-05-31T16:30:00Z'), TZ)).toBe('2025-06-01')
    expect(zoneDate(utc('2025-05-31T15:59:00Z'), TZ)).toBe('2025-05-31')
  })

  it('weeks run Monday to Monday in local time', () => {
    // 2025-06-01 is a Sunday; 00:30 local Sunday is still the week of Monday 2025-05-26.
    const w = zoneWeekRange(utc('2025-05-31T16:30:00Z'), TZ)
    expect(w.start).toEqual(utc('2025-05-25T16:00:00Z'))
    expect(w.end).toEqual(utc('2025-06-01T16:00:00Z'))
  })
})

describe('checkBookingTime', () => {
  const now = utc('2025-01-30T02:00:00Z') // 10:00 local on 2025-01-30
  const at = (date: string, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number)
    return zoneAt(date, h! * 60 + m!, TZ)
  }
  it('accepts 23:00–24:00 local and a month end', () => {
    expect(checkBookingTime(rules, at('2025-01-31', '23:00'), at('2025-01-31', '24:00'), now, TZ)).toBeNull()
    expect(checkBookingTime(rules, at('2025-02-01', '00:00'), at('2025-02-01', '01:00'), now, TZ)).toBeNull()
  })
  it('accepts a booking over midnight UTC (07:30–08:30 local)', () => {
    expect(checkBookingTime(rules, at('2025-01-31', '07:30'), at('2025-01-31', '08:30'), now, TZ)).toBeNull()
  })
  it('refuses a booking over local midnight, misaligned, too short/long, past, short notice, outside window', () => {
    const c = (d1: string, t1: string, d2: string, t2: string) =>
      checkBookingTime(rules, at(d1, t1), at(d2, t2), now, TZ)
    expect(c('2025-01-31', '23:30', '2025-02-01', '00:30')).toBe('BOOKING_OUTSIDE_HOURS')
    expect(c('2025-01-31', '10:15', '2025-01-31', '11:15')).toBe('BOOKING_SLOT_MISALIGNED')
    expect(
      checkBookingTime(
        { ...rules, minDurationMinutes: 60 },
        at('2025-01-31', '10:00'),
        at('2025-01-31', '10:30'),
        now,
        TZ,
      ),
    ).toBe('BOOKING_TOO_SHORT')
    expect(c('2025-01-31', '10:00', '2025-01-31', '12:30')).toBe('BOOKING_TOO_LONG')
    expect(c('2025-01-30', '09:00', '2025-01-30', '09:30')).toBe('BOOKING_IN_PAST')
    expect(c('2025-01-30', '10:30', '2025-01-30', '11:00')).toBe('BOOKING_NOTICE_TOO_SHORT')
    expect(c('2025-01-30', '11:00', '2025-01-30', '11:30')).toBeNull()
    expect(c('2025-02-13', '10:00', '2025-02-13', '11:00')).toBeNull()
    expect(c('2025-02-14', '10:00', '2025-02-14', '11:00')).toBe('BOOKING_OUTSIDE_WINDOW')
    expect(c('2025-01-31', '11:00', '2025-01-31', '10:00')).toBe('BOOKING_TIME_INVALID')
  })
  it('honours per-weekday hours in local time', () => {
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '09:00', close: '18:00' }))
    const r = { ...rules, openingHours: weekdays }
    // 2025-02-01 is a Saturday.
    expect(checkBookingTime(r, at('2025-02-01', '10:00'), at('2025-02-01', '11:00'), now, TZ)).toBe(
      'BOOKING_OUTSIDE_HOURS',
    )
    expect(checkBookingTime(r, at('2025-01-31', '17:30'), at('2025-01-31', '18:00'), now, TZ)).toBeNull()
  })
})

describe('slot grid and lifecycle', () => {
  it('lists the day from the week’s earliest opening to latest closing', () => {
    const hours = [
      { weekday: 5, open: '09:00', close: '12:00' },
      { weekday: 6, open: '08:00', close: '24:00' },
    ]
    const grid = daySlotGrid(
      '2025-01-31',
      { openingHours: hours, slotMinutes: 60, minNoticeMinutes: 0 },
      {
        now: utc('2025-01-01T00:00:00Z'),
        held: new Set([utc('2025-01-31T02:00:00Z').getTime()]),
        blackouts: [],
        tz: TZ,
      },
    )
    expect(grid).toHaveLength(16)
    expect(grid[0]).toMatchObject({ start: utc('2025-01-31T00:00:00Z'), state: 'closed' })
    expect(grid.map((s) => s.state).slice(0, 5)).toEqual(['closed', 'free', 'held', 'free', 'closed'])
    expect(grid.at(-1)!.end).toEqual(utc('2025-01-31T16:00:00Z'))
  })
  it('slot starts, hours validation, transitions, check-in window', () => {
    expect(slotStarts(utc('2025-01-01T00:00:00Z'), utc('2025-01-01T01:30:00Z'), 30)).toHaveLength(3)
    expect(validateOpeningHours([{ weekday: 1, open: '09:00', close: '24:00' }], 30)).toBeNull()
    expect(validateOpeningHours([{ weekday: 1, open: '10:00', close: '09:00' }], 30)).not.toBeNull()
    expect(
      validateOpeningHours(
        [
          { weekday: 1, open: '09:00', close: '12:00' },
          { weekday: 1, open: '11:00', close: '13:00' },
        ],
        30,
      ),
    ).not.toBeNull()
    expect(canBookingTransition('pending', 'approved')).toBe(true)
    expect(canBookingTransition('rejected', 'approved')).toBe(false)
    expect(canBookingTransition('approved', 'noShow')).toBe(true)
    const start = utc('2025-01-01T10:00:00Z')
    expect(checkInState(start, utc('2025-01-01T09:44:00Z'), 15, 15)).toBe('early')
    expect(checkInState(start, utc('2025-01-01T09:45:00Z'), 15, 15)).toBe('open')
    expect(checkInState(start, utc('2025-01-01T10:16:00Z'), 15, 15)).toBe('late')
  })
})
