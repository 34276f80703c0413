import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDay, formatWhen, greeting } from './time'

describe('time in China', () => {
  it('formats instants in UTC+8, across the date line', () => {
    expect(formatDateTime('2025-11-23T06:05:00.000Z')).toBe('2025-11-23 14:05')
    expect(formatDateTime('2025-12-31T16:30:00Z')).toBe('2026-01-01 00:30')
    expect(formatDateTime(new Date(Date.UTC(2025, 0, 1, 0, 0)))).toBe('2025-01-01 08:00')
  })

  it('greets by the hour in China, not the machine', () => {
    expect(greeting(new Date('2025-11-23T00:00:00Z'))).toBe('早上好') // 08:00
    expect(greeting(new Date('2025-11-23T04:00:00Z'))).toBe('中午好') // 12:00
    expect(greeting(new Date('2025-11-23T07:00:00Z'))).toBe('下午好') // 15:00
    expect(greeting(new Date('2025-11-23T13:00:00Z'))).toBe('晚上好') // 21:00
    expect(greeting(new Date('2025-11-23T20:59:00Z'))).toBe('晚上好') // 04:59
  })

  it('reads days as 12月9日 周三 and today as 今天, in China time', () => {
    expect(formatDay('2026-12-09T02:00:00Z')).toBe('12月9日 周三')
    expect(formatDay('2026-12-08T16:30:00Z')).toBe('12月9日 周三') // 00:30 on the 9th in China
    const now = new Date('2026-12-02T10:00:00Z') // 18:00 in China
    expect(formatWhen('2026-12-02T06:06:00Z', now)).toBe('今天 14:06')
    expect(formatWhen('2026-12-01T06:06:00Z', now)).toBe('12月1日 周二 14:06')
  })
})
