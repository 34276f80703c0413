import { describe, expect, it } from 'vitest'
import {
  CreateActivityBody,
  normalizeCode,
  rulePoints,
  servedMinutes,
  weeklySessions,
  zoneClock,
} from './index'

const rule = {
  weekdays: [2],
  startTime: '19:00',
  durationMinutes: 120,
  startDate: '2027-03-01',
  endDate: null,
  exceptions: ['2027-03-16'],
}

describe('weekly sessions', () => {
  it('meet on the weekday at the local clock, across a daylight-saving change, skipping exceptions', () => {
    const sessions = weeklySessions(rule, '2027-03-01', '2027-04-01', 'America/New_York')
    expect(sessions.map((s) => s.date)).toEqual(['2027-03-02', '2027-03-09', '2027-03-23', '2027-03-30'])
    expect(sessions.map((s) => zoneClock(s.start, 'America/New_York'))).toEqual([
      '19:00',
      '19:00',
      '19:00',
      '19:00',
    ])
    // New York springs forward on 2027-03-14: 00:00Z before, 23:00Z after.
    expect(sessions[0]!.start.toISOString()).toBe('2027-03-03T00:00:00.000Z')
    expect(sessions[2]!.start.toISOString()).toBe('2027-03-23T23:00:00.000Z')
    expect(sessions[0]!.end.getTime() - sessions[0]!.start.getTime()).toBe(120 * 60_000)
  })

  it('stop at the end date and never start before the start date', () => {
    const sessions = weeklySessions(
      { ...rule, startDate: '2027-03-05', endDate: '2027-03-23' },
      '2027-03-01',
      '2027-06-01',
    )
    expect(sessions.map((s) => s.date)).toEqual(['2027-03-09', '2027-03-23'])
  })
})

describe('served minutes', () => {
  const start = new Date('2026-12-08T11:00:00Z')
  const end = new Date('2026-12-08T13:00:00Z')
  it('count only time inside the session', () => {
    expect(
      servedMinutes(new Date('2026-12-08T10:00:00Z'), new Date('2026-12-08T15:00:00Z'), start, end),
    ).toBe(120)
    expect(
      servedMinutes(new Date('2026-12-08T11:30:00Z'), new Date('2026-12-08T12:15:59Z'), start, end),
    ).toBe(45)
    expect(
      servedMinutes(new Date('2026-12-08T10:00:00Z'), new Date('2026-12-08T10:30:00Z'), start, end),
    ).toBe(0)
  })

  it('pay the activity rate per hour, rounded down', () => {
    expect(rulePoints('volunteer.served', 10, { minutes: 90, pointsPerHour: 12 })).toBe(18)
    expect(rulePoints('volunteer.served', 10, { minutes: 45 })).toBe(7)
  })
})

describe('schemas', () => {
  it('refuse a weekly schedule without weekdays and unknown fields', () => {
    const base = {
      communityId: 'a'.repeat(24),
      title: '活动',
      location: '驿站',
      contactPhone: '13800000000',
      placesPerSession: 10,
    }
    const weekly = {
      kind: 'weekly',
      weekdays: [],
      startTime: '19:00',
      durationMinutes: 60,
      startDate: '2027-01-05',
    }
    expect(CreateActivityBody.safeParse({ ...base, schedule: weekly }).success).toBe(false)
    expect(CreateActivityBody.safeParse({ ...base, schedule: { ...weekly, weekdays: [1] } }).success).toBe(
      true,
    )
    expect(
      CreateActivityBody.safeParse({ ...base, extra: 1, schedule: { ...weekly, weekdays: [1] } }).success,
    ).toBe(false)
    expect(normalizeCode(' ab-cd 23 ')).toBe('ABCD23')
  })
})
