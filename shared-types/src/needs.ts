import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { z } from 'zod'
import { Id, IdParams, Instant, LocalDate, PageQuery, Phone, page, QueryBool, text } from './common'
import { op } from './http'

dayjs.extend(utc)
dayjs.extend(timezone)

// ---- enums ---------------------------------------------------------------------------------------

export const needStatuses = [
  'submitted',
  'accepted',
  'inProgress',
  'resolved',
  'closed',
  'reopened',
  'referred',
  'duplicate',
  'rejected',
  'withdrawn',
] as const
export const NeedStatus = z.enum(needStatuses)
export type NeedStatus = z.infer<typeof NeedStatus>

/** Statuses in which someone still has to act; the handling queue and the timers cover these. */
export const openNeedStatuses = ['submitted', 'accepted', 'inProgress', 'reopened', 'referred'] as const

/** Handling levels, innermost first: 小事不出院、中事不出组、大事不出社区、疑难问题再找街道. */
export const needLevels = ['courtyard', 'grid', 'community', 'street'] as const
export const NeedLevel = z.enum(needLevels)
export type NeedLevel = z.infer<typeof NeedLevel>
export const needLevelLabels: Record<NeedLevel, string> = {
  courtyard: '院落（微网格）',
  grid: '网格',
  community: '社区',
  street: '街道',
}

export const NeedUrgency = z.enum(['normal', 'urgent', 'emergency'])
export type NeedUrgency = z.infer<typeof NeedUrgency>
export const needUrgencyLabels: Record<NeedUrgency, string> = {
  normal: '一般',
  urgent: '紧急',
  emergency: '特急',
}

/** Which timer runs: accept (受理), first reply (首次答复), resolve (办结). */
export const NeedTimer = z.enum(['accept', 'reply', 'resolve'])
export type NeedTimer = z.infer<typeof NeedTimer>

// ---- pure rules: status machine ------------------------------------------------------------------

export type NeedAction =
  | 'accept'
  | 'reply'
  | 'note'
  | 'resolve'
  | 'refer'
  | 'markDuplicate'
  | 'reject'
  | 'withdraw'
  | 'rate'
  | 'reopen'

/** For each action: the statuses it may start from and the status it leads to (`null`: unchanged). */
export const needTransitions: Record<NeedAction, { from: readonly NeedStatus[]; to: NeedStatus | null }> = {
  accept: { from: ['submitted', 'reopened'], to: 'accepted' },
  reply: { from: ['accepted', 'inProgress', 'referred'], to: 'inProgress' },
  note: { from: ['submitted', 'accepted', 'inProgress', 'reopened', 'referred', 'resolved'], to: null },
  resolve: { from: ['accepted', 'inProgress', 'referred'], to: 'resolved' },
  refer: { from: ['submitted', 'accepted', 'inProgress', 'reopened'], to: 'referred' },
  markDuplicate: { from: ['submitted', 'accepted', 'reopened'], to: 'duplicate' },
  reject: { from: ['submitted'], to: 'rejected' },
  withdraw: { from: ['submitted'], to: 'withdrawn' },
  rate: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed'], to: 'reopened' },
}

/**
 * The status after `action`, or null when the action is not allowed from `status`. A reply on a
 * referred need keeps it referred (the receiving body is still working on it).
 */
export function nextNeedStatus(status: NeedStatus, action: NeedAction): NeedStatus | null {
  const t = needTransitions[action]
  if (!t.from.includes(status)) return null
  if (action === 'reply' && status === 'referred') return 'referred'
  return t.to ?? status
}

export const MAX_NEED_REOPENS = 2

/** Residents reopen when unsatisfied: before rating, or after rating it 1–3; at most twice. */
export function canReopenNeed(need: {
  status: NeedStatus
  rating: number | null
  reopenCount: number
}): boolean {
  if (!nextNeedStatus(need.status, 'reopen')) return false
  if (need.reopenCount >= MAX_NEED_REOPENS) return false
  return need.status === 'resolved' || (need.rating !== null && need.rating <= 3)
}

// ---- pure rules: level machine -------------------------------------------------------------------

export const needLevelRank = (level: NeedLevel): number => needLevels.indexOf(level)

/** The next level up, or null at the street (the top). */
export function nextNeedLevel(level: NeedLevel): NeedLevel | null {
  return needLevels[needLevelRank(level) + 1] ?? null
}

