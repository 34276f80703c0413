import { describe, expect, it } from 'vitest'
import { isDateString } from './booking-rules'
import { LocalDate, maskName, maskPhone, PageQuery, Phone } from './common'
import { buildPath } from './http'

describe('masking', () => {
  it('masks phone numbers to 3+4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('123')).toBe('****')
  })

  it('keeps only the first character of a name, counting characters not bytes', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳小明')).toBe('欧***')
    expect(maskName('李')).toBe('*')
  })
})

describe('input rules', () => {
  it('accepts real calendar dates only, the same ones as the calendar does', () => {
    for (const bad of ['2026-02-30', '0000-00-00', '2301-73-75', '2100-02-29', '1900-02-29', '2026-4-01', ''])
      expect(LocalDate.safeParse(bad).success, bad).toBe(false)
    for (const good of ['2026-02-28', '2024-02-29', '2000-02-29', '1900-01-01', '2199-12-31'])
      expect(LocalDate.safeParse(good).success, good).toBe(true)
    const pad = (n: number) => String(n).padStart(2, '0')
    for (const year of [1900, 1999, 2000, 2023, 2024, 2100, 2196])
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const s = `${year}-${pad(m)}-${pad(d)}`
          expect(LocalDate.safeParse(s).success, s).toBe(isDateString(s))
        }
  })

  it('accepts mainland mobile numbers only', () => {
    expect(Phone.safeParse('13812345678').success).toBe(true)
    expect(Phone.safeParse('12812345678').success).toBe(false)
    expect(Phone.safeParse('1381234567').success).toBe(false)
  })

  it('bounds page sizes and coerces query strings', () => {
    expect(PageQuery.parse({ limit: '5' }).limit).toBe(5)
    expect(PageQuery.parse({}).limit).toBe(20)
    expect(PageQuery.safeParse({ limit: '1000' }).success).toBe(false)
    expect(PageQuery.safeParse({ extra: '1' }).success).toBe(false)
  })
})

describe('buildPath', () => {
  it('fills and encodes path parameters', () => {
    expect(buildPath('/a/:id/b/:name', { id: '42', name: 'x y' })).toBe('/a/42/b/x%20y')
    expect(() => buildPath('/a/:id')).toThrow(/id/)
  })
})
