import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { idempotencySweeper } from '../../jobs/idempotency.sweeper'
import { hashRequest, IdempotencyKey } from '../../platform/http/idempotency'
import { type FaultStep, setFault } from './faults'
import { backfillLedgerOrder } from './ledger'
import { LedgerEntry, PointBalance } from './points.model'
import { reconcileScope } from './reconcile.service'
import { recoverRedemptions } from './redemption'
import { Redemption, Reward, Voucher } from './rewards.model'
import { grant, makeResidents, rewardBody } from './test-helpers'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
const staff = await app.login('staff', { scopeId: app.demo.communityA.id, handle: 'points-staff' })

async function createReward(over: Record<string, unknown> = {}) {
  const res = await app.call('createReward', { body: rewardBody(app, over) }, { token: staff })
  expect(res.status).toBe(201)
  return res.body as { id: string; cost: number }
}

const balanceOf = async (userId: string, account = 'community') =>
  (await PointBalance.findOne({ userId, account }).lean())?.balance ?? 0

afterEach(() => setFault(null))

describe('redemption under concurrency', () => {
  it('200 concurrent redeemReward from 100 residents on stock 50: exactly 50 vouchers, each winner charged once', async () => {
    const residents = await makeResidents(app, 100, 'crowd')
    await Promise.all(residents.map((r) => grant(app, r.id, 'community', 100, `crowd:${r.id}`)))
    const reward = await createReward({ stock: 50, cost: 30, perResidentLimit: 1 })

    const started = Date.now()
    const replies = await Promise.all(
      [...residents, ...residents].map((r) =>
        app.call('redeemReward', { params: { id: reward.id } }, { token: r.token }),
      ),
    )
    const ms = Date.now() - started
    const ok = replies.filter((r) => r.status === 201)
    const codes = replies.filter((r) => r.status !== 201).map((r) => r.body.code)
    console.log(`200 concurrent redeemReward: ${ms} ms, ${ok.length} vouchers`, countBy(codes))

    expect(ok).toHaveLength(50)
    expect(new Set(codes)).toSatisfy((s: Set<string>) =>
      [...s].every((c) => ['REWARD_OUT_OF_STOCK', 'REDEEM_LIMIT_REACHED'].includes(c)),
    )
    expect((await Reward.findById(reward.id).lean())!.stock).toBe(0)
    const vouchers = await Voucher.find({ rewardId: reward.id }).lean()
    expect(vouchers).toHaveLength(50)
    expect(new Set(vouchers.map((v) => v.code)).size).toBe(50)
    const winners = new Set(vouchers.map((v) => String(v.userId)))
    expect(winners.size).toBe(50)
    for (const r of residents) expect(await balanceOf(r.id)).toBe(winners.has(r.id) ? 70 : 100)
    const charges = await LedgerEntry.find({ refType: 'redemption', delta: { $lt: 0 } }).lean()
    const refunds = await LedgerEntry.find({ refType: 'redemption', delta: { $gt: 0 } }).lean()
    expect(charges.length - refunds.length).toBe(50)
    expect(
      await Redemption.countDocuments({ rewardId: reward.id, state: { $nin: ['completed', 'undone'] } }),
    ).toBe(0)
    const rec = await reconcileScope('all')
    expect(rec.differences).toEqual([])
    expect(rec.stockDifferences).toEqual([])
    expect(rec.clean).toBe(true)
    expect(rec.ledgerEntries).toBe(await LedgerEntry.countDocuments())
    expect(rec.ledgerEntries).toBeGreaterThan(100)
    const viaApi = await app.call('getPointsReconciliation', {}, { token: staff })
    expect(viaApi.body.clean).toBe(true)
  }, 180_000)

  it('20 concurrent redeemReward with one Idempotency-Key: one voucher, one charge', async () => {
    const [r] = await makeResidents(app, 1, 'idem')
    await grant(app, r!.id, 'community', 200, 'idem')
    const reward = await createReward({ stock: 10, cost: 40, perResidentLimit: 5 })
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.call(
          'redeemReward',
          { params: { id: reward.id } },
          { token: r!.token, headers: { 'Idempotency-Key': 'redeem-once-0001' } },
        ),
      ),
    )
    expect(replies.map((x) => x.status)).toEqual(Array(20).fill(201))
    expect(new Set(replies.map((x) => x.body.id)).size).toBe(1)
    expect(await Voucher.countDocuments({ rewardId: reward.id })).toBe(1)
    expect(await balanceOf(r!.id)).toBe(160)
    expect(await LedgerEntry.countDocuments({ userId: r!.id, refType: 'redemption' })).toBe(1)
    expect((await Reward.findById(reward.id).lean())!.stock).toBe(9)
    // A new key is a new redemption.
    const other = await app.call(
      'redeemReward',
      { params: { id: reward.id } },
      { token: r!.token, headers: { 'Idempotency-Key': 'redeem-once-0002' } },
    )
    expect(other.status).toBe(201)
    expect(other.body.id).not.toBe(replies[0]!.body.id)
  })
})

