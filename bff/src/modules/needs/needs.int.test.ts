import { formatTime, PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import mongoose from 'mongoose'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { images } from '../../../test/images'
import { Checkpoint } from '../../platform/checkpoints'
import { EventRecord } from '../../platform/events'
import { User } from '../auth/user.model'
import { Notification } from '../notify/notification.model'
import { Need, NeedFact } from './need.model'
import { backfillFactMonths } from './needs.facts'
import { needsSweeper } from './needs.sweeper'

const app = await startTestApp({ OPEN311_API_KEYS: 'city-platform-key-1' })
const { communityA, communityB } = app.demo

const resident = await app.login('resident', { handle: 'resident-zhang' })
const residentLi = await app.login('resident', { handle: 'resident-li' })
const microWorker = await app.login('gridWorker', {
  scopeId: communityA.courtyardIds[0]!,
  handle: 'grid-wangping-cy1',
})
const gridWorker = await app.login('gridWorker', {
  scopeId: communityA.gridIds[0]!,
  handle: 'grid-wangping-1',
})
const otherGridWorker = await app.login('gridWorker', { scopeId: communityA.gridIds[1]!, handle: 'grid-2-a' })
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const street = await app.login('streetStaff', { scopeId: app.demo.streetId, handle: 'street-mzw' })

const categories = (await app.call('listNeedCategories', {}, { token: resident })).body.items as {
  id: string
  key: string
  name: string
}[]
const cat = (key: string) => categories.find((c) => c.key === key)!.id
const userId = async (handle: string) => String((await User.findOne({ openid: `dev:${handle}` }).lean())!._id)

let seq = 0
async function report(token = resident, extra: Record<string, unknown> = {}) {
  seq++
  const res = await app.call(
    'createNeed',
    {
      body: {
        categoryId: cat('other'),
        title: `测试反映${seq}`,
        description: '楼道灯不亮了，晚上看不见路',
        ignoreDuplicates: true,
        ...extra,
      },
    },
    { token },
  )
  if (res.status !== 201) throw new Error(`createNeed failed: ${JSON.stringify(res.body)}`)
  return res.body as { id: string; [k: string]: any }
}
const act = (op: Parameters<typeof app.call>[0], id: string, token: string, body?: unknown) =>
  app.call(op, { params: { id }, ...(body === undefined ? {} : { body }) }, { token })

const { png } = images
async function upload(token: string, data: Buffer, type = 'image/png') {
  const res = await fetch(`${app.url}/api/v1/need-photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: new Uint8Array(data),
  })
  return { status: res.status, body: (await res.json()) as any }
}

describe('reporting and routing', () => {
  it('seeds the default categories with SLA timers per urgency', () => {
    expect(categories.map((c) => c.name)).toEqual(
      expect.arrayContaining(['水电气维修', '环境卫生', '安全隐患', '邻里纠纷', '为老助残', '其他']),
    )
  })

  it("routes a new need to its courtyard's micro-grid worker with a receipt in its timeline", async () => {
    const need = await report()
    const cy1 = await userId('grid-wangping-cy1')
    const stored = await Need.findById(need.id).lean()
    expect(String(stored!.assigneeId)).toBe(cy1)
    expect(stored!.level).toBe('courtyard')
    expect(need.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'receipt'])
    expect(need.timeline[1].note).toContain('已收到您的反映')
    expect(need.timeline[1].note).toContain(
      `将于${formatTime(stored!.acceptDueAt, { style: 'calendar' })}前受理`,
    )
    expect(need.timer).toBe('accept')
    const queue = await app.call('listNeedsForHandling', {}, { token: microWorker })
    expect(queue.body.items.map((n: { id: string }) => n.id)).toContain(need.id)
    expect(await Notification.countDocuments({ userId: cy1, kind: 'need.assigned' })).toBeGreaterThan(0)
    const me = await userId('resident-zhang')
    expect(await Notification.countDocuments({ userId: me, kind: 'need.receipt' })).toBeGreaterThan(0)
  })

  it('suggests recent needs of the same category in the same building before submitting', async () => {
    const body = { categoryId: cat('sanitation'), title: '垃圾桶满了', description: '3天没清运' }
    expect((await app.call('createNeed', { body }, { token: resident })).status).toBe(201)
    const again = await app.call(
      'createNeed',
      { body: { ...body, title: '垃圾没人收' } },
      { token: residentLi },
    )
    expect([again.status, again.body.code]).toEqual([409, 'NEED_POSSIBLE_DUPLICATE'])
    expect(again.body.errors[0].message).toContain('垃圾桶满了')
    const forced = await app.call(
      'createNeed',
      { body: { ...body, title: '垃圾没人收', ignoreDuplicates: true } },
      { token: residentLi },
    )
    expect(forced.status).toBe(201)
  })

  it('refuses unverified people and categories of another community', async () => {
    const newcomer = await app.login('resident', { handle: 'resident-new' })
    const res = await app.call(
      'createNeed',
      { body: { categoryId: cat('other'), title: 'x', description: 'y' } },
      { token: newcomer },
    )
    expect(res.body.code).toBe('RESIDENT_NOT_VERIFIED')
    const catsB = await app.call(
      'listNeedCategories',
      { query: { communityId: communityB.id } },
      { token: staffB },
    )
    const wrong = await app.call(
      'createNeed',
      { body: { categoryId: catsB.body.items[0].id, title: 'x', description: 'y' } },
      { token: resident },
    )
    expect([wrong.status, wrong.body.code]).toEqual([422, 'NEED_CATEGORY_INVALID'])
  })
})

describe('transitions', () => {
  it('answers 409 NEED_INVALID_TRANSITION to every illegal step', async () => {
    const need = await report()
    const cases = [
      await act('resolveNeed', need.id, microWorker, { reply: '好了' }),
      await act('rateNeed', need.id, resident, { score: 5 }),
      await act('reopenNeed', need.id, resident, { reason: '没修好' }),
      await act('addNeedReply', need.id, microWorker, { note: '马上来' }),
    ]
    for (const c of cases) expect([c.status, c.body.code]).toEqual([409, 'NEED_INVALID_TRANSITION'])
    expect((await act('acceptNeed', need.id, microWorker)).status).toBe(200)
    const late = [
      await act('acceptNeed', need.id, microWorker),
      await act('withdrawNeed', need.id, resident, {}),
      await act('rateNeed', need.id, resident, { score: 5 }),
    ]
    for (const c of late) expect([c.status, c.body.code]).toEqual([409, 'NEED_INVALID_TRANSITION'])
    const withdrawn = await report()
    expect((await act('withdrawNeed', withdrawn.id, resident, { reason: '自己修好了' })).body.status).toBe(
      'withdrawn',
    )
    const after = await act('acceptNeed', withdrawn.id, gridWorker)
    expect([after.status, after.body.code]).toEqual([409, 'NEED_INVALID_TRANSITION'])
  })

  it('two (or more) workers accepting the same need at once: exactly one wins', async () => {
    const need = await report()
    const tokens = [microWorker, gridWorker, staffA, microWorker, gridWorker, street]
    const results = await Promise.all(tokens.map((t) => act('acceptNeed', need.id, t)))
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.code === 'NEED_INVALID_TRANSITION'),
    ).toBe(true)
    const stored = await Need.findById(need.id).lean()
    expect(stored!.timeline.filter((e) => e.kind === 'accepted')).toHaveLength(1)
  })

  it('resolving needs a reply; the resident rates, the rating emits need.rated once', async () => {
    const need = await report()
    await act('acceptNeed', need.id, microWorker)
    const noReply = await act('resolveNeed', need.id, microWorker, {})
    expect([noReply.status, noReply.body.code]).toEqual([422, 'NEED_REPLY_REQUIRED'])
    expect(noReply.body.errors).toEqual([{ path: ['reply'], message: '办结前须答复居民' }])
    const blank = await act('resolveNeed', need.id, microWorker, { reply: '   ' })
    expect(blank.body.code).toBe('NEED_REPLY_REQUIRED')
    const resolved = await act('resolveNeed', need.id, microWorker, { reply: '已更换灯泡' })
    expect(resolved.body.status).toBe('resolved')
    const other = await act('rateNeed', need.id, residentLi, { score: 1 })
    expect(other.status).toBe(404)
    const rated = await act('rateNeed', need.id, resident, { score: 5, comment: '很快' })
    expect([rated.body.status, rated.body.rating]).toEqual(['closed', 5])
    const event = await EventRecord.findById(`need.rated:${need.id}`).lean()
    expect(event?.type).toBe('need.rated')
    const satisfied = await act('reopenNeed', need.id, resident, { reason: '又坏了' })
    expect(satisfied.body.code).toBe('NEED_INVALID_TRANSITION')
  })

  it('a resident may reopen when unsatisfied, at most twice', async () => {
    const need = await report()
    for (let round = 1; round <= 2; round++) {
      await act('acceptNeed', need.id, microWorker)
      await act('resolveNeed', need.id, microWorker, { reply: `第${round}次处理` })
      await act('rateNeed', need.id, resident, { score: 2 })
      const reopened = await act('reopenNeed', need.id, resident, { reason: '还是不行' })
      expect([reopened.body.status, reopened.body.reopenCount]).toEqual(['reopened', round])
    }
    await act('acceptNeed', need.id, microWorker)
    await act('resolveNeed', need.id, microWorker, { reply: '第3次处理' })
    const third = await act('reopenNeed', need.id, resident, { reason: '还是不行' })
    expect([third.status, third.body.code]).toEqual([409, 'NEED_REOPEN_LIMIT'])
  })

  it('refers, marks duplicates linking both, and keeps internal notes from the resident', async () => {
    const a = await report()
    const b = await report()
    await act('acceptNeed', a.id, microWorker)
    await act('addNeedReply', a.id, microWorker, { note: '内部：物业推诿', public: false })
    await act('addNeedReply', a.id, microWorker, { note: '明天上午来修', public: true })
    const seen = await act('getNeed', a.id, resident)
    const notes = seen.body.timeline.map((e: { note: string }) => e.note)
    expect(notes).toContain('明天上午来修')
    expect(notes.join()).not.toContain('物业推诿')
    expect(seen.body.status).toBe('inProgress')
    const dup = await act('markNeedDuplicate', b.id, microWorker, { duplicateOf: a.id })
    expect([dup.body.status, dup.body.duplicateOf]).toEqual(['duplicate', a.id])
    expect((await act('getNeed', a.id, microWorker)).body.duplicates).toEqual([b.id])
    const referred = await act('referNeed', a.id, staffA, { to: '区住建局', note: '涉及房屋结构' })
    expect([referred.body.status, referred.body.referredTo]).toEqual(['referred', '区住建局'])
  })

  it('吹哨: names a department that must report in itself, once; raises the level only upwards', async () => {
    const need = await report()
    const chengguan = app.demo.departments.chengguan
    const down = await act('escalateNeed', need.id, staffA, { departmentId: chengguan, level: 'courtyard' })
    expect(down.body.code).toBe('NEED_LEVEL_INVALID')
    const blown = await act('escalateNeed', need.id, microWorker, {
      departmentId: chengguan,
      level: 'community',
      reportInMinutes: 60,
    })
    expect(blown.body.level).toBe('community')
    expect(blown.body.whistles[0]).toMatchObject({ department: '城管执法中队', state: 'summoned' })
    const whistleId = blown.body.whistles[0].id
    const staffId = await userId('staff-wangping')
    expect(await Notification.countDocuments({ userId: staffId, dedupeKey: new RegExp(need.id) })).toBe(1)
    const dept = await app.login('deptStaff', { scopeId: chengguan, handle: 'dept-chengguan' })
    const reports = await Promise.all(
      [dept, dept].map((t) => act('reportInAsDepartment', whistleId, t, { note: '已到现场' })),
    )
    expect(reports.map((r) => r.status).sort()).toEqual([200, 409])
    expect(reports.find((r) => r.status === 409)!.body.code).toBe('NEED_ALREADY_REPORTED')
    const detail = await act('getNeed', need.id, resident)
    expect(detail.body.whistles[0].reportedAt).not.toBeNull()
    expect(detail.body.timeline.some((e: { kind: string }) => e.kind === 'accepted')).toBe(true)
  })
})

describe('timers', () => {
  it('an unaccepted need rises courtyard → grid → community → street, each rise once, with two sweepers racing', async () => {
    const need = await report(resident, { categoryId: cat('utilities') })
    const start = new Date(need.createdAt).getTime()
    const acceptMs = 120 * 60_000 // 水电气维修, normal: accept within 2 hours at each level
    const levels = ['grid', 'community', 'street'] as const
    const handlers = { grid: 'grid-wangping-1', community: 'staff-wangping', street: 'street-mzw' }
    let now = start
    for (const level of levels) {
      // Just before the deadline nothing happens.
      await needsSweeper.run(app.deps, new Date(now + acceptMs - 1000))
      expect((await Need.findById(need.id).lean())!.level).not.toBe(level)
      now += acceptMs + 1000
      await Promise.all([
        needsSweeper.run(app.deps, new Date(now)),
        needsSweeper.run(app.deps, new Date(now)),
      ])
      const stored = await Need.findById(need.id).lean()
      expect(stored!.level).toBe(level)
      expect(stored!.timeline.filter((e) => e.kind === 'escalated' && e.level === level)).toHaveLength(1)
      const handlerId = await userId(handlers[level])
      expect(
        await Notification.countDocuments({ dedupeKey: `need.assigned:${need.id}:${level}:${handlerId}` }),
      ).toBe(1)
      expect(await Notification.countDocuments({ dedupeKey: `need.escalated:${need.id}:${level}` })).toBe(1)
    }
    await Promise.all([
      needsSweeper.run(app.deps, new Date(now + 10 * acceptMs)),
      needsSweeper.run(app.deps, new Date(now + 10 * acceptMs)),
    ])
    const top = await Need.findById(need.id).lean()
    expect(top!.level).toBe('street')
    expect(top!.timeline.filter((e) => e.kind === 'escalated')).toHaveLength(3)
    // The street sees it in its queue; the timeline shows the resident each rise.
    const queue = await app.call('listNeedsForHandling', { query: { level: 'street' } }, { token: street })
    expect(queue.body.items.map((n: { id: string }) => n.id)).toContain(need.id)
  })

  it('orders the handling queue by the nearest deadline with the time left', async () => {
    const normal = await report(resident, { categoryId: cat('elderly'), urgency: 'normal' })
    const emergency = await report(resident, { categoryId: cat('elderly'), urgency: 'emergency' })
    const queue = await app.call('listNeedsForHandling', { query: { limit: '100' } }, { token: microWorker })
    const ids = queue.body.items.map((n: { id: string }) => n.id)
    expect(ids.indexOf(emergency.id)).toBeLessThan(ids.indexOf(normal.id))
    const deadlines = queue.body.items.map((n: { deadlineAt: string | null }) => n.deadlineAt ?? '9999')
    expect([...deadlines].sort()).toEqual(deadlines)
    const item = queue.body.items.find((n: { id: string }) => n.id === emergency.id)
    expect(item.secondsLeft).toBeGreaterThan(9 * 60 - 30)
    expect(item.secondsLeft).toBeLessThanOrEqual(10 * 60)
  })
})

describe('privacy and photos', () => {
  it('a worker of another grid, or staff of another community, gets 404 for the need and its photos', async () => {
    const photo = await upload(resident, png)
    expect(photo.status).toBe(201)
    const need = await report(resident, { photoIds: [photo.body.id], contactPhone: '13900001111' })
    const photoPath = `/api/v1/needs/${need.id}?photo=${photo.body.id}`
    for (const token of [otherGridWorker, staffB, residentLi]) {
      expect((await act('getNeed', need.id, token)).status).toBe(404)
      expect((await app.http('get', photoPath, undefined, { token })).status).toBe(404)
      expect((await act('acceptNeed', need.id, token)).status).toBe(token === residentLi ? 403 : 404)
    }
    const own = await fetch(`${app.url}${photoPath}`, { headers: { authorization: `Bearer ${resident}` } })
    expect(own.status).toBe(200)
    expect(own.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await own.arrayBuffer()).equals(png)).toBe(true)
    for (const token of [microWorker, gridWorker, staffA, street])
      expect(
        (await fetch(`${app.url}${photoPath}`, { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(200)
  })

  it('masks names and phones except for the reporter and the assigned handler', async () => {
    const need = await report(resident, { contactPhone: '13900001111' })
    const asStaff = await act('getNeed', need.id, staffA)
    expect([asStaff.body.reporterName, asStaff.body.contactPhone]).toEqual(['张**', '139****1111'])
    const asAssignee = await act('getNeed', need.id, microWorker)
    expect([asAssignee.body.reporterName, asAssignee.body.contactPhone]).toEqual(['张阿姨', '13900001111'])
    const queue = await app.call('listNeedsForHandling', { query: { limit: '100' } }, { token: microWorker })
    expect(queue.body.items.find((n: { id: string }) => n.id === need.id).reporterName).toBe('张**')
    const mine = await app.call('listMyNeeds', {}, { token: resident })
    expect(mine.body.items.map((n: { id: string }) => n.id)).toContain(need.id)
  })

  it('refuses a file that claims to be an image but is not, or is too large, with a code', async () => {
    const fake = await upload(resident, Buffer.from('<html>not an image</html>'), 'image/jpeg')
    expect([fake.status, fake.body.code]).toEqual([422, 'NEED_PHOTO_NOT_IMAGE'])
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024)])
    const tooBig = await upload(resident, big, 'image/jpeg')
    expect([tooBig.status, tooBig.body.code]).toEqual([413, 'NEED_PHOTO_TOO_LARGE'])
    const { webp } = images
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(webp)], { type: 'image/webp' }), 'a.webp')
    const multipart = await fetch(`${app.url}/api/v1/need-photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resident}` },
      body: form,
    })
    const uploaded = (await multipart.json()) as { contentType: string; size: number }
    expect([multipart.status, uploaded.contentType, uploaded.size]).toEqual([201, 'image/webp', webp.length])
    // Someone else's photo cannot be attached.
    const theirs = await upload(residentLi, png)
    const steal = await app.call(
      'createNeed',
      {
        body: {
          categoryId: cat('other'),
          title: 'x',
          description: 'y',
          photoIds: [theirs.body.id],
          ignoreDuplicates: true,
        },
      },
      { token: resident },
    )
    expect(steal.body.code).toBe('NEED_PHOTO_INVALID')
  })
})

describe('stats', () => {
  /** A verified resident of 望平社区's second grid, through a claim staff approve. */
  async function residentOfGrid2(handle: string) {
    const token = await app.login('resident', { handle })
    const claim = await app.call(
      'submitResidencyClaim',
      {
        body: {
          communityId: communityA.id,
          courtyardId: communityA.courtyardIds[1],
          buildingId: communityA.buildingIds[2],
          unit: '1',
          room: '101',
          realName: '赵六',
          phone: '13811112222',
          consentVersion: PRIVACY_NOTICE_VERSION,
        },
      },
      { token },
    )
    await app.call(
      'reviewResidencyClaim',
      { params: { id: claim.body.id }, body: { decision: 'approve' } },
      { token: staffA },
    )
    return token
  }
  const backdate = (id: string, minutes: number, acceptDueMinutes?: number) =>
    Need.collection.updateOne(
      { _id: new mongoose.Types.ObjectId(id) },
      {
        $set: {
          createdAt: new Date(Date.now() - minutes * 60_000),
          ...(acceptDueMinutes === undefined
            ? {}
            : { acceptDueAt: new Date(Date.now() - acceptDueMinutes * 60_000) }),
        },
      },
    )

  it('stats for a seeded set of needs equal the figures computed by hand', async () => {
    const r1 = await residentOfGrid2('grid2-resident-1')
    const r2 = await residentOfGrid2('grid2-resident-2')
    const worker = otherGridWorker
    const n1 = await report(r1)
    const n2 = await report(r2)
    const n3 = await report(r1)
    const n4 = await report(r2)
    const n5 = await report(r1)
    await backdate(n1.id, 30)
    await backdate(n2.id, 200, 80) // accepted after its accept deadline
    await backdate(n5.id, 10)
    // n1: on time, resolved, rated 5 → responds, resolves, satisfies
    await act('acceptNeed', n1.id, worker)
    await act('resolveNeed', n1.id, worker, { reply: '已修好' })
    await act('rateNeed', n1.id, r1, { score: 5 })
    // n2: late, resolved, rated 2, reopened → neither on time nor resolved-kept; rated unsatisfied
    await act('acceptNeed', n2.id, worker)
    await act('resolveNeed', n2.id, worker, { reply: '已处理' })
    await act('rateNeed', n2.id, r2, { score: 2 })
    await act('reopenNeed', n2.id, r2, { reason: '没修好' })
    // n3: withdrawn → not counted; n4: untouched; n5: accepted then a duplicate of n4 → not counted
    await act('withdrawNeed', n3.id, r1, {})
    await act('acceptNeed', n5.id, worker)
    await act('markNeedDuplicate', n5.id, worker, { duplicateOf: n4.id })

    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)
    const query = { scope: 'grid', scopeId: communityA.gridIds[1]!, from: day(-1), to: day(1) }
    const stats = await app.call('getNeedStats', { query }, { token: staffA })
    expect(stats.status).toBe(200)
    // By hand: 5 needs; counted = n1, n2, n4 = 3; on time = n1; resolved & not reopened = n1;
    // rated = n1, n2; satisfied = n1; accept minutes 30 + 200 + 10 over 3; resolve 30 + 200 over 2.
    expect(stats.body).toMatchObject({
      total: 5,
      counted: 3,
      acceptedOnTime: 1,
      resolvedKept: 1,
      rated: 2,
      satisfied: 1,
      responseRate: 0.3333,
      resolveRate: 0.3333,
      satisfactionRate: 0.5,
      avgAcceptMinutes: 80,
      avgResolveMinutes: 115,
    })
    const byStatus = Object.fromEntries(
      stats.body.byStatus.map((s: { key: string; count: number }) => [s.key, s.count]),
    )
    expect(byStatus).toEqual({ submitted: 1, closed: 1, reopened: 1, withdrawn: 1, duplicate: 1 })
    expect(stats.body.byCategory).toEqual([{ key: cat('other'), label: '其他', count: 5 }])

    // The worker of the first grid may not read the second grid's figures; street staff may.
    expect((await app.call('getNeedStats', { query }, { token: gridWorker })).status).toBe(404)
    expect((await app.call('getNeedStats', { query }, { token: staffB })).status).toBe(404)
    const viaStreet = await app.call('getNeedStats', { query }, { token: street })
    expect(viaStreet.body.total).toBe(5)
    const community = await app.call(
      'getNeedStats',
      { query: { ...query, scope: 'community', scopeId: communityA.id } },
      { token: staffA },
    )
    expect(community.body.total).toBeGreaterThanOrEqual(5)

    const raw = await fetch(`${app.url}/api/v1/need-stats/export?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${staffA}` },
    })
    expect(raw.headers.get('content-type')).toContain('text/csv')
    const text = await raw.text()
    expect(text).toContain('响应率,33.3%')
    expect(text.trim().split('\r\n').length).toBe(7 + 5)
    expect(text).not.toContain('赵')
    expect((await app.call('exportNeedStats', { query }, { token: worker })).status).toBe(403)
  })

  it('keeps one compact facts document per need, and the sweeper repairs one a crash left behind', async () => {
    const lost = await report(resident)
    const stale = await report(resident)
    await act('acceptNeed', stale.id, microWorker)
    const facts = async (id: string) => NeedFact.findById(id).lean()
    expect(await facts(stale.id)).toMatchObject({ status: 'accepted', counted: 1, acceptCount: 1 })
    // A crash between the need write and its facts write: one missing, one left at an old state.
    await NeedFact.deleteOne({ _id: lost.id })
    await NeedFact.updateOne({ _id: stale.id }, { $set: { status: 'submitted', acceptCount: 0 } })
    await needsSweeper.run(app.deps, new Date())
    expect(await facts(lost.id)).toMatchObject({ status: 'submitted', counted: 1, acceptCount: 0 })
    expect(await facts(stale.id)).toMatchObject({ status: 'accepted', counted: 1, acceptCount: 1 })
    expect(String((await facts(lost.id))!.communityId)).toBe(communityA.id)
  })

  it('reads a range month by month with its exact bounds, and backfills the month of older facts once', async () => {
    const gridId = new mongoose.Types.ObjectId(communityA.gridIds[1]!)
    const fact = (iso: string, status: string, month?: string) => ({
      _id: new mongoose.Types.ObjectId(),
      communityId: new mongoose.Types.ObjectId(communityA.id),
      streetId: new mongoose.Types.ObjectId(app.demo.streetId),
      gridId,
      categoryId: new mongoose.Types.ObjectId(cat('other')),
      status,
      createdAt: new Date(iso),
      ...(month ? { month } : {}),
      counted: 1,
      acceptedOnTime: 1,
      resolvedKept: 0,
      rated: 0,
      satisfied: 0,
      acceptCount: 1,
      acceptMinutes: 10,
      resolveCount: 0,
      resolveMinutes: 0,
    })
    // 2024-01-31 … 2024-02-29 in Asia/Shanghai is [2024-01-30T16:00Z, 2024-02-29T16:00Z): it starts
    // in UTC January. Two facts lack `month`, as facts written before it existed.
    await NeedFact.collection.insertMany([
      fact('2024-01-30T15:59:59.999Z', 'closed', '2024-01'), // the day before: out
      fact('2024-01-30T16:00:00.000Z', 'accepted', '2024-01'), // the first moment: in
      fact('2024-02-15T03:00:00.000Z', 'closed'), // in, no month yet
      fact('2024-02-29T15:59:59.999Z', 'submitted'), // the last moment: in, no month yet
      fact('2024-02-29T16:00:00.000Z', 'closed', '2024-02'), // the day after, same UTC month: out
    ])
    // A street reads its facts month by month (a community or grid reads its day sums once they are
    // backfilled: needs.derived.int.test.ts).
    const query = { scope: 'street', scopeId: app.demo.streetId, from: '2024-01-31', to: '2024-02-29' }
    const expected = {
      total: 3,
      counted: 3,
      acceptedOnTime: 3,
      avgAcceptMinutes: 10,
      byStatus: [
        { key: 'submitted', count: 1 },
        { key: 'accepted', count: 1 },
        { key: 'closed', count: 1 },
      ],
    }
    // Until the backfill is done, by range: the facts without a month count too.
    await Checkpoint.deleteOne({ _id: 'needs-facts-month' })
    expect((await app.call('getNeedStats', { query }, { token: street })).body).toMatchObject(expected)
    // In batches, each fact given its UTC month once; then a pass reads only the checkpoint.
    expect(await backfillFactMonths(1)).toBe(1)
    expect(await backfillFactMonths(1)).toBe(1)
    expect(await backfillFactMonths(1)).toBe(0)
    expect(await backfillFactMonths(1)).toBe(0)
    const months = await NeedFact.find({ gridId, createdAt: { $lt: new Date('2024-03-01') } }).lean()
    expect(months.map((f) => [f.createdAt.toISOString(), f.month]).sort()).toEqual([
      ['2024-01-30T15:59:59.999Z', '2024-01'],
      ['2024-01-30T16:00:00.000Z', '2024-01'],
      ['2024-02-15T03:00:00.000Z', '2024-02'],
      ['2024-02-29T15:59:59.999Z', '2024-02'],
      ['2024-02-29T16:00:00.000Z', '2024-02'],
    ])
    expect(await Checkpoint.exists({ _id: 'needs-facts-month' })).toBeTruthy()
    // By month now: the same figures; a wider range takes the March fact too.
    expect((await app.call('getNeedStats', { query }, { token: street })).body).toMatchObject(expected)
    const wider = await app.call('getNeedStats', { query: { ...query, to: '2024-03-05' } }, { token: street })
    expect(wider.body.total).toBe(4)
    // A new need's facts carry their month from the first write.
    const fresh = await report(resident)
    expect((await NeedFact.findById(fresh.id).lean())!.month).toBe(
      new Date(fresh.createdAt).toISOString().slice(0, 7),
    )
  })
})

describe('Open311 GeoReport v2', () => {
  it('lists services, creates behind an API key, and carries no name, phone or internal note', async () => {
    const services = await app.call('open311ListServices', { query: { jurisdiction_id: communityA.id } })
    expect(services.status).toBe(200)
    const water = services.body.find((s: { service_name: string }) => s.service_name === '水电气维修')
    expect(water.service_code).toBe(cat('utilities'))

    const need = await report(resident, { contactPhone: '13900001111', location: '3单元502' })
    await act('acceptNeed', need.id, microWorker)
    await act('addNeedReply', need.id, microWorker, {
      note: '内部备注XYZ：住户电话13900001111',
      public: false,
    })

    const noKey = await app.call('open311CreateRequest', {
      body: { api_key: 'wrong-key-123', service_code: water.service_code, description: '路灯不亮' },
    })
    expect([noKey.status, noKey.body.code]).toEqual([403, 'OPEN311_API_KEY_INVALID'])
    const created = await app.call('open311CreateRequest', {
      body: {
        api_key: 'city-platform-key-1',
        service_code: water.service_code,
        description: '望平街路灯不亮',
        address_id: communityA.courtyardIds[0],
        first_name: '小明',
        last_name: '王',
        phone: '13700002222',
      },
    })
    expect(created.status).toBe(201)
    const newId = created.body[0].service_request_id
    expect((await Need.findById(newId).lean())!.level).toBe('courtyard')

    const list = await app.call('open311ListRequests', { query: { jurisdiction_id: communityA.id } })
    expect(list.status).toBe(200)
    const ids = list.body.map((r: { service_request_id: string }) => r.service_request_id)
    expect(ids).toEqual(expect.arrayContaining([need.id, newId]))
    const json = JSON.stringify(list.body)
    for (const secret of ['13900001111', '13700002222', '张阿姨', '王小明', '小明', 'XYZ', '3单元502'])
      expect(json).not.toContain(secret)
    const one = await app.call('open311GetRequest', { params: { id: need.id } })
    expect(one.body[0]).toMatchObject({ status: 'open', service_code: need.categoryId })
    expect(Object.keys(one.body[0])).not.toContain('reporterName')

    const open = await app.call('open311ListRequests', { query: { status: 'open' } })
    expect(open.body.every((r: { status: string }) => r.status === 'open')).toBe(true)
    const closed = await app.call('open311ListRequests', { query: { status: 'closed' } })
    expect(closed.body.length).toBeGreaterThan(0)
    expect(closed.body.every((r: { status: string }) => r.status === 'closed')).toBe(true)
    const picked = await app.call('open311ListRequests', {
      query: { service_request_id: `${need.id},${newId}` },
    })
    expect(picked.body).toHaveLength(2)
    const byCode = await app.call('open311ListRequests', { query: { service_code: cat('sanitation') } })
    expect(byCode.body.every((r: { service_code: string }) => r.service_code === cat('sanitation'))).toBe(
      true,
    )
    expect((await app.call('open311GetRequest', { params: { id: '0'.repeat(24) } })).status).toBe(404)
  })
})
