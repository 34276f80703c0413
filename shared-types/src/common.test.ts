import { describe, expect, it } from 'vitest'
import { maskName, maskPhone, PageQuery, Phone } from './common'
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