/** A hand escalation (吹哨) may only go up, never down or sideways. */
export function canRaiseLevel(from: NeedLevel, to: NeedLevel): boolean {
  return needLevelRank(to) > needLevelRank(from)
}

// ---- pure rules: SLA timers ----------------------------------------------------------------------

export const NeedSlaTimers = z.object({
  acceptMinutes: z.number().int().min(1).max(43_200),
  replyMinutes: z.number().int().min(1).max(43_200),
  resolveMinutes: z.number().int().min(1).max(129_600),
})
export type NeedSlaTimers = z.infer<typeof NeedSlaTimers>
export const NeedSla = z.object({ normal: NeedSlaTimers, urgent: NeedSlaTimers, emergency: NeedSlaTimers })
export type NeedSla = z.infer<typeof NeedSla>

const minutesOf: Record<NeedTimer, keyof NeedSlaTimers> = {
  accept: 'acceptMinutes',
  reply: 'replyMinutes',
  resolve: 'resolveMinutes',
}

/** The deadline of `timer` for a need of `urgency`, started at `from`. */
export function slaDeadline(sla: NeedSla, urgency: NeedUrgency, timer: NeedTimer, from: Date): Date {
  return new Date(from.getTime() + sla[urgency][minutesOf[timer]] * 60_000)
}

/** Which timer runs in a status (null: none, the need waits on the resident or is finished). */
export function needTimerFor(status: NeedStatus, firstReplyDone: boolean): NeedTimer | null {
  if (status === 'submitted' || status === 'reopened') return 'accept'
  if (status === 'accepted' || status === 'inProgress') return firstReplyDone ? 'resolve' : 'reply'
  return null
}

/** Seconds left until a deadline (negative when overdue). */
export const needSecondsLeft = (deadline: Date, now: Date): number =>
  Math.floor((deadline.getTime() - now.getTime()) / 1000)

/** A `YYYY-MM-DD`..`YYYY-MM-DD` range (both days included) as UTC instants in the community's zone. */
export function needDayRange(from: string, to: string, tz = 'Asia/Shanghai'): { start: Date; end: Date } {
  return {
    start: dayjs.tz(from, tz).startOf('day').toDate(),
    end: dayjs.tz(to, tz).add(1, 'day').startOf('day').toDate(),
  }
}

/** Duplicate suggestion window: the same category in the same building within this many days. */
export const NEED_DUPLICATE_WINDOW_DAYS = 7

/** A need's human number: `FY-20261202-0042`, the 42nd need of the community's local day. */
export function needNumber(localDate: string, seq: number): string {
  return `FY-${localDate.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`
}

// ---- pure rules: stats ---------------------------------------------------------------------------

export interface NeedStatSums {
  total: number
  /** Not withdrawn and not a duplicate: the base of 响应率 and 解决率. */
  counted: number
  acceptedOnTime: number
  resolvedKept: number
  rated: number
  satisfied: number
  acceptCount: number
  acceptMinutes: number
  resolveCount: number
  resolveMinutes: number
}

const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : null)
const avg = (sum: number, n: number) => (n ? Math.round((sum / n) * 10) / 10 : null)

/** 响应率, 解决率, 满意率 and averages from sums and counts (the database computes only sums). */
export function needRates(s: NeedStatSums) {
  return {
    responseRate: ratio(s.acceptedOnTime, s.counted),
    resolveRate: ratio(s.resolvedKept, s.counted),
    satisfactionRate: ratio(s.satisfied, s.rated),
    avgAcceptMinutes: avg(s.acceptMinutes, s.acceptCount),
    avgResolveMinutes: avg(s.resolveMinutes, s.resolveCount),
  }
}

// ---- schemas -------------------------------------------------------------------------------------

export const NeedCategory = z.object({
  id: Id,
  communityId: Id,
  key: z.string(),
  name: z.string(),
  description: z.string(),
  defaultLevel: NeedLevel,
  sla: NeedSla,
  active: z.boolean(),
})
export type NeedCategory = z.infer<typeof NeedCategory>

export const NeedCategoryQuery = z.strictObject({
  communityId: Id.optional(),
  /** Staff editing the catalogue also see the categories switched off. */
  includeInactive: QueryBool.optional(),
})

