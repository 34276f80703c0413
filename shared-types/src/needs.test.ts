import { describe, expect, it } from 'vitest'
import {
  CreateNeedInput,
  canRaiseLevel,
  canReopenNeed,
  type NeedAction,
  type NeedSla,
  type NeedStatus,
  needDayRange,
  needRates,
  needStatuses,
  needTimerFor,
  nextNeedLevel,
  nextNeedStatus,
  slaDeadline,
} from './needs'

describe('need status machine', () => {
  it('walks the happy path submitted → accepted → inProgress → resolved → closed', () => {
    let s: NeedStatus = 'submitted'
    for (const [action, expected] of [
      ['accept', 'accepted'],
      ['reply', 'inProgress'],
      ['resolve', 'resolved'],
      ['rate', 'closed'],
      ['reopen', 'reopened'],
      ['accept', 'accepted'],
    ] as const) {
      const next = nextNeedStatus(s, action)
      expect(next).toBe(expected)
      s = next!
    }
  })

  it('refuses every transition not in the table', () => {
    const refused: [NeedStatus, NeedAction][] = [
      ['withdrawn', 'accept'],
      ['accepted', 'withdraw'],
      ['submitted', 'resolve'],
      ['submitted', 'rate'],
      ['closed', 'accept'],
      ['duplicate', 'reopen'],
      ['resolved', 'accept'],
      ['accepted', 'accept'],
    ]
    for (const [status, action] of refused) expect(nextNeedStatus(status, action)).toBeNull()
  })

  it('keeps a referred need referred when replying, and lets it be resolved', () => {
    expect(nextNeedStatus('referred', 'reply')).toBe('referred')
    expect(nextNeedStatus('referred', 'resolve')).toBe('resolved')
    expect(nextNeedStatus('inProgress', 'note')).toBe('inProgress')
  })

  it('terminal statuses allow nothing but (for closed) a reopen', () => {
    const actions: NeedAction[] = ['accept', 'reply', 'resolve', 'refer', 'markDuplicate', 'withdraw', 'rate']
    for (const status of ['withdrawn', 'duplicate', 'rejected'] as NeedStatus[])
      for (const a of [...actions, 'reopen' as const]) expect(nextNeedStatus(status, a)).toBeNull()
    expect(needStatuses).toHaveLength(10)
  })

  it('reopens only when unsatisfied and at most twice', () => {
    expect(canReopenNeed({ status: 'resolved', rating: null, reopenCount: 0 })).toBe(true)
    expect(canReopenNeed({ status: 'closed', rating: 2, reopenCount: 1 })).toBe(true)
    expect(canReopenNeed({ status: 'closed', rating: 4, reopenCount: 0 })).toBe(false)
    expect(canReopenNeed({ status: 'resolved', rating: null, reopenCount: 2 })).toBe(false)
    expect(canReopenNeed({ status: 'accepted', rating: null, reopenCount: 0 })).toBe(false)
  })
})

describe('need level machine', () => {
  it('rises courtyard → grid → community → street and stops there', () => {
    expect(nextNeedLevel('courtyard')).toBe('grid')
    expect(nextNeedLevel('grid')).toBe('community')
    expect(nextNeedLevel('community')).toBe('street')
    expect(nextNeedLevel('street')).toBeNull()
  })

  it('hand escalation only goes up', () => {
    expect(canRaiseLevel('courtyard', 'community')).toBe(true)
    expect(canRaiseLevel('community', 'grid')).toBe(false)
    expect(canRaiseLevel('grid', 'grid')).toBe(false)
  })
})

describe('SLA timers', () => {
  const t = (a: number, r: number, s: number) => ({ acceptMinutes: a, replyMinutes: r, resolveMinutes: s })
  const sla: NeedSla = { normal: t(120, 240, 2880), urgent: t(30, 60, 720), emergency: t(10, 30, 240) }
  const from = new Date('2025-03-01T02:00:00Z')

  it('computes deadlines per urgency and timer', () => {
    expect(slaDeadline(sla, 'normal', 'accept', from).toISOString()).toBe('2025-03-01T04:00:00.000Z')
    expect(slaDeadline(sla, 'emergency', 'accept', from).toISOString()).toBe('2025-03-01T02:10:00.000Z')
    expect(slaDeadline(sla, 'urgent', 'resolve', from).toISOString()).toBe('2025-03-01T14:00:00.000Z')
  })

  it('runs the accept timer until accepted, then first reply, then resolve', () => {
    expect(needTimerFor('submitted', false)).toBe('accept')
    expect(needTimerFor('reopened', true)).toBe('accept')
    expect(needTimerFor('accepted', false)).toBe('reply')
    expect(needTimerFor('inProgress', true)).toBe('resolve')
    expect(needTimerFor('resolved', true)).toBeNull()
    expect(needTimerFor('referred', true)).toBeNull()
  })

  it('turns a day range into instants in the community zone', () => {
    const { start, end } = needDayRange('2025-03-01', '2025-03-31')
    expect(start.toISOString()).toBe('2025-02-28T16:00:00.000Z')
    expect(end.toISOString()).toBe('2025-03-31T16:00:00.000Z')
  })
})

describe('need stats and input', () => {
  it('derives rates and averages from sums and counts', () => {
    const r = needRates({
      total: 5,
      counted: 4,
      acceptedOnTime: 3,
      resolvedKept: 2,
      rated: 2,
      satisfied: 1,
      acceptCount: 4,
      acceptMinutes: 100,
      resolveCount: 2,
      resolveMinutes: 61,
    })
    expect(r).toEqual({
      responseRate: 0.75,
      resolveRate: 0.5,
      satisfactionRate: 0.5,
      avgAcceptMinutes: 25,
      avgResolveMinutes: 30.5,
    })
    expect(
      needRates({ ...Object.fromEntries(Object.keys(r).map((k) => [k, 0])), counted: 0 } as never),
    ).toMatchObject({ responseRate: null, satisfactionRate: null })
  })

  it('limits photos to nine and refuses unknown fields', () => {
    const base = { categoryId: 'a'.repeat(24), title: '水管爆了', description: '楼道水管漏水' }
    expect(CreateNeedInput.parse(base).urgency).toBe('normal')
    expect(CreateNeedInput.safeParse({ ...base, photoIds: Array(10).fill('a'.repeat(24)) }).success).toBe(
      false,
    )
    expect(CreateNeedInput.safeParse({ ...base, status: 'closed' }).success).toBe(false)
  })
})
