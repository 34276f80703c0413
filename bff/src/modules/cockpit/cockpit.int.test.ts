import { needRates, openNeedStatuses } from '@linli/shared-types'
import { strFromU8, unzipSync } from 'fflate'
import mongoose from 'mongoose'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { User } from '../auth/user.model'
import { Booking } from '../booking/booking.model'
import { Topic } from '../deliberation/deliberation.model'
import { Need, type NeedDoc, NeedWhistle } from '../needs/need.model'
import { OrgUnit } from '../org/org-unit.model'
import { LedgerEntry } from '../points/points.model'

const app = await startTestApp()
const { communityA, communityB, departments, streetId } = app.demo
const street = await app.login('streetStaff', { scopeId: streetId, handle: 'street-mzw' })
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const zhang = await app.login('resident', { handle: 'resident-zhang' })
const [residentB] = await app.verifiedResidents(1, communityB.id, 'xml')
const chengguan = await app.login('deptStaff', { scopeId: departments.chengguan, handle: 'dept-chengguan' })

const catOf = async (token: string) =>
  (await app.call('listNeedCategories', {}, { token })).body.items[0].id as string
const catA = await catOf(zhang)
const catB = await catOf(residentB!.token)
let seq = 0
const report = async (token: string, categoryId: string) =>
  (
    await app.call(
      'createNeed',
      { body: { categoryId, title: `驾驶舱测试${++seq}`, description: '测试', ignoreDuplicates: true } },
      { token },
    )
  ).body.id as string
const act = (op: Parameters<typeof app.call>[0], id: string, token: string, body?: unknown) =>
  app.call(op, { params: { id }, ...(body === undefined ? {} : { body }) }, { token })

// Needs in both communities through their whole lives.
const a1 = await report(zhang, catA)
await act('acceptNeed', a1, staffA)
await act('resolveNeed', a1, staffA, { reply: '已修好' })
await act('rateNeed', a1, zhang, { score: 5 })
const a2 = await report(zhang, catA)
await act('acceptNeed', a2, staffA)
await act('resolveNeed', a2, staffA, { reply: '已处理' })
await act('rateNeed', a2, zhang, { score: 2 })
const a3 = await report(zhang, catA)
await act('withdrawNeed', a3, zhang, {})
const a4 = await report(zhang, catA)
const b1 = await report(residentB!.token, catB)
const w1 = (await act('escalateNeed', b1, staffB, { departmentId: departments.chengguan })).body.whistles[0]
  .id
await act('reportInAsDepartment', w1, chengguan, { note: '已到场' })
await act('resolveAsDepartment', w1, chengguan, { reply: '已清理' })
const b2 = await report(residentB!.token, catB)
const w2 = (await act('escalateNeed', b2, staffB, { departmentId: departments.police })).body.whistles[0].id
// b2's police summons and a4's accept timer are overdue.
await NeedWhistle.updateOne({ _id: w2 }, { $set: { dueAt: new Date(Date.now() - 60_000) } })
const past = new Date(Date.now() - 3_600_000)
await Need.updateOne({ _id: a4 }, { $set: { deadlineAt: past, queueAt: past } })
// Points, a booking used and a decided topic, written as their modules would leave them.
const zhangId = (await User.findOne({ openid: 'dev:resident-zhang' }).lean())!._id
await app.call(
  'awardPoints',
  { body: { userId: String(zhangId), account: 'community', points: 15, reason: '协助巡查' } },
  { token: staffA },
)
const now = new Date()
await Booking.create({
  communityId: communityA.id,
  spaceId: new mongoose.Types.ObjectId(),
  spaceName: '活动室',
  userId: zhangId,
  residentName: '张阿姨',
  contactPhone: '13800000000',
  purpose: '读书会',
  attendees: 5,
  start: now,
  end: new Date(now.getTime() + 3_600_000),
  minutes: 60,
  noShowAfter: new Date(now.getTime() + 900_000),
  status: 'completed',
})
await Topic.create({
  communityId: communityA.id,
  title: '加装电梯',
  description: '老旧楼栋加装电梯',
  scopeType: 'community',
  scopeName: '望平社区',
  proposerId: zhangId,
  proposerName: '张阿姨',
  proposerRole: 'resident',
  status: 'done',
  voting: {
    options: [{ key: 'yes', label: '赞成', kind: 'for' }],
    ballotUnit: 'resident',
    opensAt: new Date(now.getTime() - 7_200_000),
    closesAt: new Date(now.getTime() - 3_600_000),
    quorumPercent: 50,
    threshold: 'majority',
    countAbstentions: false,
    closedAt: new Date(now.getTime() - 3_600_000),
  },
  result: { counts: { yes: 30 }, ballots: 30, eligibleUnits: 40, passed: true },
})

const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
const from = day(new Date(Date.now() - 20 * 86_400_000))
const to = day(new Date())
const query = { streetId, from, to }

/** The figures recomputed from the needs themselves, without counters or facts. */
function recompute(needs: NeedDoc[]) {
  const counted = needs.filter((n) => !['withdrawn', 'duplicate'].includes(n.status))
  const sums = {
    total: needs.length,
    counted: counted.length,
    acceptedOnTime: counted.filter((n) => n.acceptedAt && n.acceptedAt <= n.acceptDueAt).length,
    resolvedKept: counted.filter((n) => n.resolvedAt && !n.reopenCount).length,
    rated: needs.filter((n) => n.rating !== null).length,
    satisfied: needs.filter((n) => (n.rating ?? 0) >= 4).length,
  }
  const r = needRates({ ...sums, acceptCount: 0, acceptMinutes: 0, resolveCount: 0, resolveMinutes: 0 })
  return {
    ...sums,
    responseRate: r.responseRate,
    resolveRate: r.resolveRate,
    satisfactionRate: r.satisfactionRate,
  }
}

