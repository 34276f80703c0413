import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'

const app = await startTestApp()
const { communityA, communityB } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const otherStaffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping-2' })
const [zhang, li] = await app.verifiedResidents(2, communityA.id, 'audit')
const me = async (token: string) => (await app.call('getMe', {}, { token })).body.id as string

// Staff open a vote on a titled topic and award points to two residents.
const proposed = await app.call(
  'proposeTopic',
  {
    body: {
      communityId: communityA.id,
      title: '楼道照明改造',
      description: '楼道灯经常坏，晚上回家很不安全。',
    },
  },
  { token: staffA },
)
const topicId = proposed.body.id as string
await app.call('screenTopic', { params: { id: topicId }, body: { decision: 'accept' } }, { token: staffA })
const day = await app.call(
  'createDeliberationDay',
  { body: { communityId: communityA.id, date: '2031-06-20', place: '社区议事厅' } },
  { token: staffA },
)
await app.call(
  'scheduleTopic',
  {
    params: { id: topicId },
    body: { dayId: day.body.id, voting: { opensAt: new Date(Date.now() + 60_000).toISOString() } },
  },
  { token: staffA },
)
expect((await app.call('openVoting', { params: { id: topicId } }, { token: staffA })).status).toBe(200)
for (const [token, who] of [
  [staffA, zhang!],
  [otherStaffA, li!],
] as const)
  expect(
    (
      await app.call(
        'awardPoints',
        { body: { userId: who.id, account: 'community', points: 5, reason: '清扫楼道' } },
        { token },
      )
    ).status,
  ).toBeLessThan(300)

const log = (token: string, query: Record<string, string> = {}) =>
  app.call('listAuditLog', { query: { limit: '100', ...query } }, { token })

describe('audit log in Chinese', () => {
  it('says what happened to what, by name: 开启投票 · 议题「楼道照明改造」', async () => {
    const res = await log(staffA)
    expect(res.status).toBe(200)
    const open = res.body.items.find((e: { action: string }) => e.action === 'deliberation.voting.open')
    expect(open).toMatchObject({
      actionLabel: '开启投票',
      subjectName: '楼道照明改造',
      summary: '开启投票 · 议题「楼道照明改造」',
    })
    const accepted = res.body.items.find((e: { action: string }) => e.action === 'deliberation.topic.accept')
    expect(accepted.summary).toBe('受理议题 · 议题「楼道照明改造」')
    const award = res.body.items.find((e: { action: string }) => e.action === 'points.award')
    expect(award.summary).toMatch(/^发放积分 · 居民「a\*+」$/)
    // No English keys or raw ids in what is shown.
    for (const e of res.body.items) expect(e.summary).not.toMatch(/[A-Za-z]{3,}|[0-9a-f]{24}/)
  })

  it('filters by action and by person (as staff, or as the resident concerned)', async () => {
    const opened = await log(staffA, { action: 'deliberation.voting.open' })
    expect(opened.body.items.map((e: { targetId: string }) => e.targetId)).toEqual([topicId])
    const aboutZhang = await log(staffA, { personId: zhang!.id })
    expect(aboutZhang.body.items.map((e: { action: string }) => e.action)).toEqual(['points.award'])
    const byOther = await log(staffA, { personId: await me(otherStaffA) })
    expect(byOther.body.items).toHaveLength(1)
    expect(byOther.body.items[0].detail).toMatchObject({ reason: '清扫楼道' })
    const unknown = await log(staffA, { action: 'deliberation.nonsense' })
    expect([unknown.status, unknown.body.errors[0].message]).toEqual([400, '没有这种操作'])
  })

  it('stays within reach: staff of another community see none of it', async () => {
    expect((await log(staffB)).body.items).toEqual([])
    expect((await log(staffB, { personId: zhang!.id })).body.items).toEqual([])
  })
})
