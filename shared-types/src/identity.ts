import { z } from 'zod'
import { AuditAction } from './audit'
import { Empty, Id, IdParams, Instant, PageQuery, Phone, page, text } from './common'
import { op } from './http'
import { ConsentField } from './privacy'
import { Role, ScopeType } from './roles'

// ---- auth ----------------------------------------------------------------------------------------

export const Membership = z.object({
  role: Role,
  scopeType: ScopeType,
  scopeId: Id.nullable(),
  scopeName: z.string(),
})
export type Membership = z.infer<typeof Membership>

export const ResidencyStatus = z.enum(['none', 'pending', 'verified', 'rejected'])
export type ResidencyStatus = z.infer<typeof ResidencyStatus>

export const Me = z.object({
  id: Id,
  nickname: z.string(),
  roles: z.array(Membership),
  residencyStatus: ResidencyStatus,
  communityId: Id.nullable(),
  /**
   * IANA zone of the session's community (the residency's, else the first one a role reaches;
   * Asia/Shanghai without any): the mini-program writes every date in it.
   */
  timezone: z.string(),
})
export type Me = z.infer<typeof Me>

export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  user: Me,
})
export type TokenPair = z.infer<typeof TokenPair>

export const WechatLoginBody = z.strictObject({ code: text(128) })

const devLoginFields = {
  /** A stable handle so the same dev person can sign in again (e.g. `resident-1`). */
  handle: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/, '只能包含小写字母、数字和-')
    .optional(),
  nickname: text(20).optional(),
}
/** Roles held in no scope: a resident gets one when verified, an admin holds all. */
export const unscopedRoles = ['resident', 'admin'] as const satisfies readonly Role[]
/**
 * Residents and admins sign in without a scope; every other role names the community, grid, street,
 * department or merchant it is held in (`scopeId` is required for them, so the spec says so).
 */
export const DevLoginBody = z.discriminatedUnion('role', [
  z.strictObject({ role: z.enum(unscopedRoles), scopeId: Id.optional(), ...devLoginFields }),
  z.strictObject({
    role: Role.exclude(unscopedRoles),
    /** The community, grid, street, department or merchant the role is held in. */
    scopeId: Id,
    ...devLoginFields,
  }),
])
export type DevLoginBody = z.infer<typeof DevLoginBody>

/** What the dev login offers to sign in as, by name: partner merchants and departments. */
export const DevScopes = z.object({
  merchants: z.array(z.object({ id: Id, name: z.string(), communityName: z.string() })),
  departments: z.array(z.object({ id: Id, name: z.string() })),
})
export type DevScopes = z.infer<typeof DevScopes>

export const RefreshBody = z.strictObject({ refreshToken: text(512) })

/** The code `<button open-type="getPhoneNumber">` hands the mini-program (valid once, 5 minutes). */
export const PhoneCodeBody = z.strictObject({ code: text(128) })
export const PhoneNumber = z.object({
  /** Without the country code, as WeChat's purePhoneNumber: prefills the residency claim. */
  phone: z.string(),
  countryCode: z.string(),
})
export type PhoneNumber = z.infer<typeof PhoneNumber>

// ---- health --------------------------------------------------------------------------------------

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  db: z.object({ ok: z.boolean(), engine: z.string(), version: z.string() }),
  /** Whether devLogin is offered (never in production), so the H5 app knows to show its picker. */
  devLogin: z.boolean(),
})

/** Liveness: the process answers. Readiness: it can serve, i.e. its database answers (else 503). */
export const Probe = z.object({ status: z.literal('ok') })

// ---- org -----------------------------------------------------------------------------------------

export const CommunitySummary = z.object({
  id: Id,
  name: z.string(),
  streetId: Id,
  streetName: z.string(),
  timezone: z.string(),
})
export type CommunitySummary = z.infer<typeof CommunitySummary>

