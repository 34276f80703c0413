import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { AppError } from '../errors'

/**
 * A per-key limiter. In memory, so each BFF instance counts on its own; behind several instances
 * the effective limit is per instance, which is acceptable for abuse throttling.
 */
export function createLimiter(points: number, durationSeconds: number) {
  const limiter = new RateLimiterMemory({ points, duration: durationSeconds })
  return async (key: string): Promise<void> => {
    try {
      await limiter.consume(key)
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000))
        throw new AppError('RATE_LIMITED', `请在 ${seconds} 秒后重试`, undefined, seconds)
      }
      throw error
    }
  }
}
