import { zoneDate } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Audit } from '../audit/audit.model'
import { User } from '../auth/user.model'
import { Need, NeedFact } from '../needs/need.model'
import { Notification } from '../notify/notification.model'

const app = await startTestApp()
const { communityA, communityB } = app.demo

const resident = await app.login('resident', { handle: 'resident-zhang' })
const gridWorker = await app.login('gridWorker', {
  scopeId: communityA.gridIds[0]!,
  handle: 'grid-wangping-1',
})
const otherGridWorker = await app.login('gridWorker', { scopeId: communityA.gridIds[1]!, handle: 'grid-2-a' })
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const street = await app.login('streetStaff', { scopeId: app.demo.streetId, handle: 'street-mzw' })
const zhang = (await User.findOne({ openid: 'dev:resident-zhang' }).lean())!
const [residentB] = await app.verifiedResidents(1, communityB.id)

const categories = (await app.call('listNeedCategories', {}, { token: resident })).body.items as {
  id: string
  key: string
}[]
const elderly = categories.find((c) => c.key === 'elderly')!.id
// The community's date (Asia/Shanghai), not UTC's: stats count by local day.
const today = zoneDate(new Date())

const fileFor = (token: string, extra: Record<string, unknown>) =>
  app.call(
    'createNeedOnBehalf',
    {
      body: {
        categoryId: elderly,
        title: '独居老人家中水管漏水',
        description: '巡查发现张阿姨家厨房水管漏水',
        source: 'patrol',
        ...extra,
      },
    },
    { token },
  )