/** One urgency's timers, in order: accepted before the first reply, replied before resolved. */
const SlaTimersInput = z
  .strictObject({
    acceptMinutes: z.number().int().min(5, '至少5分钟').max(43_200, '不能超过30天'),
    replyMinutes: z.number().int().min(5, '至少5分钟').max(43_200, '不能超过30天'),
    resolveMinutes: z.number().int().min(5, '至少5分钟').max(129_600, '不能超过90天'),
  })
  .refine((t) => t.acceptMinutes <= t.replyMinutes, {
    message: '答复时限不能短于受理时限',
    path: ['replyMinutes'],
  })
  .refine((t) => t.replyMinutes <= t.resolveMinutes, {
    message: '办结时限不能短于答复时限',
    path: ['resolveMinutes'],
  })

/** The timers of the three urgencies; a more urgent need never gets longer timers. */
export const NeedSlaInput = z
  .strictObject({ normal: SlaTimersInput, urgent: SlaTimersInput, emergency: SlaTimersInput })
  .superRefine((sla, ctx) => {
    for (const [faster, slower] of [
      ['urgent', 'normal'],
      ['emergency', 'urgent'],
    ] as const)
      for (const key of ['acceptMinutes', 'replyMinutes', 'resolveMinutes'] as const)
        if (sla[faster][key] > sla[slower][key])
          ctx.addIssue({
            code: 'custom',
            path: [faster, key],
            message: `${needUrgencyLabels[faster]}的时限不能长于${needUrgencyLabels[slower]}`,
          })
  })

export const CreateNeedCategoryBody = z.strictObject({
  communityId: Id,
  key: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, '以小写字母开头，只含小写字母、数字和-，2–32位'),
  name: text(20),
  description: text(100, 0).default(''),
  defaultLevel: NeedLevel.default('courtyard'),
  sla: NeedSlaInput,
  sortOrder: z.number().int().min(0).max(999).default(100),
})

export const UpdateNeedCategoryBody = z
  .strictObject({
    name: text(20).optional(),
    description: text(100, 0).optional(),
    defaultLevel: NeedLevel.optional(),
    sla: NeedSlaInput.optional(),
    active: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(999).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: '没有要修改的内容' })
  .meta({ minProperties: 1 })
export type CreateNeedCategoryBody = z.infer<typeof CreateNeedCategoryBody>
export type UpdateNeedCategoryBody = z.infer<typeof UpdateNeedCategoryBody>

export const CreateNeedInput = z.strictObject({
  categoryId: Id,
  title: text(40),
  description: text(1000),
  urgency: NeedUrgency.default('normal'),
  /** Extra place details; the courtyard and building come from the resident's verified residency. */
  location: text(100).optional(),
  contactPhone: Phone.optional(),
  photoIds: z.array(Id).max(9).default([]),
  /** Submit even though similar needs were suggested (NEED_POSSIBLE_DUPLICATE). */
  ignoreDuplicates: z.boolean().default(false),
})
export type CreateNeedInput = z.infer<typeof CreateNeedInput>

export const NeedTimelineEntry = z.object({
  id: Id,
  at: Instant,
  kind: z.string(),
  actorRole: z.enum(['resident', 'handler', 'system']),
  actorName: z.string(),
  note: z.string(),
  public: z.boolean(),
  status: NeedStatus,
  level: NeedLevel,
  photoIds: z.array(Id),
})
export type NeedTimelineEntry = z.infer<typeof NeedTimelineEntry>

export const WhistleState = z.enum(['summoned', 'reportedIn', 'resolved', 'handedBack'])
export type WhistleState = z.infer<typeof WhistleState>
export const whistleStateLabels: Record<WhistleState, string> = {
  summoned: '待报到',
  reportedIn: '已报到',
  resolved: '已办结',
  handedBack: '已退回',
}

export const NeedWhistle = z.object({
  id: Id,
  departmentId: Id.nullable(),
  department: z.string(),
  level: NeedLevel.nullable(),
  state: WhistleState,
  dueAt: Instant,
  reportedAt: Instant.nullable(),
  reportNote: z.string().nullable(),
  /** Set when the department missed its report-in deadline and the need went to the street. */
  overdueAt: Instant.nullable(),
  handBackReason: z.string().nullable(),
})

export const NeedSummary = z.object({
  id: Id,
  /** `FY-YYYYMMDD-NNNN`, unique per community. */
  no: z.string(),
  communityId: Id,
  categoryId: Id,
  categoryName: z.string(),
  title: z.string(),
  status: NeedStatus,
  level: NeedLevel,
  urgency: NeedUrgency,
  location: z.string(),
  reporterName: z.string(),
  timer: NeedTimer.nullable(),
  deadlineAt: Instant.nullable(),
  /** Seconds to the running timer's deadline; negative when overdue. */
  secondsLeft: z.number().int().nullable(),
  assigneeName: z.string().nullable(),
  rating: z.number().int().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
})
export type NeedSummary = z.infer<typeof NeedSummary>

