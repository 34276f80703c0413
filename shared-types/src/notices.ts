import { z } from 'zod'
import { Id, IdParams, Instant, PageQuery, page, text } from './common'
import { op } from './http'

export const NoticeAudienceLevel = z.enum(['community', 'grid', 'courtyard', 'building'])
export type NoticeAudienceLevel = z.infer<typeof NoticeAudienceLevel>

export const PublishNoticeInput = z
  .strictObject({
    /** The org unit whose verified residents receive it: a community, grid, courtyard or building. */
    audienceId: Id,
    title: text(40),
    body: text(2000),
    /** Residents are asked to tap 收到; the publisher sees who has not. */
    requireConfirm: z.boolean().default(false),
    confirmBy: Instant.optional(),
  })
  .refine((v) => !v.confirmBy || v.requireConfirm, {
    message: '需要确认收到时才能设置截止时间',
    path: ['confirmBy'],
  })
export type PublishNoticeInput = z.infer<typeof PublishNoticeInput>

export const NoticeCounts = z.object({
  /** Verified residents in the audience now. */
  audience: z.number().int(),
  read: z.number().int(),
  confirmed: z.number().int(),
})

export const Notice = z.object({
  id: Id,
  communityId: Id,
  audienceLevel: NoticeAudienceLevel,
  audienceName: z.string(),
  title: z.string(),
  body: z.string(),
  requireConfirm: z.boolean(),
  confirmBy: Instant.nullable(),
  publisherName: z.string(),
  publishedAt: Instant,
  /** The caller's own receipt (residents in the audience). */
  readAt: Instant.nullable(),
  confirmedAt: Instant.nullable(),
  /** Read and confirm counts, for the publishing side only. */
  counts: NoticeCounts.nullable(),
})
export type Notice = z.infer<typeof Notice>

export const NoticeListQuery = PageQuery.extend({
  /** inbox: notices addressed to me; published: notices of the communities or grids I publish for. */
  box: z.enum(['inbox', 'published']).default('inbox'),
})

export const NoticeReceipts = z.object({
  noticeId: Id,
  counts: NoticeCounts,
  /** Residents of the audience who have not confirmed (or not read, when no confirmation is asked). */
  pending: z.array(z.object({ userId: Id, name: z.string(), household: z.string(), read: z.boolean() })),
  /** More pending residents than listed. */
  truncated: z.boolean(),
})
export type NoticeReceipts = z.infer<typeof NoticeReceipts>

const publishers = ['gridWorker', 'staff', 'streetStaff', 'admin'] as const

export const noticeOps = {
  publishNotice: op({
    method: 'post',
    path: '/api/v1/notices',
    summary: '发布通知公告（社区、网格、院落或楼栋），可要求确认收到并设截止时间',
    tag: 'notices',
    access: publishers,
    scope: { kind: 'own' },
    body: PublishNoticeInput,
    response: Notice,
    status: 201,
    idempotent: true,
  }),
  listNotices: op({
    method: 'get',
    path: '/api/v1/notices',
    summary: '通知公告：发给我的（最新的在前），或我所发布范围内的（含已读、已确认人数）',
    tag: 'notices',
    access: 'user',
    scope: { kind: 'own' },
    query: NoticeListQuery,
    response: page(Notice),
  }),
  getNotice: op({
    method: 'get',
    path: '/api/v1/notices/:id',
    summary: '通知详情；范围内居民打开即记为已读，范围外 404',
    tag: 'notices',
    access: 'user',
    scope: { kind: 'record', record: 'notice', reach: 'member' },
    params: IdParams,
    response: Notice,
  }),
  confirmNotice: op({
    method: 'post',
    path: '/api/v1/notices/:id/confirm',
    summary: '确认收到（每人一次，重复确认不重复计数）',
    tag: 'notices',
    access: 'user',
    scope: { kind: 'record', record: 'notice', reach: 'member' },
    params: IdParams,
    response: Notice,
  }),
  getNoticeReceipts: op({
    method: 'get',
    path: '/api/v1/notices/:id/receipts',
    summary: '已读、已确认人数及未确认的住户（供网格员上门告知，姓名脱敏）',
    tag: 'notices',
    access: publishers,
    scope: { kind: 'record', record: 'notice', reach: 'handler' },
    params: IdParams,
    response: NoticeReceipts,
  }),
} as const
