import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { z } from 'zod'
import { shiftDate, zoneDate, zoneMidnight } from './booking-rules'
import { Empty, Id, IdParams, Instant, LocalDate, PageQuery, page, text } from './common'
import { op } from './http'

dayjs.extend(utc)
dayjs.extend(timezone)

// ---- pure rules ------------------------------------------------------------------------------------

/** The two accounts of 双积分; their display names are configured per community. */
export const PointAccount = z.enum(['volunteer', 'community'])
export type PointAccount = z.infer<typeof PointAccount>
export const defaultAccountNames: Record<PointAccount, string> = {
  volunteer: '志愿积分',
  community: '社区积分',
}

/** Domain events that earn points. */
export const pointEventTypes = [
  'vote.cast',
  'day.attended',
  'topic.accepted',
  'need.rated',
  'volunteer.approved',
  'volunteer.served',
] as const
export const PointEventType = z.enum(pointEventTypes)
export type PointEventType = z.infer<typeof PointEventType>
export const pointEventLabels: Record<PointEventType, string> = {
  'vote.cast': '参与议事投票',
  'day.attended': '参加爱邻议事日',
  'topic.accepted': '议题被采纳',
  'need.rated': '评价诉求办理',
  'volunteer.approved': '志愿服务时长',
  'volunteer.served': '参加志愿服务（签到签退）',
}

/**
 * Voucher codes use 31 characters with the look-alikes 0/O, 1/I/L removed. 12 characters carry
 * 12 × log2(31) ≈ 59.4 bits, above the 50 bits needed to make guessing hopeless.
 */
export const voucherAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const voucherCodeLength = 12
export const voucherCodeBits = voucherCodeLength * Math.log2(voucherAlphabet.length)

/** Builds a code from a uniform random integer source (crypto.randomInt on the BFF). */
export function generateVoucherCode(randomInt: (max: number) => number): string {
  let code = ''
  for (let i = 0; i < voucherCodeLength; i++) code += voucherAlphabet[randomInt(voucherAlphabet.length)]
  return code
}

/** What a cashier types: any case, spaces and dashes allowed; O→0 is not in the alphabet so stays invalid. */
export function normalizeVoucherCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '')
}

export function isVoucherCode(code: string): boolean {
  return code.length === voucherCodeLength && [...code].every((c) => voucherAlphabet.includes(c))
}

/** ABCD-EFGH-JKMN for reading aloud. */
export function formatVoucherCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code
}

/** The QR payload encodes the code only, with a scheme so a scan of something else is refused. */
export const voucherQrPayload = (code: string) => `linli:v1:${code}`
export function codeFromScan(scanned: string): string {
  const raw = scanned.startsWith('linli:v1:') ? scanned.slice('linli:v1:'.length) : scanned
  return normalizeVoucherCode(raw)
}

export const defaultTimezone = 'Asia/Shanghai'

/**
 * When points earned at `earnedAt` expire: the end (23:59:59.999 local) of the calendar year
 * `years` after the year earned, in the community's time zone. Default 1 = end of next year.
 */
export function pointsExpiryDate(earnedAt: Date, tz = defaultTimezone, years = 1): Date {
  const year = Number(zoneDate(earnedAt, tz).slice(0, 4))
  return endOfLocalDay(`${year + years}-12-31`, tz)
}

/** 23:59:59.999 local on `date`: the instant before the next local midnight. */
const endOfLocalDay = (date: string, tz: string) =>
  new Date(zoneMidnight(shiftDate(date, 1), tz).getTime() - 1)

/** Local day and month keys of an instant, for daily/monthly caps. */
export function capPeriods(at: Date, tz = defaultTimezone): { day: string; month: string } {
  const day = zoneDate(at, tz)
  return { day, month: day.slice(0, 7) }
}