export const NeedDetail = NeedSummary.extend({
  description: z.string(),
  contactPhone: z.string().nullable(),
  photoIds: z.array(Id),
  reopenCount: z.number().int(),
  canReopen: z.boolean(),
  ratingComment: z.string().nullable(),
  referredTo: z.string().nullable(),
  duplicateOf: Id.nullable(),
  duplicates: z.array(Id),
  whistles: z.array(NeedWhistle),
  /** Filed by a grid worker or staff for the resident (代办) or as a public matter: who, how found, consent. */
  filedBy: z.object({ name: z.string(), source: z.string(), consent: z.string().nullable() }).nullable(),
  timeline: z.array(NeedTimelineEntry),
})
export type NeedDetail = z.infer<typeof NeedDetail>

export const NeedPhotoQuery = z.strictObject({
  /** Streams this photo of the need (image bytes) instead of the JSON detail. */
  photo: Id.optional(),
})

export const NeedHandlingQuery = z.strictObject({
  limit: PageQuery.shape.limit,
  cursor: PageQuery.shape.cursor,
  status: z.enum([...needStatuses, 'open']).default('open'),
  level: NeedLevel.optional(),
})

export const NeedReplyInput = z.strictObject({
  note: text(1000),
  public: z.boolean().default(true),
  photoIds: z.array(Id).max(9).default([]),
})
export const NeedResolveInput = z.strictObject({
  /** Required: a need is never closed without an answer to the resident. */
  reply: z.string().trim().max(1000).optional(),
  photoIds: z.array(Id).max(9).default([]),
})
export const NeedEscalateInput = z.strictObject({
  /** Raise the handling level to this one (only upwards). */
  level: NeedLevel.optional(),
  /** The department summoned to report in (吹哨报到): one of the need's street or community. */
  departmentId: Id,
  note: text(500).optional(),
  /** Time the department has to report in; default two hours. */
  reportInMinutes: z.number().int().min(10).max(10_080).default(120),
})
export const NeedReferInput = z.strictObject({ to: text(60), note: text(500) })
export const NeedDuplicateInput = z.strictObject({ duplicateOf: Id, note: text(200).optional() })
export const NeedWithdrawInput = z.strictObject({ reason: text(200).optional() })
export const NeedRateInput = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: text(300).optional(),
})
export const NeedReopenInput = z.strictObject({ reason: text(300) })

export const NeedPhoto = z.object({ id: Id, contentType: z.string(), size: z.number().int() })

export const NeedStatsQuery = z.strictObject({
  scope: z.enum(['grid', 'community', 'street']),
  scopeId: Id,
  from: LocalDate,
  to: LocalDate,
})
export type NeedStatsQuery = z.infer<typeof NeedStatsQuery>

const Count = z.object({ key: z.string(), label: z.string(), count: z.number().int() })
export const NeedStats = z.object({
  scope: z.enum(['grid', 'community', 'street']),
  scopeId: Id,
  scopeName: z.string(),
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  counted: z.number().int(),
  acceptedOnTime: z.number().int(),
  resolvedKept: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
  /** 响应率: accepted within the accept timer, of the needs counted (not withdrawn, not duplicate). */
  responseRate: z.number().nullable(),
  /** 解决率: resolved and not reopened, of the needs counted. */
  resolveRate: z.number().nullable(),
  /** 满意率: rated 4–5, of the rated. */
  satisfactionRate: z.number().nullable(),
  avgAcceptMinutes: z.number().nullable(),
  avgResolveMinutes: z.number().nullable(),
  byStatus: z.array(Count),
  byCategory: z.array(Count),
})
export type NeedStats = z.infer<typeof NeedStats>

// ---- Open311 GeoReport v2 ------------------------------------------------------------------------

export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
})
export const Open311Request = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string(),
  service_notice: z.string().nullable(),
  requested_datetime: Instant,
  updated_datetime: Instant,
  expected_datetime: Instant.nullable(),
  address: z.string(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
})
/** Comma-separated record ids, at most 80 (GeoReport v2 lists). */
const IdList = z
  .string()
  .max(2000)
  .regex(/^[0-9a-f]{24}(,[0-9a-f]{24})*$/, '须为逗号分隔的编号')
