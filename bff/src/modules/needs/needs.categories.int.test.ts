import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Audit } from '../audit/audit.model'
import { Need } from './need.model'

const app = await startTestApp()
const { communityA, communityB } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const [resident] = await app.verifiedResidents(1, communityA.id)

const t = (acceptMinutes: number, replyMinutes: number, resolveMinutes: number) => ({
  acceptMinutes,
  replyMinutes,
  resolveMinutes,
})
const sla = { normal: t(240, 480, 4320), urgent: t(60, 120, 1440), emergency: t(15, 30, 240) }
const body = {
  communityId: communityA.id,
  key: 'parking',
  name: '停车管理',
  description: '乱停车、占用消防通道',
  sla,
}

describe('need category editors', () => {
  it('creates a category with timers per urgency, audited, that residents can report under', async () => {
    const res = await app.call('createNeedCategory', { body }, { token: staffA })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      key: 'parking',
      name: '停车管理',
      sla,
      active: true,
      defaultLevel: 'courtyard',
    })
    const dup = await app.call('createNeedCategory', { body }, { token: staffA })
    expect([dup.status, dup.body.code]).toEqual([409, 'DUPLICATE'])
    const entry = await Audit.findOne({ action: 'need.category.create', targetId: res.body.id }).lean()
    expect(entry).toMatchObject({ subjectName: '停车管理', actorName: '望平社区王主任' })
    const list = await app.call('listNeedCategories', {}, { token: resident!.token })
    expect(list.body.items.map((c: { key: string }) => c.key)).toContain('parking')
    const need = await app.call(
      'createNeed',
      {
        body: { categoryId: res.body.id, title: '车堵门口', description: '消防通道被堵', urgency: 'urgent' },
      },
      { token: resident!.token },
    )
    expect(need.status).toBe(201)
    expect(need.body.secondsLeft).toBeGreaterThan(59 * 60)
    expect(need.body.secondsLeft).toBeLessThanOrEqual(60 * 60)
  })

  it('refuses timers out of order, with the field and a Chinese message', async () => {
    const backwards = { ...sla, normal: t(240, 100, 4320) }
    const res = await app.call(
      'createNeedCategory',
      { body: { ...body, key: 'p2', sla: backwards } },
      { token: staffA },
    )
    expect(res.status).toBe(422)
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        path: ['sla', 'normal', 'replyMinutes'],
        message: '答复时限不能短于受理时限',
      }),
    )
    const slower = { ...sla, emergency: t(300, 480, 4320) }
    const res2 = await app.call(
      'createNeedCategory',
      { body: { ...body, key: 'p3', sla: slower } },
      { token: staffA },
    )
    expect(res2.body.errors[0]).toMatchObject({
      path: ['sla', 'emergency', 'acceptMinutes'],
      message: '特急的时限不能长于紧急',
    })
  })

  it('updates timers (running needs keep theirs), switches off, audits; other communities get 404', async () => {
    const cats = await app.call('listNeedCategories', {}, { token: staffA })
    const parking = cats.body.items.find((c: { key: string }) => c.key === 'parking')
    const before = await Need.findOne({ categoryId: parking.id }).lean()
    const faster = { ...sla, urgent: t(30, 60, 720) }
    const res = await app.call(
      'updateNeedCategory',
      { params: { id: parking.id }, body: { sla: faster } },
      { token: staffA },
    )
    expect(res.body.sla.urgent).toEqual(t(30, 60, 720))
    expect((await Need.findById(before!._id).lean())!.acceptDueAt).toEqual(before!.acceptDueAt)
    const off = await app.call(
      'updateNeedCategory',
      { params: { id: parking.id }, body: { active: false } },
      { token: staffA },
    )
    expect(off.body.active).toBe(false)
    const residentList = await app.call('listNeedCategories', {}, { token: resident!.token })
    expect(residentList.body.items.map((c: { key: string }) => c.key)).not.toContain('parking')
    const editorList = await app.call(
      'listNeedCategories',
      { query: { includeInactive: 'true' } },
      { token: staffA },
    )
    expect(editorList.body.items.map((c: { key: string }) => c.key)).toContain('parking')
    expect(await Audit.countDocuments({ action: 'need.category.update', targetId: parking.id })).toBe(2)

    const other = await app.call(
      'updateNeedCategory',
      { params: { id: parking.id }, body: { name: '越权' } },
      { token: staffB },
    )
    expect(other.status).toBe(404)
    const otherCreate = await app.call(
      'createNeedCategory',
      { body: { ...body, key: 'p4' } },
      { token: staffB },
    )
    expect(otherCreate.status).toBe(404)
    const byResident = await app.call(
      'createNeedCategory',
      { body: { ...body, key: 'p5' } },
      { token: resident!.token },
    )
    expect(byResident.status).toBe(403)
    const empty = await app.call(
      'updateNeedCategory',
      { params: { id: parking.id }, body: {} },
      { token: staffA },
    )
    expect(empty.body.errors[0].message).toBe('没有要修改的内容')
  })
})
