import { describe, expect, it } from 'vitest'
import {
  canRedemptionMove,
  capPeriods,
  codeFromScan,
  formatVoucherCode,
  generateVoucherCode,
  isVoucherCode,
  localDayRange,
  normalizeVoucherCode,
  pointsDueToExpire,
  pointsExpiryDate,
  rulePoints,
  voucherAlphabet,
  voucherCodeBits,
  voucherExpiry,
  voucherQrPayload,
  voucherRedeemBlock,
} from './points'

const randomInt = (max: number) => Math.floor(Math.random() * max)

describe('voucher codes', () => {
  it('carry at least 50 bits from an alphabet without look-alikes', () => {
    expect(voucherCodeBits).toBeGreaterThanOrEqual(50)
    for (const c of '01OIL') expect(voucherAlphabet).not.toContain(c)
    const codes = new Set(Array.from({ length: 2000 }, () => generateVoucherCode(randomInt)))
    expect(codes.size).toBe(2000)
    for (const c of codes) expect(isVoucherCode(c)).toBe(true)
  })

  it('normalise typed and scanned input', () => {
    const code = generateVoucherCode(randomInt)
    expect(normalizeVoucherCode(formatVoucherCode(code).toLowerCase())).toBe(code)
    expect(codeFromScan(voucherQrPayload(code))).toBe(code)
    expect(isVoucherCode('ABCD-EFGH-JKM0')).toBe(false)
    expect(isVoucherCode(normalizeVoucherCode('abcd efgh jkmo'))).toBe(false)
  })
})

describe('time rules in the community time zone', () => {
  it('points expire at the end of the next calendar year, local time', () => {
    // 2025-12-31 20:00 UTC is already 2026-01-01 in Shanghai → expires end of 2027 local.
    expect(pointsExpiryDate(new Date('2025-12-31T20:00:00Z')).toISOString()).toBe('2027-12-31T15:59:59.999Z')
    expect(pointsExpiryDate(new Date('2025-06-01T00:00:00Z'), 'Asia/Shanghai', 2).toISOString()).toBe(
      '2027-12-31T15:59:59.999Z',
    )
  })

  it('caps count by local day and month', () => {
    expect(capPeriods(new Date('2026-01-31T17:00:00Z'))).toEqual({ day: '2026-02-01', month: '2026-02' })
  })

  it('local day ranges and voucher expiry never outlive the reward', () => {
    const { start, end } = localDayRange('2026-03-01', '2026-03-01')
    expect([start.toISOString(), end.toISOString()]).toEqual([
      '2026-02-28T16:00:00.000Z',
      '2026-03-01T16:00:00.000Z',
    ])
    const issued = new Date('2026-03-01T02:00:00Z')
    expect(voucherExpiry(issued, 7, new Date('2027-01-01T00:00:00Z')).toISOString()).toBe(
      '2026-03-08T15:59:59.999Z',
    )
    const until = new Date('2026-03-03T00:00:00Z')
    expect(voucherExpiry(issued, 7, until)).toEqual(until)
  })
})

describe('points rules', () => {
  it('expire oldest first, never more than what is left', () => {
    expect(pointsDueToExpire(50, 20, 60)).toBe(30)
    expect(pointsDueToExpire(50, 70, 10)).toBe(0)
    expect(pointsDueToExpire(100, 0, 40)).toBe(40)
  })

  it('volunteer hours pay per hour, others flat', () => {
    expect(rulePoints('volunteer.approved', 10, { hours: 2.5 })).toBe(25)
    expect(rulePoints('vote.cast', 5, { hours: 9 })).toBe(5)
  })

  it('redemption moves only forward or to undo', () => {
    expect(canRedemptionMove('started', 'charged')).toBe(true)
    expect(canRedemptionMove('completed', 'undoing')).toBe(false)
    expect(canRedemptionMove('undone', 'started')).toBe(false)
  })

  it('names why a voucher cannot be redeemed', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    const later = new Date('2026-02-01T00:00:00Z')
    expect(voucherRedeemBlock('issued', later, now)).toBeNull()
    expect(voucherRedeemBlock('issued', now, now)).toBe('VOUCHER_EXPIRED')
    expect(voucherRedeemBlock('redeemed', later, now)).toBe('VOUCHER_ALREADY_REDEEMED')
    expect(voucherRedeemBlock('cancelled', later, now)).toBe('VOUCHER_CANCELLED')
  })
})

describe('zone arithmetic on the hot path', () => {
  // Checked against the platform's own zone database (Intl), DST days included: the result is the
  // last millisecond of the right local day, and one millisecond later is that day's next midnight.
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe']
  const instants = Array.from(
    { length: 400 },
    (_, i) => new Date(Date.UTC(2025, 0, 1) + i * 21_937_000 + (i % 7) * 3_599_999),
  )
  const formats = new Map<string, Intl.DateTimeFormat>()
  const format = (tz: string) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
  const wall = (at: Date, tz: string) => {
    if (!formats.has(tz)) formats.set(tz, format(tz))
    return formats.get(tz)!.format(at)
  }
  const next = (date: string, days: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
  const endsDay = (end: Date, date: string, tz: string) => {
    expect(wall(end, tz)).toBe(`${date} 23:59:59`)
    expect(wall(new Date(end.getTime() + 1), tz)).toBe(`${next(date, 1)} 00:00:00`)
  }
  it("give the local day, month, end of a voucher's last day and end of the expiry year", () => {
    const far = new Date('2030-01-01T00:00:00Z')
    for (const tz of zones)
      for (const at of instants) {
        const day = wall(at, tz).slice(0, 10)
        expect(capPeriods(at, tz)).toEqual({ day, month: day.slice(0, 7) })
        endsDay(voucherExpiry(at, 7, far, tz), next(day, 7), tz)
        endsDay(pointsExpiryDate(at, tz, 2), `${Number(day.slice(0, 4)) + 2}-12-31`, tz)
      }
  })
})
