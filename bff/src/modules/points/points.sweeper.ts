import type { Sweeper } from '../../jobs/sweepers'
import { backfillLedgerOrder, repairPending } from './ledger'
import { expirePoints } from './reconcile.service'
import { REDEMPTION_STALE_MS, recoverRedemptions } from './redemption'
import { expireVouchers } from './vouchers.service'

/**
 * Points housekeeping, safe on several instances (every change is a guarded update or keyed ledger
 * entry): settle ledger ops left pending by a crash, finish or undo stale redemptions, expire
 * vouchers (points and stock back) and expire points oldest first.
 */
export const pointsSweeper: Sweeper = {
  name: 'points',
  everyMs: 30_000,
  async run(_deps, now) {
    const stale = new Date(now.getTime() - REDEMPTION_STALE_MS)
    const redemptions = await recoverRedemptions(now)
    const ledger = await repairPending(stale)
    const vouchers = await expireVouchers(now)
    const expired = await expirePoints(now)
    const ordered = await backfillLedgerOrder()
    return { redemptions, ledger, vouchers, expired, ordered }
  },
}
