/** Reconciliation (balances against the ledger, stock against redemptions) and oldest-first expiry. */
import { type PointAccount, pointsDueToExpire, type Reconciliation } from '@linli/shared-types'
import { advanceCheckpoint, readCheckpoint } from '../../platform/checkpoints'
import { AppError } from '../../platform/errors'
import { type Actor, assertInReach, communitiesInReach } from '../../platform/policy'
import { post } from './ledger'
import { LedgerEntry, PointBalance } from './points.model'
import { Reward } from './rewards.model'

export async function reconcile(actor: Actor, communityId?: string): Promise<Reconciliation> {
  const reach = communitiesInReach(actor)
  if (communityId) assertInReach(actor, communityId)
  const scope = communityId ? [communityId] : reach
  return reconcileScope(scope)
}

/** balance = Σ ledger for every account of the scope, and stock = total − taken + returned per reward. */
export async function reconcileScope(scope: string[] | 'all'): Promise<Reconciliation> {
  const { Types } = await import('mongoose')
  const match = scope === 'all' ? {} : { communityId: { $in: scope.map((id) => new Types.ObjectId(id)) } }
  // FerretDB v1.24 computes only the first accumulator of a $group: one accumulator per aggregation.
  const [sums, entries, balances, rewards] = await Promise.all([
    LedgerEntry.aggregate<{ _id: { userId: unknown; account: PointAccount }; sum: number }>([
      { $match: match },
      { $group: { _id: { userId: '$userId', account: '$account' }, sum: { $sum: '$delta' } } },
    ]),
    LedgerEntry.countDocuments(match),
    PointBalance.find(match).lean(),
    Reward.find(match).lean(),
  ])
  const ledger = new Map(sums.map((s) => [`${s._id.userId}:${s._id.account}`, s.sum]))
  const differences: Reconciliation['differences'] = []
  for (const b of balances) {
    const k = `${b.userId}:${b.account}`
    const sum = ledger.get(k) ?? 0
    ledger.delete(k)
    // A balance caught mid-upsert (FerretDB inserts, then sets defaults) reads as zero, nothing pending.
    const balance = b.balance ?? 0
    const pending = b.pendingOps?.length ?? 0
    if (sum !== balance || pending)
      differences.push({
        userId: String(b.userId),
        account: b.account as PointAccount,
        balance,
        ledgerSum: sum,
        pending,
      })
  }
  for (const [k, sum] of ledger) {
    const [userId = '', account] = k.split(':')
    differences.push({ userId, account: account as PointAccount, balance: 0, ledgerSum: sum, pending: 0 })
  }
  const stockDifferences = rewards
    .map((r) => ({
      rewardId: String(r._id),
      stock: r.stock,
      expected: r.stockTotal - r.stockTakers.length + r.stockReturns.length,
    }))
    .filter((r) => r.stock !== r.expected)
  return {
    checkedAt: new Date().toISOString(),
    accounts: balances.length,
    ledgerEntries: entries,
    clean: differences.length === 0 && stockDifferences.length === 0,
    differences,
    rewards: rewards.length,
    stockDifferences,
  }
}

/** Credits written this close before a pass are looked at again by the next (writes in flight). */
const EXPIRY_MARGIN_MS = 5 * 60_000

/**
 * Expires points oldest first: per account, what expired by `now` minus everything already taken
 * out (spent or expired). One ledger entry per account per expiry cut-off (its key), so a second
 * run or a second instance expires nothing more.
 */
export async function expirePoints(now: Date): Promise<number> {
  // Real time for the checkpoint: tests pass other `now`s and write credits that expired long ago.
  const started = new Date()
  const mark = await readCheckpoint('points-expiry')
  const since = mark ?? new Date(0)
  // The accounts with a credit that expired since the last pass, or was written since then already
  // expired (an import); everything older was settled by an earlier pass.
  const due = await LedgerEntry.aggregate<{ _id: { userId: unknown; account: PointAccount } }>([
    {
      $match: {
        $or: [
          { expiresAt: { $gt: since, $lte: now } },
          { createdAt: { $gte: new Date(since.getTime() - EXPIRY_MARGIN_MS) }, expiresAt: { $lte: now } },
        ],
      },
    },
    { $group: { _id: { userId: '$userId', account: '$account' }, n: { $sum: 1 } } },
  ])
  let count = 0
  for (const { _id } of due) {
    const [credits, debits, latest, balance] = await Promise.all([
      LedgerEntry.aggregate<{ sum: number }>([
        { $match: { userId: _id.userId, account: _id.account, delta: { $gt: 0 }, expiresAt: { $lte: now } } },
        { $group: { _id: null, sum: { $sum: '$delta' } } },
      ]),
      LedgerEntry.aggregate<{ sum: number }>([
        { $match: { userId: _id.userId, account: _id.account, delta: { $lt: 0 } } },
        { $group: { _id: null, sum: { $sum: '$delta' } } },
      ]),
      LedgerEntry.findOne({
        userId: _id.userId,
        account: _id.account,
        delta: { $gt: 0 },
        expiresAt: { $lte: now },
      })
        .sort({ expiresAt: -1 })
        .lean(),
      PointBalance.findOne({ userId: _id.userId, account: _id.account }).lean(),
    ])
    if (!balance || !latest?.expiresAt) continue
    const points = pointsDueToExpire(credits[0]?.sum ?? 0, -(debits[0]?.sum ?? 0), balance.balance)
    if (points <= 0) continue
    try {
      const { created } = await post({
        key: `expire:${_id.userId}:${_id.account}:${latest.expiresAt.toISOString()}`,
        userId: String(_id.userId),
        account: _id.account,
        communityId: balance.communityId ?? null,
        delta: -points,
        reason: '积分到期',
        refType: 'expiry',
      })
      if (created) count++
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'POINTS_INSUFFICIENT')) throw error
    }
  }
  await advanceCheckpoint('points-expiry', started)
  return count
}
