import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { User } from '../auth/user.model'
import { Need, NeedWhistle } from '../needs/need.model'
import { needsSweeper } from '../needs/needs.sweeper'
import { Notification } from '../notify/notification.model'
import { OrgUnit } from '../org/org-unit.model'

const app = await startTestApp()
const { communityA, communityB, departments, streetId } = app.demo

const resident = await app.login('resident', { handle: 'resident-zhang' })
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const street = await app.login('streetStaff', { scopeId: streetId, handle: 'street-mzw' })
const chengguan = await app.login('deptStaff', { scopeId: departments.chengguan, handle: 'dept-chengguan' })
const wuyeA = await app.login('deptStaff', { scopeId: departments.propertyA, handle: 'dept-wangping-wuye' })

// Another street S2 with a community and a 城管 of its own.
const s2 = await OrgUnit.create({ level: 'street', name: '双桥子街道' })
const c2 = await OrgUnit.create({ level: 'community', name: '双桥社区', parentId: s2._id, streetId: s2._id })
const d2 = await OrgUnit.create({
  level: 'department',
  kind: 'urbanManagement',
  name: '双桥城管中队',
  parentId: s2._id,
  streetId: s2._id,
})
const otherStreetDept = await app.login('deptStaff', { scopeId: String(d2._id), handle: 'dept-s2' })

const categories = (await app.call('listNeedCategories', {}, { token: resident })).body.items as {
  id: string
  key: string
}[]
let seq = 0
async function report() {
  const res = await app.call(
    'createNeed',
    {
      body: {
        categoryId: categories.find((c) => c.key === 'other')!.id,
        title: `占道经营${++seq}`,
        description: '小区门口有摊贩占道',
        ignoreDuplicates: true,
      },
    },
    { token: resident },
  )
  expect(res.status).toBe(201)
  return res.body as { id: string }
}
const whistle = async (needId: string, departmentId: string, extra: Record<string, unknown> = {}) => {
  const res = await app.call(
    'escalateNeed',
    { params: { id: needId }, body: { departmentId, ...extra } },
    { token: staffA },
  )
  return res
}
const queueIds = async (token: string, state = 'open') =>
  (await app.call('listDepartmentQueue', { query: { state } }, { token })).body.items.map(
    (i: { need: { id: string } }) => i.need.id,
  )