export const Open311ServicesQuery = z.strictObject({ jurisdiction_id: Id.optional() })
export const Open311RequestsQuery = z.strictObject({
  jurisdiction_id: Id.optional(),
  /** Comma-separated ids; when given, the other filters are ignored (GeoReport v2). */
  service_request_id: IdList.optional(),
  /** Comma-separated service codes. */
  service_code: IdList.optional(),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
  status: z
    .string()
    .regex(/^(open|closed)(,(open|closed))?$/)
    .optional(),
})
export const Open311IdParams = z.strictObject({ id: Id })
export const Open311CreateInput = z.strictObject({
  api_key: z.string().min(1).max(200),
  jurisdiction_id: Id.optional(),
  service_code: Id,
  description: text(1000),
  /** A courtyard or building of the community, to route the request. */
  address_id: Id.optional(),
  address_string: text(100).optional(),
  lat: z.number().min(-90).max(90).optional(),
  long: z.number().min(-180).max(180).optional(),
  first_name: text(20).optional(),
  last_name: text(20).optional(),
  phone: Phone.optional(),
  email: z.email().max(100).optional(),
  device_id: z.string().max(100).optional(),
  account_id: z.string().max(100).optional(),
  media_url: z.url().max(500).optional(),
})
export const Open311Created = z.array(
  z.object({
    service_request_id: z.string(),
    service_notice: z.string(),
    account_id: z.string().nullable(),
  }),
)

// ---- operations ----------------------------------------------------------------------------------

const handlers = ['gridWorker', 'staff', 'streetStaff', 'admin'] as const
const managers = ['staff', 'streetStaff', 'admin'] as const

