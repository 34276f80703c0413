import { voucherQrPayload } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { qrMatrix, rowRuns } from './matrix'

describe('voucher QR matrix', () => {
  const payload = voucherQrPayload('ABCDEFGHJKMN')
  const m = qrMatrix(payload)

  it('is square with the three finder patterns in the corners', () => {
    const n = m.length
    expect(n).toBeGreaterThanOrEqual(21)
    expect((n - 17) % 4).toBe(0)
    for (const row of m) expect(row).toHaveLength(n)
    // A finder is a 7×7 dark ring around a light ring around a 3×3 dark core.
    const finder = (top: number, left: number) =>
      Array.from({ length: 7 }, (_, r) =>
        Array.from({ length: 7 }, (_, c) => m[top + r]![left + c])
          .map(Number)
          .join(''),
      )
    const expected = ['1111111', '1000001', '1011101', '1011101', '1011101', '1000001', '1111111']
    expect(finder(0, 0)).toEqual(expected)
    expect(finder(0, n - 7)).toEqual(expected)
    expect(finder(n - 7, 0)).toEqual(expected)
  })

  it('differs for different codes and is stable for one', () => {
    expect(qrMatrix(payload)).toEqual(m)
    expect(qrMatrix(voucherQrPayload('ABCDEFGHJKMP'))).not.toEqual(m)
  })

  it('run-length encodes a row losslessly', () => {
    for (const row of m) {
      const runs = rowRuns(row)
      expect(runs.flatMap((r) => Array<boolean>(r.length).fill(r.dark))).toEqual(row)
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.dark).not.toBe(runs[i - 1]!.dark)
    }
  })
})
