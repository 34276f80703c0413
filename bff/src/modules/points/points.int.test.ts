import { zoneDate } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { emitEvent } from '../../platform/events'
import { Merchant } from '../merchants/merchant.model'
import { LedgerEntry, PointBalance } from './points.model'
import { pointsSweeper } from './points.sweeper'
import { expirePoints, reconcileScope } from './reconcile.service'
import { Reward, Voucher } from './rewards.model'
import { grant, makeResidents, rewardBody } from './test-helpers'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
const { communityA, communityB, merchantId } = app.demo
const staff = await app.login('staff', { scopeId: communityA.id, handle: 'pts-staff-a' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'pts-staff-b' })
const merchant = await app.login('merchant', { scopeId: merchantId, handle: 'merchant-bakery' })

const balanceOf = async (userId: string, account = 'community') =>
  (await PointBalance.findOne({ userId, account }).lean())?.balance ?? 0

async function newReward(over: Record<string, unknown> = {}) {
  const res = await app.call('createReward', { body: rewardBody(app, over) }, { token: staff })
  expect(res.status).toBe(201)
  return res.body as { id: string }
}

const redeem = (rewardId: string, token: string) =>
  app.call('redeemReward', { params: { id: rewardId } }, { token })

describe('accounts, rules and earning', () => {
  it('shows both accounts with the seeded names; the demo resident has opening points', async () => {
    const zhang = await app.login('resident', { handle: 'resident-zhang' })
    const mine = await app.call('getMyPoints', {}, { token: zhang })
    expect(mine.body.accounts).toEqual([
      { account: 'volunteer', name: '志愿积分', balance: 120 },
      { account: 'community', name: '社区积分', balance: 300 },
    ])
    const entries = await app.call(
      'listMyPointEntries',
      { query: { account: 'community' } },
      { token: zhang },
    )
    expect(entries.body.items[0]).toMatchObject({ delta: 300, balanceAfter: 300 })
    expect(new Date(entries.body.items[0].expiresAt).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 1)
  })

  it('the same domain event delivered twice awards once', async () => {
    const [r] = await makeResidents(app, 1, 'evt')
    const event = {
      key: `vote.cast:topic-1:${r!.id}`,
      type: 'vote.cast',
      userId: r!.id,
      communityId: communityA.id,
      at: new Date(),
      data: { refId: 'topic-1' },
    }
    await Promise.all([emitEvent(event), emitEvent(event), emitEvent(event)])
    await emitEvent(event)
    expect(await balanceOf(r!.id)).toBe(5)
    expect(await LedgerEntry.countDocuments({ key: event.key })).toBe(1)
  })

  it('caps hold under concurrent events (daily cap 20 at 5 points: 4 of 30 votes pay)', async () => {
    const [r] = await makeResidents(app, 1, 'cap')
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        emitEvent({
          key: `vote.cast:t${i}:${r!.id}`,
          type: 'vote.cast',
          userId: r!.id,
          communityId: communityA.id,
          at: new Date(),
        }),
      ),
    )
    expect(await balanceOf(r!.id)).toBe(20)
    expect(await LedgerEntry.countDocuments({ userId: r!.id })).toBe(4)
  })

  it('staff update rules and account names (audited); other communities are out of reach', async () => {
    const [r] = await makeResidents(app, 1, 'rules')
    const attended = (day: string) => ({
      key: `day.attended:${day}:${r!.id}`,
      type: 'day.attended',
      userId: r!.id,
      communityId: communityA.id,
      at: new Date(),
    })
    // The rules as this instance holds them for awarding: 10 points a day attended.
    await emitEvent(attended('d1'))
    expect(await balanceOf(r!.id)).toBe(10)
    const res = await app.call(
      'updatePointRules',
      {
        params: { id: communityA.id },
        body: {
          accountNames: { volunteer: '志愿积分', community: '社区积分' },
          rules: [
            {
              eventType: 'day.attended',
              account: 'community',
              points: 15,
              dailyCap: null,
              monthlyCap: 45,
              enabled: true,
            },
          ],
        },
      },
      { token: staff },
    )
    expect(res.status).toBe(200)
    expect(res.body.rules.find((r: { eventType: string }) => r.eventType === 'day.attended').points).toBe(15)
    // Applied at once on the instance that changed them, though it read them just before.
    await emitEvent(attended('d2'))
    expect(await balanceOf(r!.id)).toBe(25)
    const other = await app.call(
      'updatePointRules',
      { params: { id: communityA.id }, body: {} },
      { token: staffB },
    )
    expect(other.status).toBe(404)
    const log = await app.call('listAuditLog', { query: { action: 'points.rules.update' } }, { token: staff })
    expect(log.body.items).toHaveLength(1)
  })

  it('manual awards need a reason, are audited, and reach only residents in scope', async () => {
    const [r] = await makeResidents(app, 1, 'award')
    const noReason = await app.call(
      'awardPoints',
      { body: { userId: r!.id, account: 'volunteer', points: 10, reason: '' } },
      { token: staff },
    )
    expect(noReason.status).toBe(400)
    const ok = await app.call(
      'awardPoints',
      { body: { userId: r!.id, account: 'volunteer', points: 10, reason: '社区清洁日表现突出' } },
      { token: staff, headers: { 'Idempotency-Key': 'award-key-0001' } },
    )
    expect(ok.status).toBe(201)
    const again = await app.call(
      'awardPoints',
      { body: { userId: r!.id, account: 'volunteer', points: 10, reason: '社区清洁日表现突出' } },
      { token: staff, headers: { 'Idempotency-Key': 'award-key-0001' } },
    )
    expect(again.body.entry.id).toBe(ok.body.entry.id)
    expect(await balanceOf(r!.id, 'volunteer')).toBe(10)
    const outOfReach = await app.call(
      'awardPoints',
      { body: { userId: r!.id, account: 'volunteer', points: 10, reason: '越权' } },
      { token: staffB },
    )
    expect(outOfReach.status).toBe(404)
    const log = await app.call('listAuditLog', { query: { action: 'points.award' } }, { token: staff })
    expect(log.body.items[0].detail.reason).toBe('社区清洁日表现突出')
  })

  it('volunteer hours: submitted by the resident, approved by staff once, paid per hour', async () => {
    const [r] = await makeResidents(app, 1, 'vol')
    const sub = await app.call(
      'submitVolunteerHours',
      { body: { activity: '敬老院探访', date: '2026-11-01', hours: 2.5 } },
      { token: r!.token },
    )
    expect(sub.status).toBe(201)
    const queue = await app.call('listVolunteerHours', { query: { status: 'pending' } }, { token: staff })
    expect(queue.body.items.map((h: { id: string }) => h.id)).toContain(sub.body.id)
    const queueB = await app.call('listVolunteerHours', { query: { status: 'pending' } }, { token: staffB })
    expect(queueB.body.items.map((h: { id: string }) => h.id)).not.toContain(sub.body.id)
    const bare = await app.call(
      'reviewVolunteerHours',
      { params: { id: sub.body.id }, body: { decision: 'reject' } },
      { token: staff },
    )
    expect([bare.status, bare.body.code]).toEqual([422, 'REASON_REQUIRED'])
    expect(bare.body.errors).toEqual([{ path: ['reason'], message: '驳回须填写原因' }])
    const reviews = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.call(
          'reviewVolunteerHours',
          { params: { id: sub.body.id }, body: { decision: 'approve' } },
          { token: staff },
        ),
      ),
    )
    expect(reviews.filter((x) => x.status === 200)).toHaveLength(1)
    expect(reviews.filter((x) => x.body.code === 'VOLUNTEER_HOURS_REVIEWED')).toHaveLength(4)
    expect(await balanceOf(r!.id, 'volunteer')).toBe(25)
    const after = await app.call('listVolunteerHours', { query: { status: 'pending' } }, { token: staff })
    expect(after.body.items.map((h: { id: string }) => h.id)).not.toContain(sub.body.id)
  })
})