describe('departments as parties', () => {
  it('lists the departments a community may whistle: its street’s and its own, never another community’s', async () => {
    const res = await app.call(
      'listDepartments',
      { query: { communityId: communityA.id } },
      { token: staffA },
    )
    const names = res.body.items.map((d: { name: string }) => d.name)
    expect(names).toEqual(expect.arrayContaining(['城管执法中队', '猛追湾派出所', '望平社区物业']))
    expect(names).not.toContain('香木林社区物业')
    expect(names).not.toContain('双桥城管中队')
    const other = await app.call(
      'listDepartments',
      { query: { communityId: communityA.id } },
      { token: staffB },
    )
    expect(other.status).toBe(404)
  })

  it('street staff register a department of the street; community staff only their community’s', async () => {
    const made = await app.call(
      'createDepartment',
      { body: { name: '街道应急办', kind: 'streetOffice', streetId } },
      { token: street },
    )
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ streetId, communityId: null, attachedTo: '猛追湾街道' })
    const ownersCommittee = await app.call(
      'createDepartment',
      { body: { name: '望平街12号院业委会', kind: 'ownersCommittee', communityId: communityA.id } },
      { token: staffA },
    )
    expect(ownersCommittee.body).toMatchObject({ communityId: communityA.id, kind: 'ownersCommittee' })
    const notTheirs = await app.call(
      'createDepartment',
      { body: { name: '越权物业', kind: 'property', communityId: communityA.id } },
      { token: staffB },
    )
    expect(notTheirs.status).toBe(404)
    const streetByStaff = await app.call(
      'createDepartment',
      { body: { name: '越权科室', kind: 'streetOffice', streetId } },
      { token: staffA },
    )
    expect(streetByStaff.status).toBe(404)
  })

  it('a department of street S cannot see needs outside S; a department sees only needs whistled to it', async () => {
    const whistled = await report()
    const notWhistled = await report()
    expect((await whistle(whistled.id, departments.chengguan)).status).toBe(200)
    // Departments of another street or another community cannot be whistled.
    for (const bad of [String(d2._id), (await OrgUnit.findOne({ name: '香木林社区物业' }).lean())!._id]) {
      const res = await whistle(whistled.id, String(bad))
      expect([res.status, res.body.code]).toEqual([422, 'DEPARTMENT_INVALID'])
    }
    expect(await queueIds(chengguan)).toContain(whistled.id)
    expect(await queueIds(chengguan)).not.toContain(notWhistled.id)
    expect((await app.call('getNeed', { params: { id: whistled.id } }, { token: chengguan })).status).toBe(
      200,
    )
    expect((await app.call('getNeed', { params: { id: notWhistled.id } }, { token: chengguan })).status).toBe(
      404,
    )
    // 望平社区物业 (same street, not whistled) and street S2's 城管 see nothing of it.
    for (const outsider of [wuyeA, otherStreetDept]) {
      expect(await queueIds(outsider)).toEqual([])
      expect((await app.call('getNeed', { params: { id: whistled.id } }, { token: outsider })).status).toBe(
        404,
      )
    }
    const w = await NeedWhistle.findOne({ needId: whistled.id }).lean()
    const stolen = await app.call(
      'reportInAsDepartment',
      { params: { id: String(w!._id) }, body: { note: '我来' } },
      { token: otherStreetDept },
    )
    expect(stolen.status).toBe(404)
    // A department account has no handler reach: the community queue is not theirs.
    expect((await app.call('listNeedsForHandling', {}, { token: chengguan })).status).toBe(403)
    expect(c2.streetId).toEqual(s2._id)
  })

  it('reports in itself, replies and resolves; or hands back with a reason', async () => {
    const need = await report()
    const w = (await whistle(need.id, departments.chengguan, { reportInMinutes: 30 })).body.whistles[0].id
    const early = await app.call(
      'resolveAsDepartment',
      { params: { id: w }, body: { reply: '已清理' } },
      { token: chengguan },
    )
    expect([early.status, early.body.code]).toEqual([409, 'WHISTLE_STATE_CONFLICT'])
    const inn = await app.call(
      'reportInAsDepartment',
      { params: { id: w }, body: { note: '队员已到场' } },
      { token: chengguan },
    )
    expect(inn.body.status).toBe('accepted')
    const item = (await app.call('listDepartmentQueue', {}, { token: chengguan })).body.items.find(
      (i: { whistleId: string }) => i.whistleId === w,
    )
    expect(item).toMatchObject({ state: 'reportedIn', overdue: false })
    const replied = await app.call(
      'replyAsDepartment',
      { params: { id: w }, body: { note: '已劝离摊贩' } },
      { token: chengguan },
    )
    expect(replied.body.status).toBe('inProgress')
    const done = await app.call(
      'resolveAsDepartment',
      { params: { id: w }, body: { reply: '摊贩已清理，今后每日巡查' } },
      { token: chengguan },
    )
    expect(done.body.status).toBe('resolved')
    expect((await NeedWhistle.findById(w).lean())!.state).toBe('resolved')
    expect(await queueIds(chengguan, 'resolved')).toContain(need.id)

    const other = await report()
    const w2 = (await whistle(other.id, departments.chengguan)).body.whistles[0].id
    const noReason = await app.call('handBackWhistle', { params: { id: w2 }, body: {} }, { token: chengguan })
    expect(noReason.status).toBe(400)
    const back = await app.call(
      'handBackWhistle',
      { params: { id: w2 }, body: { reason: '属于物业管理范围' } },
      { token: chengguan },
    )
    expect(back.status).toBe(200)
    const seen = await app.call('getNeed', { params: { id: other.id } }, { token: staffA })
    expect(seen.body.whistles[0]).toMatchObject({ state: 'handedBack', handBackReason: '属于物业管理范围' })
    const staffId = String((await User.findOne({ openid: 'dev:staff-wangping' }).lean())!._id)
    expect(await Notification.countDocuments({ userId: staffId, kind: 'need.handedBack' })).toBe(1)
    const again = await app.call(
      'reportInAsDepartment',
      { params: { id: w2 }, body: { note: 'x' } },
      { token: chengguan },
    )
    expect(again.status).toBe(409)
  })

  it('a missed report-in goes to the street exactly once, with two sweepers racing', async () => {
    const need = await report()
    const blown = await whistle(need.id, departments.police, { reportInMinutes: 10 })
    const w = blown.body.whistles[0].id
    const due = new Date(blown.body.whistles[0].dueAt).getTime()
    await needsSweeper.run(app.deps, new Date(due - 1000))
    expect((await Need.findById(need.id).lean())!.level).not.toBe('street')
    await Promise.all([
      needsSweeper.run(app.deps, new Date(due + 60_000)),
      needsSweeper.run(app.deps, new Date(due + 60_000)),
    ])
    await needsSweeper.run(app.deps, new Date(due + 120_000))
    const stored = await Need.findById(need.id).lean()
    expect(stored!.level).toBe('street')
    expect(stored!.timeline.filter((e) => e.kind === 'whistleOverdue')).toHaveLength(1)
    const whistleDoc = await NeedWhistle.findById(w).lean()
    expect(whistleDoc!.overdueAt).not.toBeNull()
    expect(whistleDoc!.escalatedAt).not.toBeNull()
    const streetId = String((await User.findOne({ openid: 'dev:street-mzw' }).lean())!._id)
    expect(
      await Notification.countDocuments({
        userId: streetId,
        dedupeKey: `need.assigned:${need.id}:street:${streetId}`,
      }),
    ).toBe(1)
    const queue = await app.call('listNeedsForHandling', { query: { level: 'street' } }, { token: street })
    expect(queue.body.items.map((n: { id: string }) => n.id)).toContain(need.id)
    // A late report-in is still taken, and counted as late.
    const police = await app.login('deptStaff', { scopeId: departments.police, handle: 'dept-police' })
    const late = await app.call(
      'reportInAsDepartment',
      { params: { id: w }, body: { note: '迟到' } },
      { token: police },
    )
    expect(late.status).toBe(200)
  })

  it('finishes an escalation a crash left half-done (flagged, need not yet raised)', async () => {
    const need = await report()
    const w = (await whistle(need.id, departments.police, { reportInMinutes: 10 })).body.whistles[0].id
    await NeedWhistle.updateOne({ _id: w }, { $set: { overdueAt: new Date() } })
    await needsSweeper.run(app.deps, new Date())
    const stored = await Need.findById(need.id).lean()
    expect(stored!.timeline.filter((e) => e.kind === 'whistleOverdue')).toHaveLength(1)
    expect(stored!.level).toBe('street')
  })
})
