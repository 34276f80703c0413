import { z } from 'zod'
import { Id, IdParams, Instant, LocalDate, PageQuery, page, text } from './common'
import { op } from './http'
import { CreateNeedInput, NeedDetail, NeedSummary, WhistleState } from './needs'

// ---- departments (吹哨报到) ------------------------------------------------------------------------

export const departmentKinds = [
  'streetOffice',
  'urbanManagement',
  'police',
  'marketRegulation',
  'property',
  'ownersCommittee',
  'other',
] as const
export const DepartmentKind = z.enum(departmentKinds)
export type DepartmentKind = z.infer<typeof DepartmentKind>
export const departmentKindLabels: Record<DepartmentKind, string> = {
  streetOffice: '街道科室',
  urbanManagement: '城管',
  police: '派出所',
  marketRegulation: '市场监管',
  property: '物业',
  ownersCommittee: '业委会',
  other: '其他单位',
}

export const Department = z.object({
  id: Id,
  name: z.string(),
  kind: DepartmentKind,
  streetId: Id,
  /** Null for a department of the whole street; set for a community's 物业 or 业委会. */
  communityId: Id.nullable(),
  /** The street or community it is attached to. */
  attachedTo: z.string(),
})
export type Department = z.infer<typeof Department>

export const DepartmentQuery = z.strictObject({
  /** The departments a need of this community may be whistled to (its street's and its own). */
  communityId: Id.optional(),
  /** Every department of a street (street staff). */
  streetId: Id.optional(),
})

export const CreateDepartmentInput = z
  .strictObject({
    name: text(40),
    kind: DepartmentKind,
    /** Attach to a street (street staff) … */
    streetId: Id.optional(),
    /** … or to one community (its staff or the street's). */
    communityId: Id.optional(),
  })
  .refine((v) => !!v.streetId !== !!v.communityId, {
    message: '请选择所属街道或社区（二选一）',
    path: ['communityId'],
  })
export type CreateDepartmentInput = z.infer<typeof CreateDepartmentInput>

export const DepartmentQueueItem = z.object({
  whistleId: Id,
  departmentId: Id,
  departmentName: z.string(),
  state: WhistleState,
  dueAt: Instant,
  /** Seconds to the report-in deadline while summoned (negative when overdue), else null. */
  secondsLeft: z.number().int().nullable(),
  reportedAt: Instant.nullable(),
  overdue: z.boolean(),
  need: NeedSummary,
})
export type DepartmentQueueItem = z.infer<typeof DepartmentQueueItem>

export const DepartmentQueueQuery = z.strictObject({
  limit: PageQuery.shape.limit,
  cursor: PageQuery.shape.cursor,
  state: z.enum(['open', ...WhistleState.options]).default('open'),
})

export const WhistleNoteInput = z.strictObject({ note: text(500) })
export const WhistleReplyInput = z.strictObject({ note: text(1000), public: z.boolean().default(true) })
export const WhistleResolveInput = z.strictObject({ reply: text(1000) })
export const WhistleHandBackInput = z.strictObject({ reason: text(300) })

// ---- grid field work -----------------------------------------------------------------------------

export const NeedSource = z.enum(['patrol', 'phone', 'visit'])
export type NeedSource = z.infer<typeof NeedSource>
export const needSourceLabels: Record<NeedSource, string> = {
  patrol: '巡查发现',
  phone: '电话反映',
  visit: '入户走访',
}

export const ConsentMethod = z.enum(['inPerson', 'phone', 'written', 'family'])
export type ConsentMethod = z.infer<typeof ConsentMethod>
export const consentMethodLabels: Record<ConsentMethod, string> = {
  inPerson: '当面口头同意',
  phone: '电话中同意',
  written: '书面签字',
  family: '家属代为同意',
}

export const Consent = z.strictObject({ method: ConsentMethod, note: text(200).optional() })

const { ignoreDuplicates: _ignored, ...needFields } = CreateNeedInput.shape
export const CreateNeedOnBehalfInput = z
  .strictObject({
    ...needFields,
    source: NeedSource,
    /** The resident it is filed for; they are notified and follow it in 我的反映. */
    residentId: Id.optional(),
    /** How the resident agreed (required with residentId); stored on the need and audited. */
    consent: Consent.optional(),
    /** A public matter of a courtyard (and optionally one building), with no resident. */
    courtyardId: Id.optional(),
    buildingId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if (!!v.residentId === !!v.courtyardId)
      ctx.addIssue({
        code: 'custom',
        path: ['residentId'],
        message: '请选择居民或公共事项所在院落（二选一）',
      })
    if (v.residentId && !v.consent)
      ctx.addIssue({ code: 'custom', path: ['consent'], message: '代居民反映须记录居民如何同意' })
    if (v.buildingId && !v.courtyardId)
      ctx.addIssue({ code: 'custom', path: ['courtyardId'], message: '请选择院落' })
  })
export type CreateNeedOnBehalfInput = z.infer<typeof CreateNeedOnBehalfInput>

/** Verified residents a grid worker may file for or visit (masked names, household). */
export const ResidentPick = z.object({ id: Id, name: z.string(), household: z.string() })
export const ResidentPickQuery = z.strictObject({ q: z.string().trim().max(20).optional() })

export const HomeVisitInput = z.strictObject({
  buildingId: Id,
  /** The door, e.g. 1单元302. */
  household: text(20),
  residentId: Id.optional(),
  date: LocalDate,
  /** A visit planned for `date` (shown in the day view) rather than one already made. */
  planned: z.boolean().default(false),
  topics: z.array(text(20)).min(1, '请至少填写一个走访事项').max(10),
  note: text(500).optional(),
  followUpNeedId: Id.optional(),
})
export type HomeVisitInput = z.infer<typeof HomeVisitInput>

