import mongoose, { Schema } from 'mongoose'
import type { Sweeper } from '../../jobs/sweepers'
import { AppError } from '../errors'

/**
 * Attempts, one document each, counted over a sliding window. Kept in the database so every BFF
 * instance counts against the same budget: four instances do not make four times the limit.
 */
const hitSchema = new Schema({ key: { type: String, required: true }, at: { type: Date, required: true } })
hitSchema.index({ key: 1, at: 1 })
hitSchema.index({ at: 1 })
export const RateHit = mongoose.model('RateHit', hitSchema, 'rate_limit_hits')

/** Attempts are kept this long (longer than any window), then swept. */
const KEEP_MS = 3_600_000

/**
 * A limiter named `name` allowing `points` attempts per key within any `durationSeconds`. The
 * attempt is recorded first, then counted: of concurrent attempts past the limit none slips
 * through (at worst one more is refused). Refused attempts count too, so hammering stays refused.
 */
export function createLimiter(name: string, points: number, durationSeconds: number) {
  const windowMs = durationSeconds * 1000
  return async (key: string): Promise<void> => {
    const now = new Date()
    // A budget is its name and size: instances configured alike share it.
    const k = `${name}/${points}/${durationSeconds}:${key}`
    const since = new Date(now.getTime() - windowMs)
    await RateHit.create({ key: k, at: now })
    const used = await RateHit.countDocuments({ key: k, at: { $gt: since } })
    if (used <= points) return
    const oldest = await RateHit.findOne({ key: k, at: { $gt: since } }, { at: 1 })
      .sort({ at: 1 })
      .lean()
    const waitMs = (oldest?.at.getTime() ?? now.getTime()) + windowMs - now.getTime()
    const seconds = Math.max(1, Math.ceil(waitMs / 1000))
    throw new AppError('RATE_LIMITED', `请在 ${seconds} 秒后重试`, undefined, seconds)
  }
}

export const rateLimitSweeper: Sweeper = {
  name: 'rate-limits',
  everyMs: 60_000,
  async run(_deps, now) {
    const { deletedCount } = await RateHit.deleteMany({ at: { $lt: new Date(now.getTime() - KEEP_MS) } })
    return deletedCount
  },
}
