import type { Sweeper } from '../../jobs/sweepers'
import type { AppDeps } from '../../platform/deps'
import { User } from '../auth/user.model'
import { WechatSendError } from '../auth/wechat.client'
import { Outbox } from './notification.model'

const MAX_ATTEMPTS = 5
const BASE_BACKOFF_MS = 30_000
const LOCK_MS = 2 * 60_000
const BATCH = 100

/** 30 s, 60 s, 120 s, 240 s … between attempts. */
export const backoffMs = (attempts: number) => BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1)

/**
 * Sends queued WeChat subscribe messages. Each message is claimed pending → sending by a guarded
 * findOneAndUpdate, so two sweepers (two BFF instances) never send the same one; definite failures
 * (WeChat busy, unreachable) are retried with exponential backoff, refusals are not. A message left
 * in `sending` by a crash has an unknown outcome and is marked failed rather than sent again: the
 * in-app inbox already has it, and a duplicate WeChat message is the worse failure.
 */
export async function sendOutbox(
  deps: AppDeps,
  now: Date,
): Promise<{ sent: number; failed: number; retried: number }> {
  const stats = { sent: 0, failed: 0, retried: 0 }
  await Outbox.updateMany(
    { state: 'sending', lockedUntil: { $lt: now } },
    { $set: { state: 'failed', lastError: 'outcome unknown (sender stopped mid-send)' } },
  )
  const due = await Outbox.find({ state: 'pending', nextAttemptAt: { $lte: now } })
    .sort({ nextAttemptAt: 1 })
    .limit(BATCH)
    .lean()
  for (const candidate of due) {
    const msg = await Outbox.findOneAndUpdate(
      { _id: candidate._id, state: 'pending', nextAttemptAt: { $lte: now } },
      { $set: { state: 'sending', lockedUntil: new Date(now.getTime() + LOCK_MS) }, $inc: { attempts: 1 } },
      { new: true },
    ).lean()
    if (!msg) continue // another sweeper has it
    const user = await User.findById(msg.userId).lean()
    try {
      if (!user) throw new WechatSendError(40003, false, 'user not found')
      await deps.wechat.sendSubscribeMessage({
        touser: user.openid,
        template_id: msg.template,
        page: msg.page ?? undefined,
        data: Object.fromEntries(
          Object.entries((msg.data ?? {}) as Record<string, string>).map(([k, v]) => [
            k,
            { value: String(v) },
          ]),
        ),
      })
      await Outbox.updateOne(
        { _id: msg._id, state: 'sending' },
        { $set: { state: 'sent', lockedUntil: null, lastError: null } },
      )
      stats.sent++
    } catch (error) {
      const retryable = error instanceof WechatSendError ? error.retryable : true
      const lastError = error instanceof Error ? error.message : String(error)
      if (retryable && msg.attempts < MAX_ATTEMPTS) {
        await Outbox.updateOne(
          { _id: msg._id, state: 'sending' },
          {
            $set: {
              state: 'pending',
              lockedUntil: null,
              lastError,
              nextAttemptAt: new Date(now.getTime() + backoffMs(msg.attempts)),
            },
          },
        )
        stats.retried++
      } else {
        await Outbox.updateOne(
          { _id: msg._id, state: 'sending' },
          { $set: { state: 'failed', lockedUntil: null, lastError } },
        )
        stats.failed++
        deps.log.warn({ outboxId: msg._id, err: lastError }, 'subscribe message not sent')
      }
    }
  }
  return stats
}

export const outboxSweeper: Sweeper = { name: 'notify-outbox', everyMs: 10_000, run: sendOutbox }
