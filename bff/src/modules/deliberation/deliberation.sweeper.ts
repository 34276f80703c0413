import type { Sweeper } from '../../jobs/sweepers'
import { recoverSteps } from './steps.service'
import { backfillTopicCounts, repairTopicCounts } from './topic.counts'
import { backfillTopicMonths } from './topic.months'
import { sweepVoting } from './voting.service'

/**
 * Finishes one-time steps (screening, withdrawal, opening, closing) a crash interrupted after their
 * claim, then opens and closes votes on their windows and finishes interrupted openings/closings;
 * gives older topics their month and counters until those backfills are done, and recounts the
 * topics a write may have left with a counter behind.
 */
export const deliberationSweeper: Sweeper = {
  name: 'deliberation-voting',
  everyMs: 30_000,
  run: async (deps, now) =>
    (await recoverSteps(deps.config.BALLOT_SECRET, now)) +
    (await sweepVoting(deps.config.BALLOT_SECRET, now)) +
    (await backfillTopicMonths()) +
    (await backfillTopicCounts()) +
    (await repairTopicCounts(now)),
}
