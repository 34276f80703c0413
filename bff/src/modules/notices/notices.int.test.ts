import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Notification } from '../notify/notification.model'
import { NoticeModel } from './notice.model'
import { noticesSweeper } from './notices.sweeper'

const app = await startTestApp()
const { communityA, communityB } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const gridWorker = await app.login('gridWorker', {
  scopeId: communityA.gridIds[0]!,
  handle: 'grid-wangping-1',
})
const otherGridWorker = await app.login('gridWorker', { scopeId: communityA.gridIds[1]!, handle: 'grid-2-a' })
const zhang = await app.login('resident', { handle: 'resident-zhang' })
// 50 residents of the first building of 望平社区 (with 张阿姨 and 李师傅 there already), one in 香木林.
const building = await app.verifiedResidents(50, communityA.id, 'b1')
const [outsider] = await app.verifiedResidents(1, communityB.id, 'xml')

const publish = (token: string, body: Record<string, unknown>) =>
  app.call(
    'publishNotice',
    { body: { title: '停水通知', body: '周六9:00-12:00停水检修', ...body } },
    { token },
  )

describe('notices (通知公告)', () => {
  it('counts reads and confirmations exactly under 50 concurrent confirmations; outsiders get 404', async () => {
    const res = await publish(staffA, { audienceId: communityA.buildingIds[0], requireConfirm: true })
    expect(res.status).toBe(201)
    const id = res.body.id
    expect(res.body.counts).toEqual({ audience: 52, read: 0, confirmed: 0 })
    expect(await Notification.countDocuments({ dedupeKey: new RegExp(`^notice:${id}:`) })).toBe(52)

    // Every resident confirms at once, ten of them twice.
    const taps = [...building, ...building.slice(0, 10)].map((r) =>
      app.call('confirmNotice', { params: { id } }, { token: r.token }),
    )
    const replies = await Promise.all(taps)
    expect(replies.every((r) => r.status === 200 && r.body.confirmedAt)).toBe(true)
    const receipts = await app.call('getNoticeReceipts', { params: { id } }, { token: staffA })
    expect(receipts.body.counts).toEqual({ audience: 52, read: 50, confirmed: 50 })
    expect(receipts.body.pending.map((p: { name: string }) => p.name).sort()).toEqual(['张**', '李**'])
    expect(receipts.body.pending[0].household).toContain('1单元')

    // Opening marks read once; the counts see it.
    const opened = await app.call('getNotice', { params: { id } }, { token: zhang })
    expect(opened.body.readAt).not.toBeNull()
    expect(opened.body.counts).toBeNull()
    await app.call('getNotice', { params: { id } }, { token: zhang })
    const after = await app.call('getNotice', { params: { id } }, { token: staffA })
    expect(after.body.counts).toEqual({ audience: 52, read: 51, confirmed: 50 })

    for (const op of ['getNotice', 'confirmNotice'] as const)
      expect((await app.call(op, { params: { id } }, { token: outsider!.token })).status).toBe(404)
    expect((await app.call('getNoticeReceipts', { params: { id } }, { token: zhang })).status).toBe(403)
    const inbox = await app.call('listNotices', {}, { token: outsider!.token })
    expect(inbox.body.items).toEqual([])
  })

  it('residents list their notices; the publisher sees counts; grid workers publish only inside their grid', async () => {
    const res = await publish(gridWorker, { audienceId: communityA.gridIds[0], title: '防诈骗提醒' })
    expect(res.status).toBe(201)
    const inbox = await app.call('listNotices', {}, { token: building[0]!.token })
    expect(inbox.body.items.map((n: { title: string }) => n.title)).toContain('防诈骗提醒')
    const published = await app.call('listNotices', { query: { box: 'published' } }, { token: gridWorker })
    const mine = published.body.items.find((n: { id: string }) => n.id === res.body.id)
    expect(mine.counts.audience).toBe(52)
    const noConfirm = await app.call('confirmNotice', { params: { id: res.body.id } }, { token: zhang })
    expect(noConfirm.body.code).toBe('NOTICE_CONFIRM_NOT_REQUIRED')
    expect((await publish(otherGridWorker, { audienceId: communityA.gridIds[0] })).status).toBe(404)
    expect((await publish(gridWorker, { audienceId: communityA.id })).status).toBe(404)
    expect(
      (await app.call('getNoticeReceipts', { params: { id: res.body.id } }, { token: otherGridWorker }))
        .status,
    ).toBe(404)
    expect((await publish(zhang, { audienceId: communityA.id })).status).toBe(403)
  })

  it('refuses a confirmation after the deadline', async () => {
    const res = await publish(staffA, {
      audienceId: communityA.buildingIds[0],
      requireConfirm: true,
      confirmBy: new Date(Date.now() + 60_000).toISOString(),
    })
    await NoticeModel.updateOne({ _id: res.body.id }, { $set: { confirmBy: new Date(Date.now() - 1000) } })
    const late = await app.call('confirmNotice', { params: { id: res.body.id } }, { token: zhang })
    expect(late.body.code).toBe('NOTICE_CONFIRM_CLOSED')
  })

  it('the sweeper finishes a fan-out a crash interrupted', async () => {
    const res = await publish(staffA, { audienceId: communityA.buildingIds[0] })
    const id = res.body.id
    await Notification.deleteMany({ dedupeKey: new RegExp(`^notice:${id}:`) })
    await NoticeModel.updateOne({ _id: id }, { $set: { fannedOutAt: null } })
    await noticesSweeper.run(app.deps, new Date(Date.now() + 120_000))
    expect(await Notification.countDocuments({ dedupeKey: new RegExp(`^notice:${id}:`) })).toBe(52)
    expect((await NoticeModel.findById(id).lean())!.fannedOutAt).not.toBeNull()
  })
})