describe('ledger order', () => {
  it('right after concurrent redemptions and awards, entries newest first chain balanceAfter', async () => {
    const [r] = await makeResidents(app, 1, 'chain')
    await grant(app, r!.id, 'community', 1000, 'chain')
    const reward = await createReward({ stock: 40, cost: 7, perResidentLimit: 40 })
    await Promise.all([
      ...Array.from({ length: 20 }, () =>
        app.call('redeemReward', { params: { id: reward.id } }, { token: r!.token }),
      ),
      ...Array.from({ length: 10 }, (_, i) => grant(app, r!.id, 'community', 3, `chain-${i}`)),
    ])
    // An entry written before `order` existed is given one by the sweeper from its creation time.
    await LedgerEntry.updateOne({ userId: r!.id, refType: 'test', delta: 1000 }, { $unset: { order: 1 } })
    expect(await backfillLedgerOrder()).toBe(1)
    const entries: { delta: number; balanceAfter: number }[] = []
    let cursor: string | undefined
    do {
      const page = await app.call(
        'listMyPointEntries',
        { query: { limit: '7', account: 'community', ...(cursor ? { cursor } : {}) } },
        { token: r!.token },
      )
      expect(page.status).toBe(200)
      entries.push(...page.body.items)
      cursor = page.body.nextCursor ?? undefined
    } while (cursor)
    expect(entries).toHaveLength(31)
    expect(entries[0]!.balanceAfter).toBe(await balanceOf(r!.id))
    for (let i = 0; i + 1 < entries.length; i++)
      expect(entries[i]!.balanceAfter - entries[i]!.delta, `entry ${i}`).toBe(entries[i + 1]!.balanceAfter)
    expect(entries.at(-1)!.balanceAfter).toBe(1000)
  })
})

describe('Idempotency-Key after a crash', () => {
  it('a key left pending by a dead request is taken over: the retry gets the voucher the sweeper completed', async () => {
    const [r] = await makeResidents(app, 1, 'idem-crash')
    await grant(app, r!.id, 'community', 100, 'idem-crash')
    const reward = await createReward({ stock: 3, cost: 25 })
    const key = 'redeem-after-crash-01'
    setFault('afterCharge', 'crash')
    const crashed = await app.call(
      'redeemReward',
      { params: { id: reward.id } },
      { token: r!.token, headers: { 'Idempotency-Key': key } },
    )
    expect(crashed.status).toBe(500)
    // What a kill -9 leaves behind: the key pending, its lease no longer renewed.
    const id = `${r!.id}:redeemReward:${key}`
    const requestHash = hashRequest({ params: { id: reward.id }, body: {} })
    await IdempotencyKey.collection.deleteOne({ _id: id as never })
    await IdempotencyKey.collection.insertOne({
      _id: id as never,
      requestHash,
      state: 'pending',
      leaseUntil: new Date(Date.now() - 1000),
      createdAt: new Date(Date.now() - 120_000),
    })
    expect(await recoverRedemptions(new Date(Date.now() + 5 * 60_000))).toBe(1)
    const finished = await Voucher.findOne({ userId: r!.id }).lean()
    expect(finished).not.toBeNull()

    const started = Date.now()
    const retry = await app.call(
      'redeemReward',
      { params: { id: reward.id } },
      { token: r!.token, headers: { 'Idempotency-Key': key } },
    )
    expect([retry.status, retry.body.id]).toEqual([201, String(finished!._id)])
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await balanceOf(r!.id)).toBe(75)
    expect(await Voucher.countDocuments({ userId: r!.id })).toBe(1)
    // The key now replays that outcome.
    const again = await app.call(
      'redeemReward',
      { params: { id: reward.id } },
      { token: r!.token, headers: { 'Idempotency-Key': key } },
    )
    expect([again.status, again.body.id]).toEqual([201, String(finished!._id)])
    expect((await IdempotencyKey.findById(id).lean())!.state).toBe('done')
  })

  it('keys are purged after a day by the sweeper', async () => {
    const old = new Date(Date.now() - 25 * 3_600_000)
    await IdempotencyKey.collection.insertMany([
      { _id: 'purge:old-done' as never, requestHash: 'x', state: 'done', status: 201, createdAt: old },
      {
        _id: 'purge:old-pending' as never,
        requestHash: 'x',
        state: 'pending',
        leaseUntil: old,
        createdAt: old,
      },
      { _id: 'purge:fresh' as never, requestHash: 'x', state: 'done', status: 201, createdAt: new Date() },
    ])
    expect(await idempotencySweeper.run(app.deps, new Date())).toBe(2)
    const left = await IdempotencyKey.find({ _id: /^purge:/ }).lean()
    expect(left.map((k) => k._id)).toEqual(['purge:fresh'])
  })
})

