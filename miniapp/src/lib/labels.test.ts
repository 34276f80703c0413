import type { Me } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import {
  auditActionLabel,
  communityName,
  hasRole,
  membershipLabel,
  residencyStatusLabels,
  statusTone,
} from './labels'

const me = (roles: Me['roles']): Me => ({
  id: 'a'.repeat(24),
  nickname: '小王',
  roles,
  residencyStatus: 'verified',
  communityId: 'b'.repeat(24),
  timezone: 'Asia/Shanghai',
})

describe('labels', () => {
  it('names every residency status', () => {
    expect(residencyStatusLabels).toEqual({
      none: '未认证',
      pending: '审核中',
      verified: '已认证',
      rejected: '未通过',
    })
    expect(statusTone('verified')).toBe('ok')
    expect(statusTone('approved')).toBe('ok')
    expect(statusTone('pending')).toBe('wait')
    expect(statusTone('rejected')).toBe('bad')
    expect(statusTone('none')).toBe('none')
  })

  it('labels memberships, roles and the community', () => {
    const staff = {
      role: 'staff',
      scopeType: 'community',
      scopeId: 'b'.repeat(24),
      scopeName: '望平社区',
    } as const
    const admin = { role: 'admin', scopeType: 'global', scopeId: null, scopeName: '' } as const
    const resident = { ...staff, role: 'resident' } as const
    expect(membershipLabel(staff)).toBe('社区工作人员 · 望平社区')
    expect(membershipLabel(admin)).toBe('管理员')
    expect(hasRole(me([staff]), ['staff', 'admin'])).toBe(true)
    expect(hasRole(me([resident]), ['staff', 'admin'])).toBe(false)
    expect(hasRole(null, ['staff'])).toBe(false)
    expect(communityName(me([staff, resident]))).toBe('望平社区')
    expect(communityName(me([staff]))).toBeNull()
  })

  it('labels known audit actions and others by domain and verb, never the raw key', () => {
    expect(auditActionLabel('residency.claim.approved')).toBe('通过认证申请')
    expect(auditActionLabel('points.award')).toBe('积分 · 发放')
    expect(auditActionLabel('lending.shelf.create')).toBe('共享物品 · 新建')
    expect(auditActionLabel('unknown.thing')).toBe('其他 · 操作')
  })
})