/** A local date range [from, to] (inclusive days) as UTC instants [start, end). */
export function localDayRange(from: string, to: string, tz = defaultTimezone): { start: Date; end: Date } {
  return {
    start: dayjs.tz(from, tz).startOf('day').toDate(),
    end: dayjs.tz(to, tz).add(1, 'day').startOf('day').toDate(),
  }
}

/** When a voucher issued at `issuedAt` expires: `days` later, at local end of day, never past the reward. */
export function voucherExpiry(
  issuedAt: Date,
  days: number,
  rewardValidUntil: Date,
  tz = defaultTimezone,
): Date {
  const end = endOfLocalDay(shiftDate(zoneDate(issuedAt, tz), days), tz)
  return end < rewardValidUntil ? end : rewardValidUntil
}

/**
 * Oldest-first expiry: spending consumes the earliest-expiring credits first, so what must expire
 * now is what has expired minus everything already taken out (spent or expired), never more than
 * the balance.
 */
export function pointsDueToExpire(expiredCredits: number, totalDebits: number, balance: number): number {
  return Math.max(0, Math.min(expiredCredits - totalDebits, balance))
}

/** Whether an award of `points` fits under a cap given what was already awarded in the period. */
export function fitsCap(awarded: number, points: number, cap: number | null): boolean {
  return cap === null || awarded + points <= cap
}

/**
 * Points for a rule: volunteer hours are paid per hour (rounded down), everything else flat. Hours
 * served at an activity's session are paid at the activity's own rate when it names one.
 */
export function rulePoints(type: PointEventType, points: number, data: Record<string, unknown> = {}): number {
  if (type === 'volunteer.approved') return Math.floor(points * (Number(data.hours) || 0))
  if (type === 'volunteer.served') {
    const rate = typeof data.pointsPerHour === 'number' ? data.pointsPerHour : points
    return Math.floor((rate * (Number(data.minutes) || 0)) / 60)
  }
  return points
}

/** Redemption saga states. started → charged → stocked → completed; any non-final → undoing → undone. */
export const RedemptionState = z.enum(['started', 'charged', 'stocked', 'completed', 'undoing', 'undone'])
export type RedemptionState = z.infer<typeof RedemptionState>
export const redemptionFinal: readonly RedemptionState[] = ['completed', 'undone']
const redemptionNext: Record<RedemptionState, readonly RedemptionState[]> = {
  started: ['charged', 'undoing'],
  charged: ['stocked', 'undoing'],
  stocked: ['completed', 'undoing'],
  undoing: ['undone'],
  completed: [],
  undone: [],
}
export const canRedemptionMove = (from: RedemptionState, to: RedemptionState) =>
  redemptionNext[from].includes(to)

export const VoucherStatus = z.enum(['issued', 'redeemed', 'cancelled', 'expired'])
export type VoucherStatus = z.infer<typeof VoucherStatus>
export const voucherStatusLabels: Record<VoucherStatus, string> = {
  issued: '待使用',
  redeemed: '已核销',
  cancelled: '已取消',
  expired: '已过期',
}

/** Why a voucher cannot be redeemed now, or null if it can. */
export function voucherRedeemBlock(
  status: VoucherStatus,
  expiresAt: Date,
  now: Date,
): 'VOUCHER_ALREADY_REDEEMED' | 'VOUCHER_CANCELLED' | 'VOUCHER_EXPIRED' | null {
  if (status === 'redeemed') return 'VOUCHER_ALREADY_REDEEMED'
  if (status === 'cancelled') return 'VOUCHER_CANCELLED'
  if (status === 'expired' || expiresAt.getTime() <= now.getTime()) return 'VOUCHER_EXPIRED'
  return null
}

// ---- schemas ---------------------------------------------------------------------------------------

const Points = z.number().int()

export const AccountBalance = z.object({ account: PointAccount, name: z.string(), balance: Points })
export const MyPoints = z.object({
  communityId: Id.nullable(),
  accounts: z.array(AccountBalance),
})
export type MyPoints = z.infer<typeof MyPoints>

