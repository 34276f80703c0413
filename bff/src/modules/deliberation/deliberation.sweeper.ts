import type { Sweeper } from '../../jobs/sweepers'
import { sweepVoting } from './voting.service'

/** Opens and closes votes on their windows and finishes openings/closings a crash interrupted. */
export const deliberationSweeper: Sweeper = {
  name: 'deliberation-voting',
  everyMs: 30_000,
  run: (deps, now) => sweepVoting(deps.config.JWT_SECRET, now),
}
