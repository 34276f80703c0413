import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { PointAccount } from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { fault } from './faults'
import { type LedgerDoc, LedgerEntry, PointBalance } from './points.model'

type Oid = Types.ObjectId | string

export interface PostInput {
  /** Idempotency key: one ledger entry per key, ever. */
  key: string
  userId: Oid
  account: PointAccount
  communityId: Oid | null
  delta: number
  reason: string
  refType: string
  refId?: string | null
  expiresAt?: Date | null
  actorId?: Oid | null
}

const opString = (nonce: string, key: string, delta: number, at: Date) =>
  `${nonce}|${at.getTime()}|${delta}|${key}`
function parseOp(op: string) {
  const [nonce = '', at = '0', delta = '0', ...rest] = op.split('|')
  return { nonce, at: new Date(Number(at)), delta: Number(delta), key: rest.join('|') }
}

async function ensureBalance(userId: Oid, account: PointAccount, communityId: Oid | null): Promise<void> {
  try {
    await PointBalance.updateOne(
      { userId, account },
      { $setOnInsert: { communityId, balance: 0, pendingKeys: [], pendingOps: [] } },
      { upsert: true },
    )
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

/**
 * Appends one ledger entry and moves the balance by the same delta, at most once per key.
 * 1. guarded `$inc` on the balance (enough points for a debit; key not already in flight), marking
 *    the op pending on the balance doc;  2. insert the ledger entry with balanceAfter;  3. clear the
 *    pending mark. A crash between 1 and 2 leaves a pending op that `repairPending` rolls back.
 */
export async function post(input: PostInput): Promise<{ entry: LedgerDoc; created: boolean }> {
  const existing = await LedgerEntry.findOne({ key: input.key }).lean()
  if (existing) return { entry: existing as LedgerDoc, created: false }
  const { userId, account, delta, key } = input
  const nonce = randomUUID()
  const op = opString(nonce, key, delta, new Date())
  const guard = {
    userId,
    account,
    pendingKeys: { $ne: key },
    ...(delta < 0 ? { balance: { $gte: -delta } } : {}),
  }
  const apply = () =>
    PointBalance.findOneAndUpdate(
      guard,
      { $inc: { balance: delta }, $push: { pendingKeys: key, pendingOps: op } },
      { new: true },
    ).lean()
  let balance = await apply()
  if (!balance) {
    const current = await PointBalance.findOne({ userId, account }).lean()
    // `pendingKeys` may be absent for an instant: FerretDB's upsert inserts, then applies $setOnInsert,
    // and reads are not serialised with writes.
    if (current?.pendingKeys?.includes(key)) return { entry: await waitForEntry(key), created: false }
    // No balance document yet, or a concurrent first post created it after our attempt: try again.
    if (!current) await ensureBalance(userId, account, input.communityId)
    balance = await apply()
    if (!balance) throw new AppError('POINTS_INSUFFICIENT')
  }
  fault('afterBalance')
  let entry: LedgerDoc
  try {
    entry = (
      await LedgerEntry.create({
        key,
        userId,
        account,
        communityId: input.communityId,
        delta,
        reason: input.reason,
        refType: input.refType,
        refId: input.refId ?? null,
        balanceAfter: balance.balance,
        expiresAt: delta > 0 ? (input.expiresAt ?? null) : null,
        nonce,
        actorId: input.actorId ?? null,
      })
    ).toObject() as LedgerDoc
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    // A twin with the same key finished between our check and our $inc: undo ours, return theirs.
    await PointBalance.updateOne(
      { userId, account, pendingOps: op },
      { $inc: { balance: -delta }, $pull: { pendingKeys: key, pendingOps: op } },
    )
    return { entry: (await LedgerEntry.findOne({ key }).lean()) as LedgerDoc, created: false }
  }
  const cleared = await PointBalance.updateOne(
    { userId, account, pendingOps: op },
    { $pull: { pendingKeys: key, pendingOps: op } },
  )
  // The repair rolled our $inc back while we were stalled: the entry stands, so the balance follows it.
  if (cleared.modifiedCount === 0)
    await PointBalance.updateOne({ userId, account }, { $inc: { balance: delta } })
  return { entry, created: true }
}

async function waitForEntry(key: string): Promise<LedgerDoc> {
  for (let i = 0; i < 100; i++) {
    const entry = await LedgerEntry.findOne({ key }).lean()
    if (entry) return entry as LedgerDoc
    await sleep(50)
  }
  throw new AppError('IDEMPOTENCY_IN_PROGRESS')
}

/**
 * Settles pending ops older than `olderThan` on balance docs (optionally one user's): an op whose
 * ledger entry exists with its nonce only needs its mark cleared; any other op is rolled back with
 * one guarded update (its entry was never written, so the change never happened; whoever asked
 * retries under the same key). Returns how many ops were settled.
 */
export async function repairPending(
  olderThan: Date,
  filter: Record<string, unknown> = {},
  /** Keys to settle whatever their age (their owner is known to be stale). */
  keys: string[] = [],
): Promise<number> {
  // Any element > '' = a non-empty array, read through the pendingOps index (only balances with ops).
  const docs = await PointBalance.find({ ...filter, pendingOps: { $gt: '' } })
    .limit(500)
    .lean()
  let settled = 0
  for (const doc of docs) {
    for (const op of doc.pendingOps) {
      const { nonce, at, delta, key } = parseOp(op)
      if (at > olderThan && !keys.includes(key)) continue
      const entry = await LedgerEntry.findOne({ key }).lean()
      const update =
        entry && entry.nonce === nonce
          ? { $pull: { pendingKeys: key, pendingOps: op } }
          : { $inc: { balance: -delta }, $pull: { pendingKeys: key, pendingOps: op } }
      const res = await PointBalance.updateOne({ _id: doc._id, pendingOps: op }, update)
      settled += res.modifiedCount
    }
  }
  return settled
}