export const PointEntry = z.object({
  id: Id,
  account: PointAccount,
  delta: Points,
  reason: z.string(),
  reference: z.object({ type: z.string(), id: z.string().nullable() }),
  balanceAfter: Points,
  expiresAt: Instant.nullable(),
  createdAt: Instant,
})
export type PointEntry = z.infer<typeof PointEntry>
/** The ledger pages on its balance order `<15 digits>:<12 digits>` and id: `<order>_<id>`. */
export const PointEntryQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(/^\d{15}:\d{12}_[0-9a-f]{24}$/, 'cursor 无效')
    .optional(),
  account: PointAccount.optional(),
})

export const PointRule = z.strictObject({
  eventType: PointEventType,
  account: PointAccount,
  /** Flat points, or points per hour for volunteer hours. */
  points: z.number().int().min(0).max(1000),
  dailyCap: z.number().int().min(1).max(100_000).nullable(),
  monthlyCap: z.number().int().min(1).max(1_000_000).nullable(),
  enabled: z.boolean(),
})
export type PointRule = z.infer<typeof PointRule>

export const PointRules = z.object({
  communityId: Id,
  accountNames: z.object({ volunteer: z.string(), community: z.string() }),
  /** Points expire at the end of the calendar year this many years after they were earned. */
  expiryYears: z.number().int(),
  rules: z.array(PointRule),
})
export type PointRules = z.infer<typeof PointRules>
export const CommunityQuery = z.strictObject({ communityId: Id.optional() })
export const UpdatePointRulesBody = z.strictObject({
  accountNames: z.strictObject({ volunteer: text(10), community: text(10) }).optional(),
  expiryYears: z.number().int().min(1).max(10).optional(),
  rules: z.array(PointRule).max(pointEventTypes.length).optional(),
})

export const AwardPointsBody = z.strictObject({
  userId: Id,
  account: PointAccount,
  points: z.number().int().min(1).max(10_000),
  reason: text(200),
})
export const AwardResult = z.object({ entry: PointEntry, userId: Id })

export const VolunteerHoursStatus = z.enum(['pending', 'approved', 'rejected'])
export const VolunteerHoursInput = z.strictObject({
  activity: text(100),
  date: LocalDate,
  hours: z.number().min(0.5).max(24).multipleOf(0.5, '以半小时为单位'),
})
export const VolunteerHours = z.object({
  id: Id,
  userId: Id,
  communityId: Id,
  activity: z.string(),
  date: z.string(),
  hours: z.number(),
  status: VolunteerHoursStatus,
  reviewReason: z.string().nullable(),
  points: z.number().int().nullable(),
  createdAt: Instant,
})
export const VolunteerHoursQuery = PageQuery.extend({
  status: VolunteerHoursStatus.optional(),
  communityId: Id.optional(),
})
export const ReviewVolunteerHoursBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: text(200).optional(),
})

export const MerchantDto = z.object({
  id: Id,
  communityId: Id,
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  description: z.string(),
  active: z.boolean(),
  staffCount: z.number().int(),
  createdAt: Instant,
})
export type MerchantDto = z.infer<typeof MerchantDto>
export const MerchantQuery = PageQuery.extend({ communityId: Id.optional() })
export const CreateMerchantBody = z.strictObject({
  communityId: Id,
  name: text(40),
  address: text(100).optional(),
  phone: z
    .string()
    .regex(/^[0-9-]{7,20}$/, '电话格式不正确')
    .optional(),
  description: text(300).optional(),
  /** Existing users who become this merchant's staff (`merchant` role scoped to it). */
  staffUserIds: z.array(Id).max(20).optional(),
})

/** A verified resident of the merchant's community, found with the people picker, becomes its clerk. */
export const AddMerchantStaffBody = z.strictObject({ userId: Id })

