import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import mongoose, { Schema } from 'mongoose'
import { AppError } from '../errors'
import { isDuplicateKey } from './problem'

/**
 * The first request with a key records itself as pending; repeats with the same body wait for it and
 * replay its response, repeats with a different body are refused. Server errors release the key so
 * the client may retry. A sweeper purges keys older than a day.
 */
const idempotencySchema = new Schema({
  _id: { type: String }, // `${userId}:${operationId}:${key}`
  requestHash: { type: String, required: true },
  state: { type: String, enum: ['pending', 'done'], required: true },
  status: { type: Number },
  body: { type: Schema.Types.Mixed },
  createdAt: { type: Date, default: () => new Date(), index: true },
})
export const IdempotencyKey = mongoose.model('IdempotencyKey', idempotencySchema, 'idempotency_keys')

export const IDEMPOTENCY_HEADER = 'idempotency-key'
const keyPattern = /^[\w-]{8,128}$/

export interface Outcome {
  status: number
  body: unknown
}

export function hashRequest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex')
}

export async function withIdempotency(
  scope: string,
  key: string,
  requestHash: string,
  run: () => Promise<Outcome>,
): Promise<Outcome> {
  if (!keyPattern.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key 须为 8–128 位字母数字')
  const id = `${scope}:${key}`
  try {
    await IdempotencyKey.create({ _id: id, requestHash, state: 'pending' })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return replay(id, requestHash)
  }
  let outcome: Outcome
  try {
    outcome = await run()
  } catch (error) {
    const status = (error as { status?: number }).status ?? 500
    if (error instanceof AppError && status < 500) {
      await IdempotencyKey.updateOne({ _id: id }, { state: 'done', status, body: { code: error.code } })
    } else {
      await IdempotencyKey.deleteOne({ _id: id })
    }
    throw error
  }
  await IdempotencyKey.updateOne({ _id: id }, { state: 'done', status: outcome.status, body: outcome.body })
  return outcome
}

async function replay(id: string, requestHash: string, waitMs = 10_000): Promise<Outcome> {
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
    if (Date.now() > deadline) throw new AppError('IDEMPOTENCY_IN_PROGRESS')
    await sleep(50)
  }
}