const OrgNode = z.object({ id: Id, name: z.string() })
export const CommunityDetail = CommunitySummary.extend({
  deliberationDayOfMonth: z.number().int().min(1).max(28),
  grids: z.array(
    OrgNode.extend({
      courtyards: z.array(OrgNode.extend({ buildings: z.array(OrgNode) })),
    }),
  ),
})
export type CommunityDetail = z.infer<typeof CommunityDetail>

// ---- residency -----------------------------------------------------------------------------------

export const ResidencyClaimInput = z.strictObject({
  communityId: Id,
  courtyardId: Id,
  buildingId: Id,
  unit: text(10),
  room: text(10),
  realName: text(20),
  phone: Phone,
  /** The 个人信息处理规则 version agreed to; the consent is recorded with the claim. */
  consentVersion: ConsentField,
})
export type ResidencyClaimInput = z.infer<typeof ResidencyClaimInput>

export const ClaimStatus = z.enum(['pending', 'approved', 'rejected'])
export type ClaimStatus = z.infer<typeof ClaimStatus>

export const ResidencyClaim = z.object({
  id: Id,
  userId: Id,
  communityId: Id,
  communityName: z.string(),
  courtyardName: z.string(),
  buildingName: z.string(),
  unit: z.string(),
  room: z.string(),
  /** Full to the claimant and to the reviewing staff; masked in lists. */
  realName: z.string(),
  phone: z.string(),
  status: ClaimStatus,
  reviewReason: z.string().nullable(),
  reviewedAt: Instant.nullable(),
  createdAt: Instant,
})
export type ResidencyClaim = z.infer<typeof ResidencyClaim>

export const MyResidency = z.object({ status: ResidencyStatus, claim: ResidencyClaim.nullable() })

export const ClaimListQuery = PageQuery.extend({ status: ClaimStatus.optional() })

export const ReviewClaimBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: text(200).optional(),
})

// ---- audit ---------------------------------------------------------------------------------------