describe('street cockpit (街道驾驶舱)', () => {
  it('equals the figures recomputed from the raw records', async () => {
    const res = await app.call('getStreetCockpit', { query }, { token: street })
    expect(res.status).toBe(200)
    const c = res.body
    const all = (await Need.find({ streetId }).lean()) as unknown as NeedDoc[]
    expect(c.needs).toEqual(recompute(all))
    for (const community of [communityA, communityB]) {
      const row = c.communities.find((r: { id: string }) => r.id === community.id)
      const mine = all.filter((n) => String(n.communityId) === community.id)
      expect(row.needs).toEqual(recompute(mine))
      const weekTotal = row.weeks.reduce((s: number, w: { total: number }) => s + w.total, 0)
      expect(weekTotal).toBe(mine.length)
      const overdue = mine.filter(
        (n) =>
          (openNeedStatuses as readonly string[]).includes(n.status) &&
          n.deadlineAt &&
          n.deadlineAt < new Date(),
      )
      expect(row.overdue).toBe(overdue.length)
      const ids = [new mongoose.Types.ObjectId(community.id)]
      const ledger = await LedgerEntry.find({ communityId: { $in: ids } }).lean()
      expect(row.points.issued).toBe(
        ledger.filter((e) => e.delta > 0 && e.refType !== 'redemption').reduce((s, e) => s + e.delta, 0),
      )
      expect(row.points.redeemed).toBe(
        0 - ledger.filter((e) => e.refType === 'redemption').reduce((s, e) => s + e.delta, 0),
      )
      const bookings = await Booking.find({
        communityId: community.id,
        status: { $in: ['checkedIn', 'completed'] },
      }).lean()
      expect(row.bookingsUsed).toBe(bookings.length)
      const topics = (await Topic.find({ communityId: community.id }).lean()).filter(
        (t) => t.result && t.voting?.closedAt && t.voting.closedAt >= new Date(`${from}T00:00:00+08:00`),
      )
      const ballots = topics.reduce((s, t) => s + (t.result?.ballots ?? 0), 0)
      const eligible = topics.reduce((s, t) => s + (t.result?.eligibleUnits ?? 0), 0)
      expect(row.deliberation).toMatchObject({
        voted: topics.length,
        ballots,
        eligible,
        passed: topics.filter((t) => t.result?.passed).length,
        carriedOut: topics.filter((t) => t.result?.passed && t.status === 'done').length,
      })
    }
    const a = c.communities.find((r: { id: string }) => r.id === communityA.id)
    expect(a.needs).toMatchObject({ total: 4, counted: 3, rated: 2, satisfied: 1, satisfactionRate: 0.5 })
    expect(a.points.issued).toBeGreaterThanOrEqual(15)
    expect(a.bookingsUsed).toBeGreaterThanOrEqual(1)
    expect(a.deliberation.carriedOut).toBeGreaterThanOrEqual(1)
    expect(c.overdue.map((n: { id: string }) => n.id)).toContain(a4)

    const whistles = await NeedWhistle.find({ streetId }).lean()
    for (const d of c.departments) {
      const mine = whistles.filter((w) => String(w.departmentId) === d.id)
      const onTime = mine.filter((w) => w.reportedAt && w.reportedAt <= w.dueAt).length
      const due = mine.filter((w) => w.reportedAt || w.dueAt < new Date()).length
      const resolved = mine.filter((w) => w.state === 'resolved').length
      expect(d).toMatchObject({
        whistles: mine.length,
        reportedOnTime: onTime,
        resolved,
        reportInRate: due ? Math.round((onTime / due) * 10_000) / 10_000 : null,
        resolveRate: mine.length ? Math.round((resolved / mine.length) * 10_000) / 10_000 : null,
      })
    }
    const cg = c.departments.find((d: { id: string }) => d.id === departments.chengguan)
    expect(cg).toMatchObject({ whistles: 1, reportedOnTime: 1, resolved: 1, reportInRate: 1, resolveRate: 1 })
    const police = c.departments.find((d: { id: string }) => d.id === departments.police)
    expect(police).toMatchObject({ whistles: 1, reportedIn: 0, reportInRate: 0 })
  })

  it('exports the same figures as an .xlsx workbook', async () => {
    const res = await fetch(`${app.url}/api/v1/street-cockpit/export?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${street}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('spreadsheetml')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['xl/workbook.xml', 'xl/worksheets/sheet2.xml']),
    )
    const communities = strFromU8(files['xl/worksheets/sheet2.xml']!)
    expect(communities).toContain('望平社区')
    expect(communities).toContain('<v>4</v>')
    expect(strFromU8(files['xl/worksheets/sheet3.xml']!)).toContain('城管执法中队')
  })

  it('is for the street’s own staff only', async () => {
    expect((await app.call('getStreetCockpit', { query }, { token: staffA })).status).toBe(403)
    const other = await OrgUnit.create({ level: 'street', name: '府青路街道' })
    const otherStaff = await app.login('streetStaff', { scopeId: String(other._id), handle: 'street-fq' })
    expect((await app.call('getStreetCockpit', { query }, { token: otherStaff })).status).toBe(404)
    const backwards = await app.call(
      'getStreetCockpit',
      { query: { ...query, from: to, to: from } },
      { token: street },
    )
    expect(backwards.status).toBe(422)
  })
})