describe('redemption recovery (test-only fault hook)', () => {
  const steps: FaultStep[] = ['afterIntent', 'afterBalance', 'afterCharge', 'afterStock', 'afterVoucher']
  const later = () => new Date(Date.now() + 5 * 60_000)

  for (const step of steps) {
    it(`a crash ${step} is repaired by the sweeper to a consistent state`, async () => {
      const [r] = await makeResidents(app, 1, `crash-${step.toLowerCase()}`)
      await grant(app, r!.id, 'community', 100, `crash-${step}`)
      const reward = await createReward({ stock: 3, cost: 25 })
      setFault(step, 'crash')
      const res = await app.call('redeemReward', { params: { id: reward.id } }, { token: r!.token })
      expect(res.status).toBe(500)
      const stuck = await Redemption.findOne({ userId: r!.id }).lean()
      expect(['started', 'charged', 'stocked']).toContain(stuck!.state)

      expect(await recoverRedemptions(new Date())).toBe(0) // not stale yet: left alone
      expect(await recoverRedemptions(later())).toBe(1)
      const red = await Redemption.findOne({ userId: r!.id }).lean()
      const balance = await balanceOf(r!.id)
      const stock = (await Reward.findById(reward.id).lean())!.stock
      const vouchers = await Voucher.find({ redemptionId: red!._id, status: 'issued' }).lean()
      // Charged before the crash → carried forward; otherwise wholly undone.
      const forward = ['afterCharge', 'afterStock', 'afterVoucher'].includes(step)
      expect(red!.state).toBe(forward ? 'completed' : 'undone')
      expect([balance, stock, vouchers.length]).toEqual(forward ? [75, 2, 1] : [100, 3, 0])
      const b = await PointBalance.findOne({ userId: r!.id, account: 'community' }).lean()
      expect(b!.pendingOps).toEqual([])
      expect((await reconcileScope('all')).clean).toBe(true)
      // A second sweep changes nothing.
      expect(await recoverRedemptions(later())).toBe(0)
      expect(await balanceOf(r!.id)).toBe(balance)
      // An undone redemption frees the resident's slot: the resident can redeem again.
      if (!forward) {
        const again = await app.call('redeemReward', { params: { id: reward.id } }, { token: r!.token })
        expect(again.status).toBe(201)
      }
    })
  }

  for (const step of ['afterCharge', 'afterStock', 'afterVoucher'] as FaultStep[]) {
    it(`an error ${step} is undone by the request itself`, async () => {
      const [r] = await makeResidents(app, 1, `err-${step.toLowerCase()}`)
      await grant(app, r!.id, 'community', 100, `err-${step}`)
      const reward = await createReward({ stock: 3, cost: 25 })
      setFault(step, 'error')
      const res = await app.call('redeemReward', { params: { id: reward.id } }, { token: r!.token })
      expect([res.status, res.body.code]).toEqual([503, 'REDEMPTION_FAILED'])
      const red = await Redemption.findOne({ userId: r!.id }).lean()
      expect(red!.state).toBe('undone')
      expect(await balanceOf(r!.id)).toBe(100)
      expect((await Reward.findById(reward.id).lean())!.stock).toBe(3)
      expect(await Voucher.countDocuments({ redemptionId: red!._id, status: 'issued' })).toBe(0)
      expect((await reconcileScope('all')).clean).toBe(true)
    })
  }
})

function countBy(values: string[]) {
  return values.reduce<Record<string, number>>((acc, v) => {
    acc[v] = (acc[v] ?? 0) + 1
    return acc
  }, {})
}
