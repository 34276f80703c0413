import { PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { User } from '../auth/user.model'
import { ResidencyClaim } from './claim.model'
import { residencySweeper } from './residency.sweeper'

const app = await startTestApp()
const { communityA, communityB } = app.demo

const claimIn = (c: typeof communityA, name = '王小明') => ({
  communityId: c.id,
  courtyardId: c.courtyardIds[0],
  buildingId: c.buildingIds[0],
  unit: '2',
  room: '301',
  realName: name,
  phone: '13812345678',
  consentVersion: PRIVACY_NOTICE_VERSION,
})

describe('residency claims', () => {
  it('resident files a claim, staff reviews it, resident becomes verified', async () => {
    const resident = await app.login('resident', { handle: 'claimant' })
    const staff = await app.login('staff', { scopeId: communityA.id, handle: 'staff-a' })

    const submitted = await app.call(
      'submitResidencyClaim',
      { body: claimIn(communityA) },
      { token: resident },
    )
    expect(submitted.status).toBe(201)
    expect((await app.call('getMyResidency', {}, { token: resident })).body.status).toBe('pending')

    const queue = await app.call('listResidencyClaims', { query: { status: 'pending' } }, { token: staff })
    expect(queue.body.items).toHaveLength(1)
    expect(queue.body.items[0].realName).toBe('王**')
    expect(queue.body.items[0].phone).toBe('138****5678')

    const full = await app.call('getResidencyClaim', { params: { id: submitted.body.id } }, { token: staff })
    expect(full.body.phone).toBe('13812345678')

    const approved = await app.call(
      'reviewResidencyClaim',
      { params: { id: submitted.body.id }, body: { decision: 'approve' } },
      { token: staff },
    )
    expect(approved.body.status).toBe('approved')
    const me = await app.call('getMe', {}, { token: resident })
    expect(me.body.residencyStatus).toBe('verified')
    expect(me.body.roles.map((r: { role: string }) => r.role)).toContain('resident')

    const again = await app.call(
      'reviewResidencyClaim',
      { params: { id: submitted.body.id }, body: { decision: 'reject', reason: '信息不符' } },
      { token: staff },
    )
    expect([again.status, again.body.code]).toEqual([409, 'CLAIM_ALREADY_REVIEWED'])

    const log = await app.call('listAuditLog', {}, { token: staff })
    const actions = log.body.items.map((e: { action: string }) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['residency.claim.approved', 'residency.claim.view']))
  })

  it('rejection needs a reason and the resident may claim again', async () => {
    const resident = await app.login('resident', { handle: 'rejected-one' })
    const staff = await app.login('staff', { scopeId: communityA.id, handle: 'staff-a' })
    const claim = await app.call('submitResidencyClaim', { body: claimIn(communityA) }, { token: resident })
    const noReason = await app.call(
      'reviewResidencyClaim',
      { params: { id: claim.body.id }, body: { decision: 'reject' } },
      { token: staff },
    )
    expect([noReason.status, noReason.body.code]).toEqual([422, 'REASON_REQUIRED'])
    expect(noReason.body.errors).toEqual([{ path: ['reason'], message: '驳回须填写原因' }])
    await app.call(
      'reviewResidencyClaim',
      { params: { id: claim.body.id }, body: { decision: 'reject', reason: '房号不存在' } },
      { token: staff },
    )
    const mine = await app.call('getMyResidency', {}, { token: resident })
    expect(mine.body.status).toBe('rejected')
    expect(mine.body.claim.reviewReason).toBe('房号不存在')
    const retry = await app.call('submitResidencyClaim', { body: claimIn(communityA) }, { token: resident })
    expect(retry.status).toBe(201)
  })

  it('staff of another community get 404, residents get 403', async () => {
    const resident = await app.login('resident', { handle: 'scoped' })
    const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-b' })
    const claim = await app.call('submitResidencyClaim', { body: claimIn(communityA) }, { token: resident })

    const get = await app.call('getResidencyClaim', { params: { id: claim.body.id } }, { token: staffB })
    expect([get.status, get.body.code]).toEqual([404, 'NOT_FOUND'])
    const review = await app.call(
      'reviewResidencyClaim',
      { params: { id: claim.body.id }, body: { decision: 'approve' } },
      { token: staffB },
    )
    expect(review.status).toBe(404)
    const list = await app.call('listResidencyClaims', {}, { token: staffB })
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(claim.body.id)
    expect((await ResidencyClaim.findById(claim.body.id).lean())?.status).toBe('pending')

    const asResident = await app.call('listResidencyClaims', {}, { token: resident })
    expect([asResident.status, asResident.body.code]).toEqual([403, 'FORBIDDEN'])
  })

  it('street staff reach every community of their street', async () => {
    const resident = await app.login('resident', { handle: 'street-case' })
    const street = await app.login('streetStaff', { scopeId: app.demo.streetId, handle: 'street' })
    const claim = await app.call('submitResidencyClaim', { body: claimIn(communityB) }, { token: resident })
    const get = await app.call('getResidencyClaim', { params: { id: claim.body.id } }, { token: street })
    expect(get.status).toBe(200)
  })

  it('a unique index refuses a second pending claim, even from concurrent submits (409)', async () => {
    const resident = await app.login('resident', { handle: 'double' })
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.call('submitResidencyClaim', { body: claimIn(communityA) }, { token: resident }),
      ),
    )
    const statuses = replies.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(9)
    expect(replies.find((r) => r.status === 409)!.body.code).toBe('RESIDENCY_CLAIM_PENDING')
    const me = await app.call('getMe', {}, { token: resident })
    expect(await ResidencyClaim.countDocuments({ userId: me.body.id })).toBe(1)
  })

  it('refuses a building outside the chosen community', async () => {
    const resident = await app.login('resident', { handle: 'mismatch' })
    const res = await app.call(
      'submitResidencyClaim',
      { body: { ...claimIn(communityA), buildingId: communityB.buildingIds[0] } },
      { token: resident },
    )
    expect([res.status, res.body.code]).toEqual([422, 'ORG_UNIT_MISMATCH'])
  })

  it('replays an idempotent submit and refuses the same key with another body', async () => {
    const resident = await app.login('resident', { handle: 'idem' })
    const headers = { 'idempotency-key': 'claim-key-0001' }
    const first = await app.call(
      'submitResidencyClaim',
      { body: claimIn(communityA) },
      { token: resident, headers },
    )
    const replay = await app.call(
      'submitResidencyClaim',
      { body: claimIn(communityA) },
      { token: resident, headers },
    )
    expect(replay.status).toBe(201)
    expect(replay.body.id).toBe(first.body.id)
    const other = await app.call(
      'submitResidencyClaim',
      { body: claimIn(communityA, '李四') },
      { token: resident, headers },
    )
    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED'])
  })

  it('the sweeper finishes a review whose second write was lost in a crash', async () => {
    const resident = await app.login('resident', { handle: 'crashed' })
    const claim = await app.call('submitResidencyClaim', { body: claimIn(communityA) }, { token: resident })
    // The crash: the claim is approved, the user never heard of it.
    await ResidencyClaim.updateOne(
      { _id: claim.body.id },
      { $set: { status: 'approved', reviewedAt: new Date(), slot: claim.body.id } },
    )
    expect((await app.call('getMe', {}, { token: resident })).body.residencyStatus).toBe('pending')
    const runs = await Promise.all([1, 2].map(() => residencySweeper.run(app.deps, new Date())))
    expect(runs.some((n) => Number(n) >= 1)).toBe(true)
    const me = await app.call('getMe', {}, { token: resident })
    expect(me.body.residencyStatus).toBe('verified')
    expect((await User.findById(me.body.id).lean())?.residency?.householdKey).toContain(':2:301')
    expect(await residencySweeper.run(app.deps, new Date())).toBe(0)
  })
})
