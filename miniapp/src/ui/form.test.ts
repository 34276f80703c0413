import { CreateRewardBody, UpdatePointRulesBody, UpdateRewardBody } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { issuesByField, limitHint, problemIssues } from './form'

describe('issuesByField', () => {
  it('keeps the first message of each field and drops the server path prefix', () => {
    const issues = [
      { path: ['body', 'title'], message: '至少4个字' },
      { path: ['body', 'title'], message: '不能超过40个字' },
      { path: ['phone'], message: '请输入11位手机号' },
    ]
    expect(issuesByField(issues)).toEqual({ title: '至少4个字', phone: '请输入11位手机号' })
  })

  it('asks to choose a field picked from a list', () => {
    const issues = [{ path: ['spaceId'], message: 'Invalid' }]
    expect(issuesByField(issues, { spaceId: '空间' }, ['spaceId'])).toEqual({ spaceId: '请选择空间' })
  })

  it('keys a nested issue by its dotted path as well', () => {
    const issues = [{ path: ['body', 'rules', 2, 'points'], message: '不能大于1000' }]
    expect(issuesByField(issues)).toEqual({ rules: '不能大于1000', 'rules.2.points': '不能大于1000' })
  })
})

describe('problemIssues', () => {
  it("reads a failed call's problem+json errors, or none", () => {
    const failed = { problem: { errors: [{ path: ['title'], message: '不能为空' }] } }
    expect(problemIssues(failed)).toHaveLength(1)
    expect(problemIssues(new Error('x'))).toEqual([])
  })
})

describe('limitHint', () => {
  it("states the shared schema's lengths and ranges, through optional and default", () => {
    expect(limitHint(CreateRewardBody.shape.title)).toBe('最多40个字')
    expect(limitHint(CreateRewardBody.shape.description, '', '，可不填')).toBe('最多500个字，可不填')
    expect(limitHint(CreateRewardBody.shape.voucherDays, '天')).toBe('1–365天')
    expect(limitHint(UpdateRewardBody.shape.addStock, '件')).toBe('-100000–100000件')
    expect(limitHint(UpdatePointRulesBody.shape.expiryYears, '年')).toBe('1–10年')
    expect(limitHint(CreateRewardBody.shape.validFrom)).toBe('')
  })
})