export const AuditEntry = z.object({
  id: Id,
  actorId: Id,
  actorName: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  communityId: Id.nullable(),
  /** 开启投票 */
  actionLabel: z.string(),
  /** The target as people name it: a topic's title, a need's number, a resident's masked name. */
  subjectName: z.string(),
  /** 开启投票 · 议题「楼道照明改造」: what the log shows. */
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: Instant,
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditQuery = PageQuery.extend({
  action: AuditAction.optional(),
  /** Entries by this person (as staff) or about them (as the resident concerned). */
  personId: Id.optional(),
})
export type AuditQuery = z.infer<typeof AuditQuery>

// ---- operations ----------------------------------------------------------------------------------

const staffRoles = ['staff', 'streetStaff', 'admin'] as const

export const identityOps = {
  getHealth: op({
    method: 'get',
    path: '/healthz',
    summary: '健康检查（数据库连通、引擎与版本；数据库不可用时为 degraded）',
    tag: 'system',
    access: 'public',
    scope: { kind: 'none' },
    response: Health,
  }),
  getLiveness: op({
    method: 'get',
    path: '/livez',
    summary: '存活探针：进程在响应即 200',
    tag: 'system',
    access: 'public',
    scope: { kind: 'none' },
    response: Probe,
  }),
  getReadiness: op({
    method: 'get',
    path: '/readyz',
    summary: '就绪探针：数据库可用时 200，否则 503',
    tag: 'system',
    access: 'public',
    scope: { kind: 'none' },
    response: Probe,
  }),
  loginWechat: op({
    method: 'post',
    path: '/api/v1/auth/wechat',
    summary: '微信登录：用 wx.login 的 code 换取令牌',
    tag: 'auth',
    access: 'public',
    scope: { kind: 'none' },
    body: WechatLoginBody,
    response: TokenPair,
  }),
  devLogin: op({
    method: 'post',
    path: '/api/v1/auth/dev',
    summary: '开发登录（按角色与范围，正式环境拒绝）',
    tag: 'auth',
    access: 'public',
    scope: { kind: 'none' },
    body: DevLoginBody,
    response: TokenPair,
  }),
  listDevScopes: op({
    method: 'get',
    path: '/api/v1/auth/dev/scopes',
    summary: '开发登录可选的商户与部门（按名称；正式环境拒绝）',
    tag: 'auth',
    access: 'public',
    scope: { kind: 'none' },
    response: DevScopes,
  }),
  refreshToken: op({
    method: 'post',
    path: '/api/v1/auth/refresh',
    summary: '用刷新令牌换取新的令牌对（旧刷新令牌作废）',
    tag: 'auth',
    access: 'public',
    scope: { kind: 'none' },
    body: RefreshBody,
    response: TokenPair,
  }),
  logout: op({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: '退出登录，作废该刷新令牌所属的整个令牌族',
    tag: 'auth',
    access: 'public',
    scope: { kind: 'none' },
    body: RefreshBody,
    status: 204,
  }),
  exchangePhoneCode: op({
    method: 'post',
    path: '/api/v1/me/phone-code',
    summary: '用微信手机号授权的 code 换取本人手机号（用于填写居民认证，不保存）',
    tag: 'auth',
    access: 'user',
    scope: { kind: 'own' },
    body: PhoneCodeBody,
    response: PhoneNumber,
  }),
  getMe: op({
    method: 'get',
    path: '/api/v1/me',
    summary: '当前用户、角色与认证状态',
    tag: 'auth',
    access: 'user',
    scope: { kind: 'own' },
    response: Me,
  }),
  listCommunities: op({
    method: 'get',
    path: '/api/v1/communities',
    summary: '社区列表',
    tag: 'org',
    access: 'public',
    scope: { kind: 'catalogue' },
    query: Empty,
    response: z.object({ items: z.array(CommunitySummary) }),
  }),
  getCommunity: op({
    method: 'get',
    path: '/api/v1/communities/:id',
    summary: '社区详情及网格、院落、楼栋',
    tag: 'org',
    access: 'public',
    scope: { kind: 'catalogue' },
    params: IdParams,
    response: CommunityDetail,
  }),
  submitResidencyClaim: op({
    method: 'post',
    path: '/api/v1/me/residency-claims',
    summary: '提交居民认证申请',
    tag: 'residency',
    access: 'user',
    scope: { kind: 'own' },
    body: ResidencyClaimInput,
    response: ResidencyClaim,
    status: 201,
    idempotent: true,
  }),
  getMyResidency: op({
    method: 'get',
    path: '/api/v1/me/residency',
    summary: '我的认证状态与最近一次申请',
    tag: 'residency',
    access: 'user',
    scope: { kind: 'own' },
    response: MyResidency,
  }),
  listResidencyClaims: op({
    method: 'get',
    path: '/api/v1/residency-claims',
    summary: '认证申请审核队列（本辖区，最早的在前，姓名电话脱敏）',
    tag: 'residency',
    access: staffRoles,
    scope: { kind: 'community', reach: 'staff' },
    query: ClaimListQuery,
    response: page(ResidencyClaim),
  }),
  getResidencyClaim: op({
    method: 'get',
    path: '/api/v1/residency-claims/:id',
    summary: '认证申请详情（审核人员可见完整信息，读取留痕）',
    tag: 'residency',
    access: staffRoles,
    scope: { kind: 'record', record: 'residencyClaim', reach: 'staff' },
    params: IdParams,
    response: ResidencyClaim,
  }),
  reviewResidencyClaim: op({
    method: 'post',
    path: '/api/v1/residency-claims/:id/review',
    summary: '审核认证申请（驳回须填写原因）',
    tag: 'residency',
    access: staffRoles,
    scope: { kind: 'record', record: 'residencyClaim', reach: 'staff' },
    params: IdParams,
    body: ReviewClaimBody,
    response: ResidencyClaim,
  }),
  listAuditLog: op({
    method: 'get',
    path: '/api/v1/audit-log',
    summary: '工作人员操作日志（本辖区；可按操作和人员筛选）',
    tag: 'audit',
    access: staffRoles,
    scope: { kind: 'community', reach: 'staff' },
    query: AuditQuery,
    response: page(AuditEntry),
  }),
} as const
