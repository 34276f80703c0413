import { PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { type ClaimDraft, emptyDraft, validateClaim } from './claim-draft'

const id = (n: number) => String(n).repeat(24)
const filled: ClaimDraft = {
  communityId: id(1),
  gridId: id(2),
  courtyardId: id(3),
  buildingId: id(4),
  unit: ' 2 ',
  room: '301',
  realName: '张三',
  phone: '13812345678',
}

describe('validateClaim', () => {
  it('passes a filled draft, trimmed, without the grid', () => {
    const result = validateClaim(filled)
    expect(result).toEqual({
      ok: true,
      body: { ...filled, gridId: undefined, unit: '2', consentVersion: PRIVACY_NOTICE_VERSION },
    })
    expect(result.ok && 'gridId' in result.body).toBe(false)
  })

  it('asks to pick what is not picked, in form order', () => {
    expect(validateClaim(emptyDraft)).toMatchObject({ ok: false, message: '请选择社区' })
    expect(validateClaim({ ...filled, buildingId: '' })).toEqual({
      ok: false,
      message: '请选择楼栋',
      fields: { buildingId: '请选择楼栋' },
    })
  })

  it('names the field with the schema message', () => {
    expect(validateClaim({ ...filled, phone: '12345' })).toEqual({
      ok: false,
      message: '手机号：请输入11位手机号',
      fields: { phone: '请输入11位手机号' },
    })
    expect(validateClaim({ ...filled, room: '  ' })).toMatchObject({ ok: false, message: '门牌号：不能为空' })
  })
})
