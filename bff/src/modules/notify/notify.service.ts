import { isDuplicateKey } from '../../platform/http/problem'
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
