import { PRIVACY_NOTICE_VERSION, shiftDate, zoneAt, zoneDate } from '@linli/shared-types'
import mongoose from 'mongoose'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Audit } from '../audit/audit.model'
import { User } from '../auth/user.model'
import { SlotClaim } from '../booking/booking.model'
import { NeedQueue } from '../needs/needs.queue'
import { LedgerEntry } from '../points/points.model'
import { reconcileScope } from '../points/reconcile.service'
import { accountDeletionSweeper, startDeletion } from './deletion.service'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
const { communityA } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })

/** Values that must be gone from every collection once Alice deletes her account. */
const alice = {
  realName: '欧阳测试员',
  phone: '13987654321',
  code: 'mock_privacyalice',
  openid: 'o_mock_privacyalice',
}
const bob = { realName: '司马对照人', phone: '13711112222' }

async function claimAndApprove(token: string, who: { realName: string; phone: string }, key: string) {
  const claim = await app.call(
    'submitResidencyClaim',
    {
      body: {
        communityId: communityA.id,
        courtyardId: communityA.courtyardIds[0],
        buildingId: communityA.buildingIds[0],
        unit: '3',
        room: key === 'a' ? '501' : '502',
        realName: who.realName,
        phone: who.phone,
        consentVersion: PRIVACY_NOTICE_VERSION,
      },
    },
    { token, headers: { 'Idempotency-Key': `claim-${key}-0001` } },
  )
  expect(claim.status).toBe(201)
  await app.call('getResidencyClaim', { params: { id: claim.body.id } }, { token: staffA })
  const reviewed = await app.call(
    'reviewResidencyClaim',
    { params: { id: claim.body.id }, body: { decision: 'approve' } },
    { token: staffA },
  )
  expect(reviewed.body.status).toBe('approved')
}

const aliceLogin = await app.call('loginWechat', { body: { code: `${alice.code}.1` } })
const aliceToken = aliceLogin.body.accessToken as string
const aliceRefresh = aliceLogin.body.refreshToken as string
const aliceId = aliceLogin.body.user.id as string
const bobToken = await app.login('resident', { handle: 'privacy-bob' })
const bobId = String((await User.findOne({ openid: 'dev:privacy-bob' }).lean())!._id)

await claimAndApprove(aliceToken, alice, 'a')
await claimAndApprove(bobToken, bob, 'b')

// Alice books, reports a need, proposes a topic; Bob comments on it and seconds it; both vote.
const spaces = await app.call('listSpaces', {}, { token: aliceToken })
const spaceId = spaces.body.items.find((s: { name: string }) => s.name === '邻里议事厅').id as string
// Three days on, or four when that is a Sunday (the hall is closed then).
const threeOn = shiftDate(zoneDate(new Date()), 3)
const bookDate = new Date(`${threeOn}T00:00:00Z`).getUTCDay() === 0 ? shiftDate(threeOn, 1) : threeOn
const booking = await app.call(
  'createBooking',
  {
    body: {
      spaceId,
      start: zoneAt(bookDate, 9 * 60).toISOString(),
      end: zoneAt(bookDate, 10 * 60).toISOString(),
      purpose: '读书会',
      attendees: 6,
      contactPhone: alice.phone,
    },
  },
  { token: aliceToken },
)
expect(booking.status, JSON.stringify(booking.body)).toBe(201)
const categories = await app.call('listNeedCategories', {}, { token: aliceToken })
const need = await app.call(
  'createNeed',
  {
    body: {
      categoryId: categories.body.items[0].id,
      title: '单元门禁坏了',
      description: '三单元门禁刷卡没反应',
      contactPhone: alice.phone,
      ignoreDuplicates: true,
    },
  },
  { token: aliceToken },
)
expect(need.status).toBe(201)
const topic = await app.call(
  'proposeTopic',
  { body: { title: '增设快递柜', description: '小区快递常丢失，希望增设智能快递柜。' } },
  { token: aliceToken },
)
expect(topic.status).toBe(201)
const topicId = topic.body.id as string
await app.call(
  'commentOnTopic',
  { params: { id: topicId }, body: { body: '鲍勃的看法：支持' } },
  { token: bobToken },
)
await app.call(
  'commentOnTopic',
  { params: { id: topicId }, body: { body: '爱丽丝补充说明' } },
  { token: aliceToken },
)
expect((await app.call('secondTopic', { params: { id: topicId } }, { token: bobToken })).status).toBeLessThan(
  300,
)
await app.call('screenTopic', { params: { id: topicId }, body: { decision: 'accept' } }, { token: staffA })
const day = await app.call(
  'createDeliberationDay',
  { body: { communityId: communityA.id, date: '2031-05-20', place: '社区议事厅' } },
  { token: staffA },
)
const scheduled = await app.call(
  'scheduleTopic',
  {
    params: { id: topicId },
    body: { dayId: day.body.id, voting: { opensAt: new Date(Date.now() + 60_000).toISOString() } },
  },
  { token: staffA },
)
expect(scheduled.status).toBe(200)
expect((await app.call('openVoting', { params: { id: topicId } }, { token: staffA })).body.status).toBe(
  'voting',
)
for (const [token, choice] of [
  [aliceToken, 'yes'],
  [bobToken, 'no'],
] as const)
  expect((await app.call('castVote', { params: { id: topicId }, body: { choice } }, { token })).status).toBe(
    200,
  )
