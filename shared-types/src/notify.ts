import { z } from 'zod'
import { Id, Instant, PageQuery, page, QueryBool } from './common'
import { op } from './http'

export const Notification = z.object({
  id: Id,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** A mini-program page to open, or null. */
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: Instant,
})
export type Notification = z.infer<typeof Notification>

export const NotificationQuery = PageQuery.extend({
  unreadOnly: QueryBool.optional(),
})

export const NotificationPage = page(Notification).extend({ unread: z.number().int() })

export const MarkReadBody = z.strictObject({
  /** Ids to mark read; omit to mark everything read. */
  ids: z.array(Id).max(100).optional(),
})

export const notifyOps = {
  listNotifications: op({
    method: 'get',
    path: '/api/v1/me/notifications',
    summary: '我的消息（最新的在前，附未读数）',
    tag: 'notify',
    access: 'user',
    scope: { kind: 'own' },
    query: NotificationQuery,
    response: NotificationPage,
  }),
  markNotificationsRead: op({
    method: 'post',
    path: '/api/v1/me/notifications/read',
    summary: '标记消息已读（不传 ids 则全部已读）',
    tag: 'notify',
    access: 'user',
    scope: { kind: 'own' },
    body: MarkReadBody,
    response: z.object({ updated: z.number().int() }),
  }),
} as const
