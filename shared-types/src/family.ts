import { z } from 'zod'
import { Id, IdParams, Instant } from './common'
import { op } from './http'
import type { OperationId } from './operations'

export const FamilyBindingStatus = z.enum(['pending', 'active', 'revoked'])
export type FamilyBindingStatus = z.infer<typeof FamilyBindingStatus>

export const FamilyBinding = z.object({
  id: Id,
  /** The resident who is helped (a verified resident); null while the binding waits for them. */
  elder: z.object({ id: Id, name: z.string() }).nullable(),
  /** The family member who acts for them; null while the binding waits for them. */
  member: z.object({ id: Id, name: z.string() }).nullable(),
  /** Which side the caller is on. */
  myRole: z.enum(['elder', 'member']),
  status: FamilyBindingStatus,
  /** Shown only to the side that asked, while pending: the other side types it to confirm. */
  code: z.string().nullable(),
  codeExpiresAt: Instant.nullable(),
  activeSince: Instant.nullable(),
  revokedAt: Instant.nullable(),
})
export type FamilyBinding = z.infer<typeof FamilyBinding>

export const RequestFamilyBindingInput = z.strictObject({
  /** elder: I (a verified resident) let a family member act for me; member: I ask to act for my elder. */
  as: z.enum(['elder', 'member']),
})
export const ConfirmFamilyBindingInput = z.strictObject({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z2-9]{10}$/, '请输入10位绑定码'),
})

/**
 * What a bound family member may do for the elder, naming them per request in the
 * `X-On-Behalf-Of` header: book, report and follow needs, view points. Voting never (一人一票).
 */
export const familyDelegableOps = [
  'createNeed',
  'uploadNeedPhoto',
  'listMyNeeds',
  'getNeed',
  'withdrawNeed',
  'rateNeed',
  'reopenNeed',
  'listNeedCategories',
  'listSpaces',
  'getSpace',
  'getSpaceAvailability',
  'createBooking',
  'listMyBookings',
  'getBooking',
  'cancelBooking',
  'getMyPoints',
  'listMyPointEntries',
] as const satisfies readonly OperationId[]

export const familyOps = {
  requestFamilyBinding: op({
    method: 'post',
    path: '/api/v1/me/family',
    summary: '发起家人绑定，得到10位绑定码（24小时有效），由另一方输入确认',
    tag: 'family',
    access: 'user',
    scope: { kind: 'own' },
    body: RequestFamilyBindingInput,
    response: FamilyBinding,
    status: 201,
  }),
  confirmFamilyBinding: op({
    method: 'post',
    path: '/api/v1/me/family/confirm',
    summary: '输入对方的绑定码确认绑定（双方确认后生效）',
    tag: 'family',
    access: 'user',
    scope: { kind: 'own' },
    body: ConfirmFamilyBindingInput,
    response: FamilyBinding,
  }),
  revokeFamilyBinding: op({
    method: 'post',
    path: '/api/v1/me/family/:id/revoke',
    summary: '解除家人绑定（任一方均可）',
    tag: 'family',
    access: 'user',
    scope: { kind: 'own' },
    params: IdParams,
    response: FamilyBinding,
  }),
  listFamily: op({
    method: 'get',
    path: '/api/v1/me/family',
    summary: '我的家人绑定（我帮助的家人、帮助我的家人）',
    tag: 'family',
    access: 'user',
    scope: { kind: 'own' },
    response: z.object({ items: z.array(FamilyBinding) }),
  }),
} as const