export const RewardDto = z.object({
  id: Id,
  communityId: Id,
  merchantId: Id,
  merchantName: z.string(),
  title: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  cost: Points,
  account: PointAccount,
  stock: Points,
  perResidentLimit: Points,
  validFrom: Instant,
  validUntil: Instant,
  voucherDays: Points,
  active: z.boolean(),
  createdAt: Instant,
})
export type RewardDto = z.infer<typeof RewardDto>
export const RewardQuery = PageQuery.extend({
  communityId: Id.optional(),
  merchantId: Id.optional(),
  /** Residents see only rewards open now; staff and merchants may ask for all. */
  all: z.enum(['true', 'false']).optional(),
})
const ImageUrl = z
  .string()
  .max(500)
  .regex(/^(https:\/\/|\/)/, '图片地址须为 https 或站内路径')
export const CreateRewardBody = z
  .strictObject({
    merchantId: Id,
    title: text(40),
    description: text(500).optional(),
    imageUrl: ImageUrl.optional(),
    cost: z.number().int().min(1).max(1_000_000),
    account: PointAccount,
    stock: z.number().int().min(0).max(100_000),
    perResidentLimit: z.number().int().min(1).max(100),
    validFrom: Instant,
    validUntil: Instant,
    voucherDays: z.number().int().min(1).max(365),
  })
  .refine((r) => r.validFrom < r.validUntil, { message: '结束时间须晚于开始时间', path: ['validUntil'] })
export const UpdateRewardBody = z.strictObject({
  title: text(40).optional(),
  description: text(500).optional(),
  imageUrl: ImageUrl.nullable().optional(),
  cost: z.number().int().min(1).max(1_000_000).optional(),
  /** Stock is changed by adding or removing units, never set, so concurrent redemptions are not lost. */
  addStock: z.number().int().min(-100_000).max(100_000).optional(),
  perResidentLimit: z.number().int().min(1).max(100).optional(),
  validFrom: Instant.optional(),
  validUntil: Instant.optional(),
  voucherDays: z.number().int().min(1).max(365).optional(),
  active: z.boolean().optional(),
})

export const VoucherDto = z.object({
  id: Id,
  code: z.string(),
  qrPayload: z.string(),
  rewardId: Id,
  merchantId: Id,
  merchantName: z.string(),
  title: z.string(),
  cost: Points,
  account: PointAccount,
  status: VoucherStatus,
  issuedAt: Instant,
  expiresAt: Instant,
  redeemedAt: Instant.nullable(),
  cancelledAt: Instant.nullable(),
})
export type VoucherDto = z.infer<typeof VoucherDto>
export const VoucherQuery = PageQuery.extend({ status: VoucherStatus.optional() })

/** What a merchant sees of a voucher: no holder details beyond a masked name. */
export const VoucherPreview = z.object({
  id: Id,
  code: z.string(),
  title: z.string(),
  rewardId: Id,
  merchantId: Id,
  holder: z.string(),
  status: VoucherStatus,
  issuedAt: Instant,
  expiresAt: Instant,
  redeemedAt: Instant.nullable(),
})
export type VoucherPreview = z.infer<typeof VoucherPreview>
export const VoucherCodeBody = z.strictObject({ code: z.string().trim().min(1).max(64) })

export const RedemptionsQuery = PageQuery.extend({
  merchantId: Id.optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
})
export const ReportQuery = z.strictObject({
  merchantId: Id.optional(),
  communityId: Id.optional(),
  from: LocalDate,
  to: LocalDate,
})
export const ReportRow = z.object({
  merchantId: Id,
  merchantName: z.string(),
  issued: Points,
  redeemed: Points,
  cancelled: Points,
  expired: Points,
  pointsSpent: Points,
})
export const RedemptionReport = z.object({
  from: LocalDate,
  to: LocalDate,
  rows: z.array(ReportRow),
  totals: ReportRow.omit({ merchantId: true, merchantName: true }),
})