export const needsOps = {
  listNeedCategories: op({
    method: 'get',
    path: '/api/v1/need-categories',
    summary: '急难愁盼分类及各紧急程度的受理、答复、办结时限（默认本人所在社区）',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'catalogue' },
    query: NeedCategoryQuery,
    response: z.object({ items: z.array(NeedCategory) }),
  }),
  createNeedCategory: op({
    method: 'post',
    path: '/api/v1/need-categories',
    summary: '新增反映分类及各紧急程度的时限（社区工作人员，留痕）',
    tag: 'needs',
    access: managers,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateNeedCategoryBody,
    response: NeedCategory,
    status: 201,
  }),
  updateNeedCategory: op({
    method: 'patch',
    path: '/api/v1/need-categories/:id',
    summary: '修改反映分类、时限或停用（已提交的反映仍按提交时的时限计时；留痕）',
    tag: 'needs',
    access: managers,
    scope: { kind: 'own' },
    params: IdParams,
    body: UpdateNeedCategoryBody,
    response: NeedCategory,
  }),
  createNeed: op({
    method: 'post',
    path: '/api/v1/needs',
    summary: '提交反映（已认证居民）；同楼栋7天内同类反映会先以 NEED_POSSIBLE_DUPLICATE 提示',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'own' },
    body: CreateNeedInput,
    response: NeedDetail,
    status: 201,
    idempotent: true,
  }),
  uploadNeedPhoto: op({
    method: 'post',
    path: '/api/v1/need-photos',
    summary:
      '上传反映照片：请求体为图片本身（Content-Type: image/jpeg、image/png 或 image/webp），或 multipart/form-data 中的一个文件；按文件头识别格式，≤5MB',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'own' },
    upload: ['image/jpeg', 'image/png', 'image/webp', 'multipart/form-data'],
    response: NeedPhoto,
    status: 201,
  }),
  listMyNeeds: op({
    method: 'get',
    path: '/api/v1/me/needs',
    summary: '我的反映（最新的在前）',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'own' },
    query: PageQuery,
    response: page(NeedSummary),
  }),
  getNeed: op({
    method: 'get',
    path: '/api/v1/needs/:id',
    summary: '反映详情与时间线；带 ?photo=<照片编号> 时返回该照片（仅反映人与处理链上的人员可见）',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'record', record: 'need', reach: 'handler', owner: true },
    params: IdParams,
    query: NeedPhotoQuery,
    response: NeedDetail,
  }),
  withdrawNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/withdraw',
    summary: '撤回反映（受理前）',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'record', record: 'need', reach: 'owner', owner: true },
    params: IdParams,
    body: NeedWithdrawInput,
    response: NeedDetail,
  }),
  listNeedsForHandling: op({
    method: 'get',
    path: '/api/v1/needs-queue',
    summary: '待办队列（本辖区，按最近的时限排序，含剩余时间）',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'community', reach: 'handler' },
    query: NeedHandlingQuery,
    response: page(NeedSummary),
  }),
  acceptNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/accept',
    summary: '受理反映',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'record', record: 'need', reach: 'handler' },
    params: IdParams,
    response: NeedDetail,
  }),
  addNeedReply: op({
    method: 'post',
    path: '/api/v1/needs/:id/replies',
    summary: '答复居民（公开）或记录内部备注',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'record', record: 'need', reach: 'handler' },
    params: IdParams,
    body: NeedReplyInput,
    response: NeedDetail,
  }),
  resolveNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/resolve',
    summary: '办结反映（必须答复，可附照片）',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'record', record: 'need', reach: 'handler' },
    params: IdParams,
    body: NeedResolveInput,
    response: NeedDetail,
  }),
  escalateNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/escalate',
    summary: '吹哨：指定本街道或本社区须报到的部门（可同时上提处理层级），部门在自己的队列中报到',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'record', record: 'need', reach: 'handler' },
    params: IdParams,
    body: NeedEscalateInput,
    response: NeedDetail,
  }),
  referNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/refer',
    summary: '转办至其他单位',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'record', record: 'need', reach: 'handler' },
    params: IdParams,
    body: NeedReferInput,
    response: NeedDetail,
  }),
  markNeedDuplicate: op({
    method: 'post',
    path: '/api/v1/needs/:id/duplicate',
    summary: '标记为重复反映并关联原反映',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'record', record: 'need', reach: 'handler' },
    params: IdParams,
    body: NeedDuplicateInput,
    response: NeedDetail,
  }),
  rateNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/rating',
    summary: '评价办结的反映（1–5星）',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'record', record: 'need', reach: 'owner', owner: true },
    params: IdParams,
    body: NeedRateInput,
    response: NeedDetail,
  }),
  reopenNeed: op({
    method: 'post',
    path: '/api/v1/needs/:id/reopen',
    summary: '不满意重新办理（最多两次）',
    tag: 'needs',
    access: 'user',
    scope: { kind: 'record', record: 'need', reach: 'owner', owner: true },
    params: IdParams,
    body: NeedReopenInput,
    response: NeedDetail,
  }),
  getNeedStats: op({
    method: 'get',
    path: '/api/v1/need-stats',
    summary: '响应率、解决率、满意率、平均用时及分状态、分类数量（网格/社区/街道，按日期）',
    tag: 'needs',
    access: handlers,
    scope: { kind: 'community', reach: 'handler' },
    query: NeedStatsQuery,
    response: NeedStats,
  }),
  exportNeedStats: op({
    method: 'get',
    path: '/api/v1/need-stats/export',
    summary: '导出反映明细与统计（text/csv，不含个人信息）',
    tag: 'needs',
    access: managers,
    scope: { kind: 'community', reach: 'staff' },
    query: NeedStatsQuery,
  }),
  open311ListServices: op({
    method: 'get',
    path: '/open311/v2/services.json',
    summary: 'Open311 GeoReport v2：服务（分类）列表',
    tag: 'open311',
    access: 'public',
    scope: { kind: 'catalogue' },
    query: Open311ServicesQuery,
    response: z.array(Open311Service),
  }),
  open311ListRequests: op({
    method: 'get',
    path: '/open311/v2/requests.json',
    summary: 'Open311 GeoReport v2：请求列表（状态归并为 open/closed，不含个人信息）',
    tag: 'open311',
    access: 'public',
    scope: { kind: 'catalogue' },
    query: Open311RequestsQuery,
    response: z.array(Open311Request),
  }),
  open311GetRequest: op({
    method: 'get',
    path: '/open311/v2/requests/:id.json',
    summary: 'Open311 GeoReport v2：单个请求',
    tag: 'open311',
    access: 'public',
    scope: { kind: 'catalogue' },
    params: Open311IdParams,
    response: z.array(Open311Request),
  }),
  open311CreateRequest: op({
    method: 'post',
    path: '/open311/v2/requests.json',
    summary: 'Open311 GeoReport v2：城市平台提交请求（需 api_key）',
    tag: 'open311',
    access: 'public',
    scope: { kind: 'catalogue' },
    body: Open311CreateInput,
    response: Open311Created,
    status: 201,
  }),
} as const
