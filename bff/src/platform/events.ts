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

/**
 * `first` is true on the event's first delivery: the emitter has just stored the record under its
 * unique key, so no earlier delivery of this key can have run a handler (a crash-retry, a re-emit
 * or the sweeper's runs are never `first`). A handler may skip its look-up of earlier effects then.
 */
type Handler = (event: DomainEvent, first: boolean) => Promise<void>
const handlers = new Map<string, Handler[]>()

/** Subscribes a handler to an event type (called once at module load). */
export function onEvent(type: string, handler: Handler): void {
  handlers.set(type, [...(handlers.get(type) ?? []), handler])
}

/** Stores the event (once per key) and dispatches it; a failed dispatch is retried by the sweeper. */
export async function emitEvent(event: DomainEvent, log?: Logger): Promise<void> {
  const now = new Date()
  let stored = false
  try {
    // Stored already claimed by this emitter, so it needs no separate claim before its handlers run.
    await EventRecord.create({
      ...event,
      _id: event.key,
      lockedUntil: new Date(now.getTime() + LOCK_MS),
      attempts: 1,
    })
    stored = true
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  const run = stored ? handle(event, true) : dispatch(event.key, now)
  await run.catch((err) => log?.warn({ err, key: event.key }, 'event dispatch deferred'))
}

const LOCK_MS = 30_000

/** Runs the handlers of an event this process holds the claim on, then marks it handled. */
async function handle(event: DomainEvent, first: boolean): Promise<boolean> {
  for (const handler of handlers.get(event.type) ?? []) await handler(event, first)
  await EventRecord.updateOne({ _id: event.key }, { $set: { handledAt: new Date(), lockedUntil: null } })
  return true
}

/** Claims an unhandled event for 30 s, runs its handlers, marks it handled. */
async function dispatch(key: string, now: Date): Promise<boolean> {
  const doc = await EventRecord.findOneAndUpdate(
    { _id: key, handledAt: null, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] },
    { $set: { lockedUntil: new Date(now.getTime() + LOCK_MS) }, $inc: { attempts: 1 } },
    { new: true },
  ).lean()
  if (!doc) return false
  return handle(
    {
      key: doc._id,
      type: doc.type,
      userId: String(doc.userId),
      communityId: String(doc.communityId),
      at: doc.at,
      data: (doc.data ?? {}) as Record<string, unknown>,
    },
    false,
  )
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
