import { describe, expect, it } from 'vitest'
import { issuesByField, problemIssues } from './form'

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
})

describe('problemIssues', () => {
  it("reads a failed call's problem+json errors, or none", () => {
    const failed = { problem: { errors: [{ path: ['title'], message: '不能为空' }] } }
    expect(problemIssues(failed)).toHaveLength(1)
    expect(problemIssues(new Error('x'))).toEqual([])
  })
})
