import { z } from 'zod'
import { loanStatuses } from './activity-rules'
import { Id, IdParams, Instant, PageQuery, page, text } from './common'
import { op } from './http'

// ---- shared items (共享物品) -----------------------------------------------------------------------

export const CreateItemBody = z.strictObject({
  communityId: Id,
  /** The 生活驿站 that keeps it. */
  station: text(40),
  name: text(40),
  description: text(500, 0).default(''),
  photos: z.array(z.string().max(500)).max(9).default([]),
  stock: z.number().int().min(1).max(1000),
  loanDays: z.number().int().min(1).max(60).default(7),
})
export type CreateItemBody = z.infer<typeof CreateItemBody>

export const Item = z.object({
  id: Id,
  communityId: Id,
  station: z.string(),
  name: z.string(),
  description: z.string(),
  photos: z.array(z.string()),
  stock: z.number().int(),
  available: z.number().int(),
  loanDays: z.number().int(),
  enabled: z.boolean(),
  createdAt: Instant,
})
export type Item = z.infer<typeof Item>

export const ListItemsQuery = z.strictObject({ communityId: Id.optional() })

export const LoanStatus = z.enum(loanStatuses)
export type LoanStatus = z.infer<typeof LoanStatus>

export const Loan = z.object({
  id: Id,
  itemId: Id,
  itemName: z.string(),
  station: z.string(),
  communityId: Id,
  userId: Id,
  /** Full to the borrower and to the desk acting on it; masked in staff lists. */
  borrowerName: z.string(),
  status: LoanStatus,
  /** Shown by the borrower at the desk (QR or read aloud); only to the borrower. */
  code: z.string().nullable(),
  pickUpBy: Instant,
  pickedUpAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  returnedAt: Instant.nullable(),
  /** Past its due date while out, or returned late. */
  overdue: z.boolean(),
  createdAt: Instant,
})
export type Loan = z.infer<typeof Loan>

export const LoanCodeBody = z.strictObject({ code: text(32) })
export const MyLoansQuery = PageQuery.extend({ status: LoanStatus.optional() })
export const ListLoansQuery = PageQuery.extend({
  communityId: Id.optional(),
  itemId: Id.optional(),
  status: LoanStatus.optional(),
})

const staff = ['staff', 'streetStaff', 'admin'] as const

export const lendingOps = {
  listItems: op({
    method: 'get',
    path: '/api/v1/items',
    summary: '共享物品（默认本社区；含可借数量）',
    tag: 'lending',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    query: ListItemsQuery,
    response: z.object({ items: z.array(Item) }),
  }),
  createItem: op({
    method: 'post',
    path: '/api/v1/items',
    summary: '登记共享物品（生活驿站、库存、借期）',
    tag: 'lending',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateItemBody,
    response: Item,
    status: 201,
    idempotent: true,
  }),
  borrowItem: op({
    method: 'post',
    path: '/api/v1/items/:id/borrow',
    summary: '预约借用（到驿站出示借用码取用，免押金）',
    tag: 'lending',
    access: 'user',
    scope: { kind: 'record', record: 'item', reach: 'member' },
    params: IdParams,
    response: Loan,
    status: 201,
    idempotent: true,
  }),
  cancelLoan: op({
    method: 'post',
    path: '/api/v1/loans/:id/cancel',
    summary: '取消未取用的借用',
    tag: 'lending',
    access: 'user',
    scope: { kind: 'own' },
    params: IdParams,
    response: Loan,
  }),
  listMyLoans: op({
    method: 'get',
    path: '/api/v1/me/loans',
    summary: '我的借用（最新的在前）',
    tag: 'lending',
    access: 'user',
    scope: { kind: 'own' },
    query: MyLoansQuery,
    response: page(Loan),
  }),
  listLoans: op({
    method: 'get',
    path: '/api/v1/loans',
    summary: '借用台账（按物品或状态筛选，姓名脱敏）',
    tag: 'lending',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    query: ListLoansQuery,
    response: page(Loan),
  }),
  pickUpLoan: op({
    method: 'post',
    path: '/api/v1/loans/pick-up',
    summary: '驿站取用登记（扫描或输入居民的借用码）',
    tag: 'lending',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: LoanCodeBody,
    response: Loan,
  }),
  returnLoan: op({
    method: 'post',
    path: '/api/v1/loans/return',
    summary: '驿站归还登记（逾期归还记入借用记录）',
    tag: 'lending',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: LoanCodeBody,
    response: Loan,
  }),
} as const
