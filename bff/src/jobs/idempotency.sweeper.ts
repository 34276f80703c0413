import { purgeIdempotencyKeys } from '../platform/http/idempotency'
import type { Sweeper } from './sweepers'

/** Purges Idempotency-Key records older than a day (one deleteMany; harmless on several instances). */
export const idempotencySweeper: Sweeper = {
  name: 'idempotency',
  everyMs: 3_600_000,
  run: (_deps, now) => purgeIdempotencyKeys(now),
}