export const HomeVisit = z.object({
  id: Id,
  communityId: Id,
  gridId: Id,
  place: z.string(),
  household: z.string(),
  residentName: z.string().nullable(),
  date: z.string(),
  planned: z.boolean(),
  topics: z.array(z.string()),
  note: z.string(),
  followUpNeedId: Id.nullable(),
  byName: z.string(),
  createdAt: Instant,
})
export type HomeVisit = z.infer<typeof HomeVisit>

export const HomeVisitQuery = PageQuery.extend({
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  planned: z.enum(['true', 'false']).optional(),
})

export const CompleteHomeVisitInput = z.strictObject({
  note: text(500).optional(),
  followUpNeedId: Id.optional(),
})

// ---- operations ----------------------------------------------------------------------------------

const handlers = ['gridWorker', 'staff', 'streetStaff', 'admin'] as const
const fieldWorkers = ['gridWorker', 'staff', 'admin'] as const
const dept = ['deptStaff'] as const

export const gridOps = {
  listDepartments: op({
    method: 'get',
    path: '/api/v1/departments',
    summary:
      '部门与合作单位（街道科室、城管、派出所、市场监管、物业、业委会）：某社区可吹哨的，或某街道全部的',
    tag: 'departments',
    access: [...handlers, 'deptStaff'],
    scope: { kind: 'community', reach: 'handler' },
    query: DepartmentQuery,
    response: z.object({ items: z.array(Department) }),
  }),
  createDepartment: op({
    method: 'post',
    path: '/api/v1/departments',
    summary: '登记部门或合作单位（挂靠街道或社区），其工作人员以部门身份报到、办理',
    tag: 'departments',
    access: ['staff', 'streetStaff', 'admin'],
    scope: { kind: 'community', reach: 'staff' },
    body: CreateDepartmentInput,
    response: Department,
    status: 201,
    idempotent: true,
  }),
  listDepartmentQueue: op({
    method: 'get',
    path: '/api/v1/department-queue',
    summary: '本部门被吹哨的事项（报到时限最近的在前）；只含吹给本部门的反映',
    tag: 'departments',
    access: dept,
    scope: { kind: 'own' },
    query: DepartmentQueueQuery,
    response: page(DepartmentQueueItem),
  }),
  reportInAsDepartment: op({
    method: 'post',
    path: '/api/v1/whistles/:id/report-in',
    summary: '部门报到（每次吹哨一次；未受理的反映同时受理）',
    tag: 'departments',
    access: dept,
    scope: { kind: 'own' },
    params: IdParams,
    body: WhistleNoteInput,
    response: NeedDetail,
  }),
  replyAsDepartment: op({
    method: 'post',
    path: '/api/v1/whistles/:id/replies',
    summary: '部门答复居民（公开）或记录内部备注（须已报到）',
    tag: 'departments',
    access: dept,
    scope: { kind: 'own' },
    params: IdParams,
    body: WhistleReplyInput,
    response: NeedDetail,
  }),
  resolveAsDepartment: op({
    method: 'post',
    path: '/api/v1/whistles/:id/resolve',
    summary: '部门办结反映（须答复，须已报到）',
    tag: 'departments',
    access: dept,
    scope: { kind: 'own' },
    params: IdParams,
    body: WhistleResolveInput,
    response: NeedDetail,
  }),
  handBackWhistle: op({
    method: 'post',
    path: '/api/v1/whistles/:id/hand-back',
    summary: '部门退回（须说明原因），反映回到吹哨的社区处理',
    tag: 'departments',
    access: dept,
    scope: { kind: 'own' },
    params: IdParams,
    body: WhistleHandBackInput,
    response: NeedDetail,
  }),
  createNeedOnBehalf: op({
    method: 'post',
    path: '/api/v1/needs/on-behalf',
    summary: '网格员代居民反映（记录居民同意方式并留痕）或登记院落、楼栋的公共事项',
    tag: 'grid',
    access: fieldWorkers,
    scope: { kind: 'own' },
    body: CreateNeedOnBehalfInput,
    response: NeedDetail,
    status: 201,
    idempotent: true,
  }),
  listResidentsInReach: op({
    method: 'get',
    path: '/api/v1/grid-residents',
    summary: '本网格（院落）已认证居民，供代为反映、走访时选择（姓名脱敏）',
    tag: 'grid',
    access: fieldWorkers,
    scope: { kind: 'own' },
    query: ResidentPickQuery,
    response: z.object({ items: z.array(ResidentPick) }),
  }),
  logHomeVisit: op({
    method: 'post',
    path: '/api/v1/home-visits',
    summary: '登记入户走访（或计划走访）：日期、住户、事项、后续反映',
    tag: 'grid',
    access: fieldWorkers,
    scope: { kind: 'own' },
    body: HomeVisitInput,
    response: HomeVisit,
    status: 201,
    idempotent: true,
  }),
  listHomeVisits: op({
    method: 'get',
    path: '/api/v1/home-visits',
    summary: '走访记录（仅本网格网格员与社区工作人员可见）',
    tag: 'grid',
    access: fieldWorkers,
    scope: { kind: 'own' },
    query: HomeVisitQuery,
    response: page(HomeVisit),
  }),
  completeHomeVisit: op({
    method: 'post',
    path: '/api/v1/home-visits/:id/complete',
    summary: '计划的走访已完成',
    tag: 'grid',
    access: fieldWorkers,
    scope: { kind: 'record', record: 'homeVisit', reach: 'handler' },
    params: IdParams,
    body: CompleteHomeVisitInput,
    response: HomeVisit,
  }),
} as const