expect((await app.call('closeVoting', { params: { id: topicId } }, { token: staffA })).status).toBe(200)
await app.call(
  'awardPoints',
  { body: { userId: aliceId, account: 'community', points: 15, reason: '志愿服务' } },
  { token: staffA },
)

describe('导出我的数据', () => {
  it("contains the caller's records and nobody else's, and no ballot choice", async () => {
    const res = await app.call('exportMyData', {}, { token: aliceToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="linli-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    )
    const data = res.body
    expect(data.profile).toMatchObject({ id: aliceId, wechatOpenid: alice.openid })
    expect(data.consents).toEqual([
      { purpose: 'residencyClaim', version: PRIVACY_NOTICE_VERSION, at: expect.any(String) },
    ])
    expect(data.residencyClaims[0]).toMatchObject({
      realName: alice.realName,
      phone: alice.phone,
      status: 'approved',
    })
    expect(data.bookings[0]).toMatchObject({ id: booking.body.id, contactPhone: alice.phone })
    expect(data.needs[0]).toMatchObject({
      no: need.body.no,
      title: '单元门禁坏了',
      contactPhone: alice.phone,
    })
    expect(data.needs[0].timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'receipt'])
    expect(data.topics.map((t: { id: string }) => t.id)).toEqual([topicId])
    expect(data.comments.map((c: { body: string }) => c.body)).toEqual(['爱丽丝补充说明'])
    expect(data.votingRolls).toEqual([expect.objectContaining({ topicId, topicTitle: '增设快递柜' })])
    expect(data.pointLedger).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ delta: 15, reason: '志愿服务', balanceAfter: expect.any(Number) }),
      ]),
    )
    expect(data.notifications.length).toBeGreaterThan(0)
    expect(data.auditAboutMe.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['residency.claim.view', 'residency.claim.approved', 'points.award']),
    )
    const text = JSON.stringify(data)
    for (const other of [bob.realName, bob.phone, bobId, '鲍勃的看法', 'privacy-bob', '王平'])
      expect(text).not.toContain(other)
    // Ballots are secret, even to their voter: no choice, token or household key.
    expect(text).not.toMatch(/"choice"|voterToken|unitKey|householdKey|:"yes"|:"no"/)
    // Staff who acted on her records are not named.
    expect(text).not.toMatch(/staff-wangping|actorName|decidedBy|reviewedBy/)
  })

  it("is the caller's own only: Bob's export holds none of Alice's data", async () => {
    const res = await app.call('exportMyData', {}, { token: bobToken })
    const text = JSON.stringify(res.body)
    for (const hers of [alice.realName, alice.phone, alice.openid, aliceId, '爱丽丝补充说明'])
      expect(text).not.toContain(hers)
    expect(res.body.comments.map((c: { body: string }) => c.body)).toEqual(['鲍勃的看法：支持'])
  })

  it('records the consent with the claim and shows it', async () => {
    const res = await app.call('listMyConsents', {}, { token: aliceToken })
    expect(res.body.currentVersion).toBe(PRIVACY_NOTICE_VERSION)
    expect(res.body.items).toHaveLength(1)
    const missing = await app.call(
      'submitResidencyClaim',
      {
        body: {
          communityId: communityA.id,
          courtyardId: communityA.courtyardIds[0],
          buildingId: communityA.buildingIds[0],
          unit: '1',
          room: '101',
          realName: '无同意',
          phone: '13600000000',
        },
      },
      { token: await app.login('resident', { handle: 'privacy-noconsent' }) },
    )
    expect(missing.status).toBe(400)
    expect(missing.body.errors[0]).toMatchObject({ path: ['consentVersion'] })
  })
})

