import type { Sweeper } from '../../jobs/sweepers'
import { type NoticeDoc, NoticeModel } from './notice.model'
import { fanOut } from './notices.service'

/** Finishes the inbox fan-out of a notice whose publishing request died half-way (safe to repeat). */
export const noticesSweeper: Sweeper = {
  name: 'notices-fan-out',
  everyMs: 60_000,
  async run(_deps, now) {
    const stuck = (await NoticeModel.find({
      fannedOutAt: null,
      createdAt: { $lt: new Date(now.getTime() - 60_000) },
    })
      .limit(20)
      .lean()) as NoticeDoc[]
    for (const n of stuck) await fanOut(n)
    return { finished: stuck.length }
  },
}