describe('merchants, rewards and 核销', () => {
  it('staff add a verified resident of the community as a clerk of an existing merchant', async () => {
    const [clerk] = await app.verifiedResidents(1, communityA.id, 'pts-clerk')
    const [outsider] = await app.verifiedResidents(1, communityB.id, 'pts-outsider')
    const before = (await Merchant.findById(merchantId).lean())!.staffUserIds.length
    const add = () =>
      app.call(
        'addMerchantStaff',
        { params: { id: merchantId }, body: { userId: clerk!.id } },
        { token: staff },
      )
    const added = await add()
    expect(added.status).toBe(200)
    expect(added.body).toMatchObject({ id: merchantId, name: '望平烘焙坊', staffCount: before + 1 })
    // Twice changes nothing.
    expect((await add()).body.staffCount).toBe(before + 1)
    const me = await app.call('getMe', {}, { token: clerk!.token })
    expect(me.body.roles).toContainEqual(
      expect.objectContaining({ role: 'merchant', scopeId: merchantId, scopeName: '望平烘焙坊' }),
    )
    // A resident of another community, or another community's staff: 404, never a leak.
    const stranger = await app.call(
      'addMerchantStaff',
      { params: { id: merchantId }, body: { userId: outsider!.id } },
      { token: staff },
    )
    expect([stranger.status, stranger.body.code, stranger.body.detail]).toEqual([
      404,
      'NOT_FOUND',
      '该居民不存在或未在本社区认证',
    ])
    const foreignStaff = await app.call(
      'addMerchantStaff',
      { params: { id: merchantId }, body: { userId: clerk!.id } },
      { token: staffB },
    )
    expect(foreignStaff.status).toBe(404)
  })

  it('staff onboard a merchant with its staff account; the merchant manages only its own rewards', async () => {
    const cashier = await app.call('devLogin', { body: { role: 'resident', handle: 'new-cashier' } })
    const created = await app.call(
      'createMerchant',
      {
        body: {
          communityId: communityA.id,
          name: '望平茶铺',
          address: '望平街20号',
          staffUserIds: [cashier.body.user.id],
        },
      },
      { token: staff },
    )
    expect(created.status).toBe(201)
    expect(created.body.staffCount).toBe(1)
    const me = await app.call('getMe', {}, { token: cashier.body.accessToken })
    expect(me.body.roles.map((m: { role: string }) => m.role)).toContain('merchant')
    const list = await app.call('listMerchants', {}, { token: cashier.body.accessToken })
    expect(list.body.items.map((m: { name: string }) => m.name)).toEqual(['望平茶铺'])
    const foreign = await app.call(
      'createReward',
      { body: rewardBody(app) },
      { token: cashier.body.accessToken },
    )
    expect(foreign.status).toBe(404)
    const own = await app.call(
      'createReward',
      { body: rewardBody(app, { merchantId: created.body.id, title: '茶一壶' }) },
      { token: cashier.body.accessToken },
    )
    expect(own.status).toBe(201)
    const less = await app.call(
      'updateReward',
      { params: { id: own.body.id }, body: { addStock: -11 } },
      { token: staff },
    )
    expect(less.body.code).toBe('STOCK_NEGATIVE')
    const more = await app.call(
      'updateReward',
      { params: { id: own.body.id }, body: { addStock: 5 } },
      { token: staff },
    )
    expect(more.body.stock).toBe(15)
    expect(await Merchant.countDocuments({ communityId: communityA.id })).toBe(2)
  })

  it('50 concurrent redeemVoucher: exactly one succeeds; another merchant gets 404; cancelled and expired get their own codes', async () => {
    const [r] = await makeResidents(app, 1, 'hx')
    await grant(app, r!.id, 'community', 200, 'hx')
    const reward = await newReward({ cost: 40, stock: 5, perResidentLimit: 3 })
    const v1 = await redeem(reward.id, r!.token)
    expect(v1.status).toBe(201)
    expect(v1.body.code).toMatch(/^[A-HJKMNP-Z2-9]{12}$/)
    expect(v1.body.qrPayload).toBe(`linli:v1:${v1.body.code}`)

    const seen = await app.call(
      'lookupVoucher',
      { body: { code: v1.body.code.toLowerCase() } },
      { token: merchant },
    )
    expect(seen.body).toMatchObject({ status: 'issued', title: '测试礼遇' })
    expect(seen.body.holder).toMatch(/\*/)

    const other = await app.call(
      'createMerchant',
      { body: { communityId: communityA.id, name: '别家小店' } },
      { token: staff },
    )
    const otherToken = await app.login('merchant', { scopeId: other.body.id, handle: 'other-shop' })
    const wrong = await app.call('redeemVoucher', { body: { code: v1.body.code } }, { token: otherToken })
    expect([wrong.status, wrong.body.code]).toEqual([404, 'VOUCHER_NOT_FOUND'])

    const attempts = await Promise.all(
      Array.from({ length: 50 }, () =>
        app.call('redeemVoucher', { body: { code: v1.body.code } }, { token: merchant }),
      ),
    )
    expect(attempts.filter((a) => a.status === 200)).toHaveLength(1)
    expect(attempts.filter((a) => a.body.code === 'VOUCHER_ALREADY_REDEEMED')).toHaveLength(49)
    const mine = await app.call('getVoucher', { params: { id: v1.body.id } }, { token: r!.token })
    expect(mine.body.status).toBe('redeemed')

    const v2 = await redeem(reward.id, r!.token)
    const cancels = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.call('cancelVoucher', { params: { id: v2.body.id } }, { token: r!.token }),
      ),
    )
    expect(cancels.filter((c) => c.status === 200)).toHaveLength(1)
    expect(await balanceOf(r!.id)).toBe(160) // 200 − 40 (redeemed) ; the cancelled one came back once
    expect((await Reward.findById(reward.id).lean())!.stock).toBe(4)
    const cancelled = await app.call('redeemVoucher', { body: { code: v2.body.code } }, { token: merchant })
    expect([cancelled.status, cancelled.body.code]).toEqual([409, 'VOUCHER_CANCELLED'])

    const v3 = await redeem(reward.id, r!.token)
    await Voucher.updateOne({ _id: v3.body.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
    const expired = await app.call('redeemVoucher', { body: { code: v3.body.code } }, { token: merchant })
    expect([expired.status, expired.body.code]).toEqual([410, 'VOUCHER_EXPIRED'])
    // The sweeper expires it once, returning points and stock once.
    await Promise.all([pointsSweeper.run(app.deps, new Date()), pointsSweeper.run(app.deps, new Date())])
    expect((await Voucher.findById(v3.body.id).lean())!.status).toBe('expired')
    expect(await balanceOf(r!.id)).toBe(160)
    expect((await Reward.findById(reward.id).lean())!.stock).toBe(4)

    const history = await app.call('listMerchantRedemptions', {}, { token: merchant })
    expect(history.body.items.map((h: { id: string }) => h.id)).toContain(v1.body.id)
    // The report's days are the community's (Asia/Shanghai), not UTC's: after 16:00 UTC they differ.
    const today = zoneDate(new Date())
    const report = await app.call(
      'getRedemptionReport',
      { query: { from: today, to: today } },
      { token: staff },
    )
    const row = report.body.rows.find((x: { merchantId: string }) => x.merchantId === merchantId)
    expect(row).toMatchObject({ redeemed: 1, cancelled: 1, expired: 1 })
    // Points spent on vouchers issued in the period and still issued or redeemed (v1 at least).
    expect(row.pointsSpent).toBeGreaterThan(0)
  })

  it('lookups by code are rate-limited per merchant', async () => {
    const shop = await app.call(
      'createMerchant',
      { body: { communityId: communityA.id, name: '猜码测试店' } },
      { token: staff },
    )
    const token = await app.login('merchant', { scopeId: shop.body.id, handle: 'guesser' })
    const replies = await Promise.all(
      Array.from({ length: 110 }, () =>
        app.call('lookupVoucher', { body: { code: 'ABCDEFGHJKMN' } }, { token }),
      ),
    )
    expect(replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(10)
    expect(replies.filter((r) => r.status === 404).length).toBeLessThanOrEqual(100)
  })
})

describe('expiry and reconciliation', () => {
  it('points expire oldest first, once', async () => {
    const [r] = await makeResidents(app, 1, 'exp')
    const { post } = await import('./ledger')
    const base = {
      userId: r!.id,
      account: 'community' as const,
      communityId: communityA.id,
      reason: 't',
      refType: 'test',
    }
    await post({ ...base, key: `old:${r!.id}`, delta: 50, expiresAt: new Date('2020-12-31T15:59:59Z') })
    await post({ ...base, key: `new:${r!.id}`, delta: 30, expiresAt: new Date('2099-12-31T15:59:59Z') })
    await post({ ...base, key: `spend:${r!.id}`, delta: -20 })
    await Promise.all([expirePoints(new Date()), expirePoints(new Date())])
    expect(await balanceOf(r!.id)).toBe(30) // 50 old − 20 spent = 30 expired; the 30 new stay
    expect(await LedgerEntry.countDocuments({ userId: r!.id, refType: 'expiry' })).toBe(1)
  })

  it('after a randomised concurrent workload of awards, redemptions, cancellations and expiries, reconciliation is clean', async () => {
    const residents = await makeResidents(app, 12, 'mix')
    const reward = await newReward({ cost: 15, stock: 20, perResidentLimit: 3 })
    await Promise.all(residents.map((r) => grant(app, r.id, 'community', 40, `mix:${r.id}`)))
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const ops: Promise<unknown>[] = []
    for (let i = 0; i < 60; i++) {
      const r = residents[rand(residents.length)]!
      const kind = rand(4)
      if (kind === 0)
        ops.push(
          app.call(
            'awardPoints',
            { body: { userId: r.id, account: 'community', points: 1 + rand(20), reason: '随机' } },
            { token: staff },
          ),
        )
      else if (kind === 1 || kind === 2) ops.push(redeem(reward.id, r.token))
      else
        ops.push(
          (async () => {
            const mine = await app.call('listMyVouchers', { query: { status: 'issued' } }, { token: r.token })
            const v = mine.body.items[0]
            if (v) await app.call('cancelVoucher', { params: { id: v.id } }, { token: r.token })
          })(),
        )
      if (i === 30)
        ops.push(
          Voucher.updateMany({ status: 'issued' }, { $set: { expiresAt: new Date(Date.now() - 1) } }).then(
            () => pointsSweeper.run(app.deps, new Date()),
          ),
        )
    }
    await Promise.all(ops)
    await pointsSweeper.run(app.deps, new Date())
    const rec = await reconcileScope('all')
    expect(rec.differences).toEqual([])
    expect(rec.stockDifferences).toEqual([])
    const stock = (await Reward.findById(reward.id).lean())!.stock
    const held = await Voucher.countDocuments({
      rewardId: reward.id,
      status: { $in: ['issued', 'redeemed'] },
    })
    expect(stock + held).toBe(20)
  })
})