/** Every document of every collection, as text (ObjectIds and dates as strings). */
async function wholeDatabase(): Promise<string> {
  const db = mongoose.connection.db!
  const parts: string[] = []
  for (const { name } of await db.listCollections().toArray())
    parts.push(`${name}:${JSON.stringify(await db.collection(name).find({}).toArray())}`)
  return parts.join('\n')
}

describe('注销账号', () => {
  it('needs the typed confirmation', async () => {
    const res = await app.call('deleteMyAccount', { body: { confirmation: '注销' } }, { token: aliceToken })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toBe('请输入“确认注销”')
    expect((await app.call('getMe', {}, { token: aliceToken })).status).toBe(200)
  })

  it('leaves no name, phone or openid anywhere, keeps ledger, tallies and audit counts, ends every session', async () => {
    const before = await wholeDatabase()
    for (const value of [alice.realName, alice.phone, alice.openid]) expect(before).toContain(value)
    const tally = (await app.call('getTopicResult', { params: { id: topicId } }, { token: bobToken })).body
    const seconds = (await app.call('getTopic', { params: { id: topicId } }, { token: bobToken })).body
      .secondsCount
    const audits = await Audit.countDocuments()
    const ledger = await LedgerEntry.countDocuments({ userId: aliceId })

    const res = await app.call(
      'deleteMyAccount',
      { body: { confirmation: '确认注销' } },
      { token: aliceToken },
    )
    expect(res.status).toBe(204)

    const after = await wholeDatabase()
    for (const value of [alice.realName, alice.phone, alice.openid]) expect(after).not.toContain(value)
    expect(after).not.toContain('爱丽丝补充说明')
    // Bob's data is untouched.
    for (const value of [bob.realName, bob.phone, '鲍勃的看法']) expect(after).toContain(value)

    expect((await app.call('getTopicResult', { params: { id: topicId } }, { token: bobToken })).body).toEqual(
      tally,
    )
    expect(
      (await app.call('getTopic', { params: { id: topicId } }, { token: bobToken })).body.secondsCount,
    ).toBe(seconds)
    expect(await Audit.countDocuments()).toBe(audits)
    expect(await LedgerEntry.countDocuments({ userId: aliceId })).toBe(ledger)
    expect((await reconcileScope('all')).differences).toEqual([])
    // Her upcoming booking is cancelled and its slots are free again.
    expect(await SlotClaim.countDocuments({ bookingId: booking.body.id })).toBe(0)
    const needNow = await app.call('getNeed', { params: { id: need.body.id } }, { token: staffA })
    expect(needNow.body.reporterName).toBe('已****')
    // Its handling-queue entry (derived from the need) keeps no name either.
    expect((await NeedQueue.findById(need.body.id).lean())?.reporterName).toBe('已注销用户')

    expect((await app.call('getMe', {}, { token: aliceToken })).status).toBe(401)
    expect((await app.call('refreshToken', { body: { refreshToken: aliceRefresh } })).status).toBe(401)
    const again = await app.call('loginWechat', { body: { code: `${alice.code}.2` } })
    expect(again.status).toBe(200)
    expect(again.body.user.id).not.toBe(aliceId)
    expect(again.body.user.residencyStatus).toBe('none')
    expect((await app.call('exportMyData', {}, { token: again.body.accessToken })).body.needs).toEqual([])
  })

  it('a deletion interrupted after its first step is finished by the sweeper', async () => {
    const [carol] = await app.verifiedResidents(1, communityA.id, 'privacy-carol')
    await app.call(
      'createNeed',
      {
        body: {
          categoryId: categories.body.items[0].id,
          title: '路灯',
          description: '路灯不亮',
          ignoreDuplicates: true,
        },
      },
      { token: carol!.token },
    )
    // As if the process died right after step one: tombstoned, nothing else done.
    await startDeletion(carol!.id, new Date())
    expect(await wholeDatabase()).toContain(carol!.handle)
    // Not before a minute has passed (it may still be running), then once.
    expect(await accountDeletionSweeper.run(app.deps, new Date())).toBe(0)
    const later = new Date(Date.now() + 2 * 60_000)
    expect(await accountDeletionSweeper.run(app.deps, later)).toBe(1)
    expect(await wholeDatabase()).not.toContain(carol!.handle)
    expect((await User.findById(carol!.id).lean())!.deletedAt).toBeInstanceOf(Date)
    expect(await accountDeletionSweeper.run(app.deps, later)).toBe(0)
  })
})
