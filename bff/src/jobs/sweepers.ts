import { activitiesSweeper } from '../modules/activities/activities.sweeper'
import { bookingSweeper } from '../modules/booking/booking.sweeper'
import { deliberationSweeper } from '../modules/deliberation/deliberation.sweeper'
import { lendingSweeper } from '../modules/lending/lending.sweeper'
import { needsSweeper } from '../modules/needs/needs.sweeper'
import { noticesSweeper } from '../modules/notices/notices.sweeper'
import { outboxSweeper } from '../modules/notify/outbox.sweeper'
import { pointsSweeper } from '../modules/points/points.sweeper'
import { residencySweeper } from '../modules/residency/residency.sweeper'
import type { AppDeps } from '../platform/deps'
import { eventSweeper } from '../platform/events'

/**
 * A periodic job. Every sweeper must be safe to run on several BFF instances at once: it claims
 * each record with a guarded findOneAndUpdate, so a record is handled once.
 */
export interface Sweeper {
  name: string
  everyMs: number
  run(deps: AppDeps, now: Date): Promise<unknown>
}

/** Every sweeper of the app; each domain adds its own here. */
export const sweepers: Sweeper[] = [
  eventSweeper,
  residencySweeper,
  needsSweeper,
  pointsSweeper,
  deliberationSweeper,
  bookingSweeper,
  activitiesSweeper,
  lendingSweeper,
  outboxSweeper,
  noticesSweeper,
]

/** Runs each sweeper on its interval until stopped; one run of a sweeper at a time per process. */
export function startSweepers(deps: AppDeps): () => void {
  const timers = sweepers.map((s) => {
    let busy = false
    return setInterval(async () => {
      if (busy) return
      busy = true
      try {
        await s.run(deps, new Date())
      } catch (error) {
        deps.log.error({ err: error, sweeper: s.name }, 'sweeper failed')
      } finally {
        busy = false
      }
    }, s.everyMs)
  })
  return () => {
    for (const t of timers) clearInterval(t)
  }
}