export const Reconciliation = z.object({
  checkedAt: Instant,
  accounts: Points,
  ledgerEntries: Points,
  clean: z.boolean(),
  differences: z.array(
    z.object({ userId: Id, account: PointAccount, balance: Points, ledgerSum: Points, pending: Points }),
  ),
  rewards: Points,
  stockDifferences: z.array(z.object({ rewardId: Id, stock: Points, expected: Points })),
})
export type Reconciliation = z.infer<typeof Reconciliation>

// ---- operations ------------------------------------------------------------------------------------

const staff = ['staff', 'streetStaff', 'admin'] as const
const staffOrMerchant = ['staff', 'streetStaff', 'admin', 'merchant'] as const

export const pointsOps = {
  getMyPoints: op({
    method: 'get',
    path: '/api/v1/me/points',
    summary: '我的双积分余额（志愿积分、社区积分）',
    tag: 'points',
    access: 'user',
    scope: { kind: 'own' },
    response: MyPoints,
  }),
  listMyPointEntries: op({
    method: 'get',
    path: '/api/v1/me/points/entries',
    summary: '我的积分明细（最新在前）',
    tag: 'points',
    access: 'user',
    scope: { kind: 'own' },
    query: PointEntryQuery,
    response: page(PointEntry),
  }),
  listPointRules: op({
    method: 'get',
    path: '/api/v1/point-rules',
    summary: '社区积分规则（账户名称、获取规则、上限、有效期）',
    tag: 'points',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    query: CommunityQuery,
    response: PointRules,
  }),
  updatePointRules: op({
    method: 'put',
    path: '/api/v1/communities/:id/point-rules',
    summary: '修改社区积分规则（留痕）',
    tag: 'points',
    access: staff,
    scope: { kind: 'community', reach: 'staff', idIn: 'path' },
    params: IdParams,
    body: UpdatePointRulesBody,
    response: PointRules,
  }),
  awardPoints: op({
    method: 'post',
    path: '/api/v1/points/awards',
    summary: '工作人员手工发放积分（须填写原因，留痕）',
    tag: 'points',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: AwardPointsBody,
    response: AwardResult,
    status: 201,
    idempotent: true,
  }),
  submitVolunteerHours: op({
    method: 'post',
    path: '/api/v1/me/volunteer-hours',
    summary: '申报志愿服务时长',
    tag: 'points',
    access: 'user',
    scope: { kind: 'own' },
    body: VolunteerHoursInput,
    response: VolunteerHours,
    status: 201,
    idempotent: true,
  }),
  listVolunteerHours: op({
    method: 'get',
    path: '/api/v1/volunteer-hours',
    summary: '志愿时长申报审核队列（本辖区，最早的在前）',
    tag: 'points',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    query: VolunteerHoursQuery,
    response: page(VolunteerHours),
  }),
  reviewVolunteerHours: op({
    method: 'post',
    path: '/api/v1/volunteer-hours/:id/review',
    summary: '审核志愿服务时长（通过后按规则发放志愿积分）',
    tag: 'points',
    access: staff,
    scope: { kind: 'record', record: 'volunteerHours', reach: 'staff' },
    params: IdParams,
    body: ReviewVolunteerHoursBody,
    response: VolunteerHours,
  }),
  listMerchants: op({
    method: 'get',
    path: '/api/v1/merchants',
    summary: '合作商户列表',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'catalogue' },
    query: MerchantQuery,
    response: page(MerchantDto),
  }),
  createMerchant: op({
    method: 'post',
    path: '/api/v1/merchants',
    summary: '登记合作商户并开通店员账号（留痕）',
    tag: 'rewards',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateMerchantBody,
    response: MerchantDto,
    status: 201,
    idempotent: true,
  }),
  addMerchantStaff: op({
    method: 'post',
    path: '/api/v1/merchants/:id/staff',
    summary: '为合作商户添加店员（本社区已认证居民；留痕）',
    tag: 'rewards',
    access: staff,
    scope: { kind: 'record', record: 'merchant', reach: 'staff' },
    params: IdParams,
    body: AddMerchantStaffBody,
    response: MerchantDto,
  }),
  listRewards: op({
    method: 'get',
    path: '/api/v1/rewards',
    summary: '礼遇资源库：可兑换的礼遇',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'catalogue' },
    query: RewardQuery,
    response: page(RewardDto),
  }),
  getReward: op({
    method: 'get',
    path: '/api/v1/rewards/:id',
    summary: '礼遇详情',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'catalogue' },
    params: IdParams,
    response: RewardDto,
  }),
  createReward: op({
    method: 'post',
    path: '/api/v1/rewards',
    summary: '新增礼遇（工作人员，或商户为本店新增）',
    tag: 'rewards',
    access: staffOrMerchant,
    scope: { kind: 'own' },
    body: CreateRewardBody,
    response: RewardDto,
    status: 201,
    idempotent: true,
  }),
  updateReward: op({
    method: 'patch',
    path: '/api/v1/rewards/:id',
    summary: '修改礼遇（库存按增减调整）',
    tag: 'rewards',
    access: staffOrMerchant,
    scope: { kind: 'record', record: 'reward', reach: 'staff', owner: true },
    params: IdParams,
    body: UpdateRewardBody,
    response: RewardDto,
  }),
  redeemReward: op({
    method: 'post',
    path: '/api/v1/rewards/:id/redeem',
    summary: '兑换礼遇：扣积分、占库存、发券（全部成功或全部撤回）',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'record', record: 'reward', reach: 'member' },
    params: IdParams,
    body: Empty,
    response: VoucherDto,
    status: 201,
    idempotent: true,
  }),
  listMyVouchers: op({
    method: 'get',
    path: '/api/v1/me/vouchers',
    summary: '我的券',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'own' },
    query: VoucherQuery,
    response: page(VoucherDto),
  }),
  getVoucher: op({
    method: 'get',
    path: '/api/v1/me/vouchers/:id',
    summary: '券详情（含核销码与二维码内容）',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'own' },
    params: IdParams,
    response: VoucherDto,
  }),
  cancelVoucher: op({
    method: 'post',
    path: '/api/v1/me/vouchers/:id/cancel',
    summary: '取消未使用的券，退回积分与库存',
    tag: 'rewards',
    access: 'user',
    scope: { kind: 'own' },
    params: IdParams,
    response: VoucherDto,
  }),
  lookupVoucher: op({
    method: 'post',
    path: '/api/v1/merchant/vouchers/lookup',
    summary: '商户扫码或输入券码查券（限频）',
    tag: 'merchant',
    access: ['merchant'],
    scope: { kind: 'own' },
    body: VoucherCodeBody,
    response: VoucherPreview,
  }),
  redeemVoucher: op({
    method: 'post',
    path: '/api/v1/merchant/vouchers/redeem',
    summary: '商户核销券（每张仅一次）',
    tag: 'merchant',
    access: ['merchant'],
    scope: { kind: 'own' },
    body: VoucherCodeBody,
    response: VoucherPreview,
  }),
  listMerchantRedemptions: op({
    method: 'get',
    path: '/api/v1/merchant/redemptions',
    summary: '核销记录（商户看本店，工作人员看辖区）',
    tag: 'merchant',
    access: staffOrMerchant,
    scope: { kind: 'own' },
    query: RedemptionsQuery,
    response: page(VoucherPreview),
  }),
  getRedemptionReport: op({
    method: 'get',
    path: '/api/v1/redemption-report',
    summary: '兑换与核销报表（按时段、按商户）',
    tag: 'merchant',
    access: staffOrMerchant,
    scope: { kind: 'own' },
    query: ReportQuery,
    response: RedemptionReport,
  }),
  getPointsReconciliation: op({
    method: 'get',
    path: '/api/v1/points/reconciliation',
    summary: '积分对账：余额与流水逐户核对，库存核对',
    tag: 'points',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    query: CommunityQuery,
    response: Reconciliation,
  }),
} as const
