import mongoose, { Schema } from 'mongoose'
import type { Sweeper } from '../jobs/sweepers'
import { isDuplicateKey } from './http/problem'
import type { Logger } from './logger'

/**
 * Domain events (vote cast, day attended, topic accepted, need rated, …) that other modules react to,
 * e.g. points awards. Each event is stored first under its unique key, so emitting twice stores it
 * once; handlers run right away and again from the sweeper until they succeed. Handlers must be
 * idempotent on `event.key` (the points ledger uses it as its idempotency key).
 */
export interface DomainEvent {
  /** Unique per real-world occurrence, e.g. `vote.cast:<topicId>:<userId>`. */
  key: string
  type: string
  userId: string
  communityId: string
  at: Date
  data?: Record<string, unknown>
}

const eventSchema = new Schema({
  _id: { type: String, required: true },
  type: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  communityId: { type: Schema.Types.ObjectId, required: true },
  at: { type: Date, required: true },
  data: { type: Schema.Types.Mixed, default: {} },
  handledAt: { type: Date, default: null },
  attempts: { type: Number, default: 0 },
  lockedUntil: { type: Date, default: null },
})
/** The sweeper takes unhandled events oldest first. */
eventSchema.index({ handledAt: 1, at: 1 })
export const EventRecord = mongoose.model('DomainEvent', eventSchema, 'domain_events')

type Handler = (event: DomainEvent) => Promise<void>
const handlers = new Map<string, Handler[]>()

/** Subscribes a handler to an event type (called once at module load). */
export function onEvent(type: string, handler: Handler): void {
  handlers.set(type, [...(handlers.get(type) ?? []), handler])
}

/** Stores the event (once per key) and dispatches it; a failed dispatch is retried by the sweeper. */
export async function emitEvent(event: DomainEvent, log?: Logger): Promise<void> {
  try {
    await EventRecord.create({ ...event, _id: event.key })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  await dispatch(event.key, new Date()).catch((err) =>
    log?.warn({ err, key: event.key }, 'event dispatch deferred'),
  )
}

/** Claims an unhandled event for 30 s, runs its handlers, marks it handled. */
async function dispatch(key: string, now: Date): Promise<boolean> {
  const doc = await EventRecord.findOneAndUpdate(
    { _id: key, handledAt: null, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] },
    { $set: { lockedUntil: new Date(now.getTime() + 30_000) }, $inc: { attempts: 1 } },
    { new: true },
  ).lean()
  if (!doc) return false
  const event: DomainEvent = {
    key: doc._id,
    type: doc.type,
    userId: String(doc.userId),
    communityId: String(doc.communityId),
    at: doc.at,
    data: (doc.data ?? {}) as Record<string, unknown>,
  }
  for (const handler of handlers.get(event.type) ?? []) await handler(event)
  await EventRecord.updateOne({ _id: key }, { $set: { handledAt: new Date(), lockedUntil: null } })
  return true
}

export const eventSweeper: Sweeper = {
  name: 'domain-events',
  everyMs: 15_000,
  async run(deps, now) {
    const pending = await EventRecord.find(
      { handledAt: null, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] },
      { _id: 1 },
    )
      .sort({ at: 1 })
      .limit(200)
      .lean()
    let handled = 0
    for (const { _id } of pending) {
      try {
        if (await dispatch(_id, now)) handled++
      } catch (err) {
        deps.log.warn({ err, key: _id }, 'event handler failed; will retry')
      }
    }
    return handled
  },
}
