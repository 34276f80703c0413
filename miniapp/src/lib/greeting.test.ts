import { describe, expect, it } from 'vitest'
import { greeting } from './greeting'

describe('greeting', () => {
  it('follows the hour in the community zone (UTC+8)', () => {
    expect(greeting(new Date('2025-11-23T00:00:00Z'))).toBe('早上好') // 08:00
    expect(greeting(new Date('2025-11-23T04:00:00Z'))).toBe('中午好') // 12:00
    expect(greeting(new Date('2025-11-23T07:00:00Z'))).toBe('下午好') // 15:00
    expect(greeting(new Date('2025-11-23T13:00:00Z'))).toBe('晚上好') // 21:00
    expect(greeting(new Date('2025-11-23T20:59:00Z'))).toBe('晚上好') // 04:59
  })
})
