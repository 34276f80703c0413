import type { Sweeper } from '../../jobs/sweepers'
import { recoverSteps } from './steps.service'
import { backfillTopicMonths } from './topic.months'
import { sweepVoting } from './voting.service'

/**
 * Finishes one-time steps (screening, withdrawal, opening, closing) a crash interrupted after their
 * claim, then opens and closes votes on their windows and finishes interrupted openings/closings;
 * gives older topics their month until that backfill is done.
 */
export const deliberationSweeper: Sweeper = {
  name: 'deliberation-voting',
  everyMs: 30_000,
  run: async (deps, now) =>
    (await recoverSteps(deps.config.BALLOT_SECRET, now)) +
    (await sweepVoting(deps.config.BALLOT_SECRET, now)) +
    (await backfillTopicMonths()),
}
