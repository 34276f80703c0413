import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { IDEMPOTENCY_KEY_PATTERN } from '@linli/shared-types'
import mongoose, { Schema } from 'mongoose'
import { AppError } from '../errors'
import { isDuplicateKey } from './problem'

/**
 * The first request with a key records itself as pending under a lease it renews while it runs;
 * repeats with the same body wait for it and replay its response, repeats with a different body are
 * refused. Server errors release the key so the client may retry. A pending key whose lease ran out
 * (its process died) is taken over by the next repeat, which runs the operation again: operations
 * finish or recognise their own half-done work (a redemption is found by its request key), so the
 * repeat answers with the outcome the sweeper completed. `idempotencySweeper` purges keys after a day.
 */
const idempotencySchema = new Schema({
  _id: { type: String }, // `${userId}:${operationId}:${key}`
  requestHash: { type: String, required: true },
  state: { type: String, enum: ['pending', 'done'], required: true },
  status: { type: Number },
  body: { type: Schema.Types.Mixed },
  /** While pending: the request is alive until then (renewed every LEASE_MS / 3). */
  leaseUntil: { type: Date, default: null },
  createdAt: { type: Date, default: () => new Date(), index: true },
})
export const IdempotencyKey = mongoose.model('IdempotencyKey', idempotencySchema, 'idempotency_keys')

export const IDEMPOTENCY_HEADER = 'idempotency-key'
/** How long a pending key outlives its request at most. */
export const LEASE_MS = 30_000
/** Keys are kept this long, then purged. */
export const KEY_TTL_MS = 86_400_000
const keyPattern = new RegExp(IDEMPOTENCY_KEY_PATTERN)

export interface Outcome {
  status: number
  body: unknown
}

export function hashRequest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex')
}

/** Refuses a key not of the declared pattern (an empty header included) before anything runs. */
export function checkIdempotencyKey(key: string): void {
  if (!keyPattern.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key 须为 8–128 位字母数字')
}

export async function withIdempotency(
  scope: string,
  key: string,
  requestHash: string,
  run: () => Promise<Outcome>,
): Promise<Outcome> {
  checkIdempotencyKey(key)
  const id = `${scope}:${key}`
  try {
    await IdempotencyKey.create({ _id: id, requestHash, state: 'pending', leaseUntil: lease() })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    const replayed = await replay(id, requestHash)
    if (replayed) return replayed
  }
  // Renew the lease while the operation runs, so only a dead request's key is ever taken over.
  const heartbeat = setInterval(() => {
    IdempotencyKey.updateOne({ _id: id, state: 'pending' }, { $set: { leaseUntil: lease() } }).catch(() => {})
  }, LEASE_MS / 3)
  let outcome: Outcome
  try {
    outcome = await run()
  } catch (error) {
    clearInterval(heartbeat)
    const status = (error as { status?: number }).status ?? 500
    if (error instanceof AppError && status < 500) {
      await IdempotencyKey.updateOne({ _id: id }, { state: 'done', status, body: { code: error.code } })
    } else {
      await IdempotencyKey.deleteOne({ _id: id })
    }
    throw error
  }
  clearInterval(heartbeat)
  await IdempotencyKey.updateOne({ _id: id }, { state: 'done', status: outcome.status, body: outcome.body })
  return outcome
}

const lease = () => new Date(Date.now() + LEASE_MS)

/**
 * The stored outcome of an earlier request with this key, waiting for it while it runs; null when
 * this request took the key over (its holder died) and must run the operation itself.
 */
async function replay(id: string, requestHash: string, waitMs = 10_000): Promise<Outcome | null> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const stored = await IdempotencyKey.findById(id).lean()
    if (!stored) throw new AppError('IDEMPOTENCY_IN_PROGRESS', '上次请求未完成，请重试')
    if (stored.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED')
    if (stored.state === 'done') {
      const body = stored.body as { code?: string } | undefined
      // A refused first attempt is refused again the same way.
      if ((stored.status ?? 500) >= 400 && body?.code) throw new AppError(body.code as AppError['code'])
      return { status: stored.status ?? 200, body: stored.body }
    }
    // Keys written before leases existed count from their creation.
    const leaseEnd = stored.leaseUntil ?? new Date(stored.createdAt.getTime() + LEASE_MS)
    if (leaseEnd.getTime() < Date.now()) {
      const taken = await IdempotencyKey.updateOne(
        { _id: id, state: 'pending', leaseUntil: stored.leaseUntil ?? null },
        { $set: { leaseUntil: lease() } },
      )
      if (taken.modifiedCount) return null
      continue
    }
    if (Date.now() > deadline) throw new AppError('IDEMPOTENCY_IN_PROGRESS')
    await sleep(50)
  }
}

/** Purges keys older than KEY_TTL_MS; one deleteMany, safe on several instances. */
export async function purgeIdempotencyKeys(now: Date): Promise<number> {
  const res = await IdempotencyKey.deleteMany({ createdAt: { $lt: new Date(now.getTime() - KEY_TTL_MS) } })
  return res.deletedCount
}
