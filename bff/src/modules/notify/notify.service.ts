import { hasDuplicateKey, isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import { Notification, Outbox } from './notification.model'

export interface NotifyInput {
  userId: string
  communityId?: string | null
  /** A stable kind, e.g. `booking.approved`; also picks the subscribe-message template. */
  kind: string
  title: string
  body?: string
  link?: string | null
  /** Unique per event and recipient, e.g. `booking.approved:<bookingId>`; repeats are ignored. */
  dedupeKey: string
  /** WeChat subscribe-message fields; omit to notify only in the inbox. */
  subscribe?: { template: string; data: Record<string, string> }
}

/** Writes the inbox entry and, if asked, queues the subscribe message. Safe to call twice. */
export async function notify(input: NotifyInput): Promise<boolean> {
  try {
    await Notification.create({
      userId: input.userId,
      communityId: input.communityId ?? null,
      kind: input.kind,
      title: input.title,
      body: input.body ?? '',
      link: input.link ?? null,
      dedupeKey: input.dedupeKey,
    })
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
  if (input.subscribe) {
    try {
      await Outbox.create({
        _id: input.dedupeKey,
        userId: input.userId,
        template: input.subscribe.template,
        data: input.subscribe.data,
        page: input.link ?? null,
      })
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
  return true
}

/**
 * `notify` for several recipients in two writes (inbox entries, then subscribe messages) instead of
 * two per recipient. Repeats are skipped one by one; returns how many were new.
 */
export async function notifyMany(inputs: NotifyInput[]): Promise<number> {
  if (!inputs.length) return 0
  const refused = await insertSkippingDuplicates(
    Notification,
    inputs.map((input) => ({
      userId: input.userId,
      communityId: input.communityId ?? null,
      kind: input.kind,
      title: input.title,
      body: input.body ?? '',
      link: input.link ?? null,
      dedupeKey: input.dedupeKey,
    })),
  )
  const fresh = inputs.filter((_, i) => !refused.has(i))
  const messages = fresh.flatMap((input) =>
    input.subscribe
      ? [
          {
            _id: input.dedupeKey,
            userId: input.userId,
            template: input.subscribe.template,
            data: input.subscribe.data,
            page: input.link ?? null,
          },
        ]
      : [],
  )
  if (messages.length) await insertSkippingDuplicates(Outbox, messages)
  return fresh.length
}

/** Inserts all it can (unordered); returns the indexes refused as duplicates, throws on anything else. */
async function insertSkippingDuplicates(
  model: { insertMany(docs: object[], opts: { ordered: boolean }): Promise<unknown> },
  docs: object[],
): Promise<Set<number>> {
  try {
    await model.insertMany(docs, { ordered: false })
    return new Set()
  } catch (error) {
    if (!hasDuplicateKey(error) && !isDuplicateKey(error)) throw error
    const found = (error as { writeErrors?: unknown }).writeErrors
    const list = (Array.isArray(found) ? found : found ? [found] : []) as { index: number }[]
    // A lone duplicate may come back as a plain duplicate-key error, without its index.
    if (!list.length) return new Set(docs.length === 1 ? [0] : [])
    return new Set(list.map((e) => e.index))
  }
}

/** The user's inbox, newest first, with the unread count. */
export async function listNotifications(
  userId: string,
  query: { limit: number; cursor?: string | undefined; unreadOnly?: boolean | undefined },
) {
  const filter = { userId, ...(query.unreadOnly ? { readAt: null } : {}) }
  const [page, unread] = await Promise.all([
    paginate(Notification, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' }),
    Notification.countDocuments({ userId, readAt: null }),
  ])
  return {
    unread,
    nextCursor: page.nextCursor,
    items: page.items.map((n) => ({
      id: String(n._id),
      kind: n.kind,
      title: n.title,
      body: n.body ?? '',
      link: n.link ?? null,
      read: Boolean(n.readAt),
      createdAt: n.createdAt.toISOString(),
    })),
  }
}

/** Marks the given messages (or all) of the user read; other users' ids are ignored. */
export async function markRead(userId: string, ids: string[] | undefined): Promise<{ updated: number }> {
  const result = await Notification.updateMany(
    { userId, readAt: null, ...(ids ? { _id: { $in: ids } } : {}) },
    { $set: { readAt: new Date() } },
  )
  return { updated: result.modifiedCount }
}