describe('grid field work', () => {
  it('files a need on behalf of a resident: in their 我的反映, counted once, consent stored and audited', async () => {
    const statsQuery = { scope: 'community', scopeId: communityA.id, from: today, to: today }
    const before = (await app.call('getNeedStats', { query: statsQuery }, { token: staffA })).body.total
    const res = await fileFor(gridWorker, {
      residentId: String(zhang._id),
      consent: { method: 'inPerson', note: '张阿姨当面同意代为反映' },
    })
    expect(res.status).toBe(201)
    expect(res.body.filedBy).toEqual({ name: '网格员小陈', source: '巡查发现', consent: '当面口头同意' })
    const id = res.body.id
    const mine = await app.call('listMyNeeds', {}, { token: resident })
    expect(mine.body.items.filter((n: { id: string }) => n.id === id)).toHaveLength(1)
    expect((await app.call('getNeed', { params: { id } }, { token: resident })).status).toBe(200)
    expect(
      await Notification.countDocuments({ userId: zhang._id, dedupeKey: /need.receipt/ }),
    ).toBeGreaterThan(0)
    expect(await NeedFact.countDocuments({ _id: id })).toBe(1)
    const after = (await app.call('getNeedStats', { query: statsQuery }, { token: staffA })).body.total
    expect(after).toBe(before + 1)
    const stored = await Need.findById(id).lean()
    expect(stored!.filedBy).toMatchObject({
      consentMethod: 'inPerson',
      consentNote: '张阿姨当面同意代为反映',
    })
    expect(String(stored!.reporterId)).toBe(String(zhang._id))
    const audit = await Audit.findOne({ action: 'need.fileOnBehalf', targetId: id }).lean()
    expect(audit!.detail).toMatchObject({
      residentId: String(zhang._id),
      consentMethod: 'inPerson',
      consentNote: '张阿姨当面同意代为反映',
      source: 'patrol',
    })
  })

  it('refuses filing for a resident without consent, or for one outside the worker’s reach', async () => {
    const noConsent = await fileFor(gridWorker, { residentId: String(zhang._id) })
    expect(noConsent.status).toBe(422)
    expect(noConsent.body.errors[0].path).toEqual(['consent'])
    const consent = { method: 'phone' }
    expect((await fileFor(otherGridWorker, { residentId: String(zhang._id), consent })).status).toBe(404)
    expect((await fileFor(gridWorker, { residentId: residentB!.id, consent })).status).toBe(404)
    expect((await fileFor(staffB, { residentId: String(zhang._id), consent })).status).toBe(404)
    expect((await fileFor(street, { residentId: String(zhang._id), consent })).status).toBe(403)
  })

  it('files a public matter of a courtyard, with no resident behind it', async () => {
    const res = await fileFor(gridWorker, {
      courtyardId: communityA.courtyardIds[0],
      buildingId: communityA.buildingIds[1],
      title: '院内路灯损坏',
      description: '夜间巡查发现2栋门口路灯不亮',
      source: 'patrol',
    })
    expect(res.status).toBe(201)
    expect(res.body.filedBy.consent).toBeNull()
    expect((await Need.findById(res.body.id).lean())!.reporterId).toBeNull()
    expect((await app.call('getNeed', { params: { id: res.body.id } }, { token: resident })).status).toBe(404)
    const queue = await app.call('listNeedsForHandling', {}, { token: gridWorker })
    expect(queue.body.items.map((n: { id: string }) => n.id)).toContain(res.body.id)
    const elsewhere = await fileFor(gridWorker, { courtyardId: communityB.courtyardIds[0] })
    expect(elsewhere.status).toBe(404)
  })

  it('keeps 入户走访 to the grid’s workers and the community’s staff', async () => {
    const logged = await app.call(
      'logHomeVisit',
      {
        body: {
          buildingId: communityA.buildingIds[0],
          household: '1单元101',
          residentId: String(zhang._id),
          date: today,
          topics: ['独居', '用水安全'],
          note: '水管老化，已报修',
        },
      },
      { token: gridWorker },
    )
    expect(logged.status).toBe(201)
    expect(logged.body).toMatchObject({ residentName: '张**', planned: false })
    const planned = await app.call(
      'logHomeVisit',
      {
        body: {
          buildingId: communityA.buildingIds[0],
          household: '1单元202',
          date: today,
          planned: true,
          topics: ['回访'],
        },
      },
      { token: gridWorker },
    )
    const ids = async (token: string) =>
      (await app.call('listHomeVisits', {}, { token })).body.items?.map((v: { id: string }) => v.id) ?? []
    expect(await ids(gridWorker)).toEqual(expect.arrayContaining([logged.body.id, planned.body.id]))
    expect(await ids(staffA)).toContain(logged.body.id)
    expect(await ids(otherGridWorker)).toEqual([])
    expect(await ids(staffB)).toEqual([])
    expect((await app.call('listHomeVisits', {}, { token: street })).status).toBe(403)
    expect((await app.call('listHomeVisits', {}, { token: resident })).status).toBe(403)
    const inOtherGrid = await app.call(
      'logHomeVisit',
      { body: { buildingId: communityA.buildingIds[0], household: '1单元303', date: today, topics: ['x'] } },
      { token: otherGridWorker },
    )
    expect(inOtherGrid.status).toBe(404)
    const todo = await app.call(
      'listHomeVisits',
      { query: { planned: 'true', from: today, to: today } },
      { token: gridWorker },
    )
    expect(todo.body.items.map((v: { id: string }) => v.id)).toEqual([planned.body.id])
    const done = await app.call(
      'completeHomeVisit',
      { params: { id: planned.body.id }, body: { note: '已回访' } },
      { token: gridWorker },
    )
    expect(done.body.planned).toBe(false)
    expect(
      (await app.call('completeHomeVisit', { params: { id: planned.body.id }, body: {} }, { token: staffB }))
        .status,
    ).toBe(404)
  })

  it('lists the verified residents of the worker’s reach, masked', async () => {
    const res = await app.call('listResidentsInReach', {}, { token: gridWorker })
    const me = res.body.items.find((r: { id: string }) => r.id === String(zhang._id))
    expect(me).toMatchObject({ name: '张**' })
    expect(me.household).toContain('1单元')
    expect(res.body.items.map((r: { id: string }) => r.id)).not.toContain(residentB!.id)
  })
})
