import { z } from 'zod'
import { signUpStatuses } from './activity-rules'
import { Id, IdParams, Instant, LocalDate, PageQuery, Phone, page, QueryBool, text } from './common'
import { op } from './http'

export * from './activity-rules'

// ---- activities ----------------------------------------------------------------------------------

export const AgeGroup = z.enum(['all', 'elderly', 'children', 'elderlyAndChildren', 'youth'])
export type AgeGroup = z.infer<typeof AgeGroup>
export const ageGroupLabels: Record<AgeGroup, string> = {
  all: '不限年龄',
  elderly: '老年人',
  children: '儿童',
  elderlyAndChildren: '一老一小',
  youth: '青少年',
}

/** `HH:mm`, 00:00–23:59: a pattern, so the OpenAPI document says it too. */
const Clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, '时间格式应为HH:mm')

export const OnceSchedule = z.strictObject({
  kind: z.literal('once'),
  sessions: z
    .array(z.strictObject({ start: Instant, end: Instant }))
    .min(1, '至少安排一场')
    .max(20),
})
export const WeeklySchedule = z.strictObject({
  kind: z.literal('weekly'),
  /** 0 = 星期日 … 6 = 星期六. */
  weekdays: z.array(z.number().int().min(0).max(6)).min(1, '请选择星期').max(7),
  startTime: Clock,
  durationMinutes: z.number().int().min(15).max(720),
  startDate: LocalDate,
  endDate: LocalDate.nullable().default(null),
  /** Local dates the series skips (节假日、场地维护). */
  exceptions: z.array(LocalDate).max(100).default([]),
})
export const ActivitySchedule = z.discriminatedUnion('kind', [OnceSchedule, WeeklySchedule])
export type ActivitySchedule = z.infer<typeof ActivitySchedule>

export const Audience = z.strictObject({
  /** Courtyards whose residents may sign up; empty: the whole community. */
  courtyardIds: z.array(Id).max(50).default([]),
  ageGroup: AgeGroup.default('all'),
})

export const CreateActivityBody = z.strictObject({
  communityId: Id,
  title: text(40),
  description: text(2000, 0).default(''),
  photos: z.array(z.string().max(500)).max(9).default([]),
  location: text(100),
  /** A community space each session books (on behalf of the community). */
  spaceId: Id.nullable().default(null),
  contactPhone: Phone,
  audience: Audience.default({ courtyardIds: [], ageGroup: 'all' }),
  /** Volunteer service: hours served (checked in and out) earn volunteer points. */
  volunteer: z.boolean().default(false),
  /** Points per hour served; null: the community's rule rate. */
  pointsPerHour: z.number().int().min(0).max(200).nullable().default(null),
  placesPerSession: z.number().int().min(1).max(500),
  schedule: ActivitySchedule,
})
export type CreateActivityBody = z.infer<typeof CreateActivityBody>

export const UpdateActivityBody = z.strictObject({
  title: text(40).optional(),
  description: text(2000, 0).optional(),
  photos: z.array(z.string().max(500)).max(9).optional(),
  location: text(100).optional(),
  contactPhone: Phone.optional(),
  /** Applies to sessions not yet started; never below a session's confirmed sign-ups. */
  placesPerSession: z.number().int().min(1).max(500).optional(),
  /** Weekly series: more dates to skip; their sessions are cancelled and their sign-ups told. */
  addExceptions: z.array(LocalDate).max(50).optional(),
  /** Cancels the activity: every session to come, its space bookings and sign-ups. */
  status: z.literal('cancelled').optional(),
  reason: text(200).optional(),
})
export type UpdateActivityBody = z.infer<typeof UpdateActivityBody>

export const ActivityStatus = z.enum(['published', 'cancelled'])

export const ActivitySummary = z.object({
  id: Id,
  communityId: Id,
  title: z.string(),
  photos: z.array(z.string()),
  location: z.string(),
  volunteer: z.boolean(),
  pointsPerHour: z.number().int(),
  placesPerSession: z.number().int(),
  ageGroup: AgeGroup,
  scheduleKind: z.enum(['once', 'weekly']),
  status: ActivityStatus,
  nextSessionStart: Instant.nullable(),
  createdAt: Instant,
})
export type ActivitySummary = z.infer<typeof ActivitySummary>

export const SignUpStatus = z.enum(signUpStatuses)
export type SignUpStatus = z.infer<typeof SignUpStatus>

export const MySessionSignUp = z.object({
  id: Id,
  status: SignUpStatus,
  /** Place in the waitlist (1 = next to be promoted), or null. */
  position: z.number().int().nullable(),
})

export const Session = z.object({
  id: Id,
  activityId: Id,
  communityId: Id,
  title: z.string(),
  location: z.string(),
  volunteer: z.boolean(),
  pointsPerHour: z.number().int(),
  ageGroup: AgeGroup,
  /** Local date in the community's zone. */
  date: z.string(),
  start: Instant,
  end: Instant,
  places: z.number().int(),
  confirmed: z.number().int(),
  waitlisted: z.number().int(),
  status: z.enum(['scheduled', 'cancelled']),
  mySignUp: MySessionSignUp.nullable(),
  /** The code shown at the session for check-in and check-out; only to staff of its community. */
  checkInCode: z.string().nullable(),
})
export type Session = z.infer<typeof Session>

export const Activity = ActivitySummary.extend({
  description: z.string(),
  spaceId: Id.nullable(),
  contactPhone: z.string(),
  audience: z.object({ courtyardIds: z.array(Id), ageGroup: AgeGroup }),
  schedule: z.union([
    z.object({ kind: z.literal('once') }),
    WeeklySchedule.extend({ endDate: z.string().nullable(), exceptions: z.array(z.string()) }),
  ]),
  timezone: z.string(),
  /** Upcoming sessions (materialised up to the horizon), soonest first. */
  sessions: z.array(Session),
})
export type Activity = z.infer<typeof Activity>

export const ListActivitiesQuery = PageQuery.extend({
  communityId: Id.optional(),
  status: ActivityStatus.optional(),
})
export const ListSessionsQuery = z.strictObject({
  communityId: Id.optional(),
  /** First local date; default today. */
  from: LocalDate.optional(),
  days: z.coerce.number().int().min(1).max(31).default(14),
  volunteer: QueryBool.optional(),
})

// ---- sign-ups, roster, attendance ----------------------------------------------------------------

export const SignUp = z.object({
  id: Id,
  sessionId: Id,
  activityId: Id,
  title: z.string(),
  location: z.string(),
  volunteer: z.boolean(),
  start: Instant,
  end: Instant,
  status: SignUpStatus,
  position: z.number().int().nullable(),
  checkedInAt: Instant.nullable(),
  checkedOutAt: Instant.nullable(),
  servedMinutes: z.number().int().nullable(),
  /** Volunteer points this session earned through the ledger; null until they are paid. */
  points: z.number().int().nullable(),
  createdAt: Instant,
})
export type SignUp = z.infer<typeof SignUp>

export const MySignUpsQuery = PageQuery.extend({ status: SignUpStatus.optional() })
export const SessionCodeBody = z.strictObject({ code: text(32) })

export const RosterEntry = z.object({
  signUpId: Id,
  userId: Id,
  /** Full name to the organiser calling the roll; phone masked. */
  name: z.string(),
  phone: z.string().nullable(),
  status: SignUpStatus,
  position: z.number().int().nullable(),
  checkedInAt: Instant.nullable(),
  checkedOutAt: Instant.nullable(),
  servedMinutes: z.number().int().nullable(),
})
export const Roster = z.object({ session: Session, entries: z.array(RosterEntry) })
export type Roster = z.infer<typeof Roster>

export const MessageRosterBody = z.strictObject({
  body: text(200),
  /** Who to tell; default everyone holding a place. */
  to: z.enum(['confirmed', 'all']).default('confirmed'),
})

export const VolunteerService = z.object({
  sessions: z.number().int(),
  minutes: z.number().int(),
  points: z.number().int(),
})
export type VolunteerService = z.infer<typeof VolunteerService>

// ---- operations ----------------------------------------------------------------------------------

const staff = ['staff', 'streetStaff', 'admin'] as const

export const activityOps = {
  createActivity: op({
    method: 'post',
    path: '/api/v1/activities',
    summary: '发布活动或志愿服务（单次或每周重复，可预订场地）',
    tag: 'activities',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateActivityBody,
    response: Activity,
    status: 201,
    idempotent: true,
  }),
  updateActivity: op({
    method: 'patch',
    path: '/api/v1/activities/:id',
    summary: '修改活动（名额、跳过日期、取消）',
    tag: 'activities',
    access: staff,
    scope: { kind: 'record', record: 'activity', reach: 'staff' },
    params: IdParams,
    body: UpdateActivityBody,
    response: Activity,
  }),
  listActivities: op({
    method: 'get',
    path: '/api/v1/activities',
    summary: '活动列表（默认本社区，最新发布的在前）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    query: ListActivitiesQuery,
    response: page(ActivitySummary),
  }),
  getActivity: op({
    method: 'get',
    path: '/api/v1/activities/:id',
    summary: '活动详情与近期场次（含我的报名状态）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'record', record: 'activity', reach: 'member' },
    params: IdParams,
    response: Activity,
  }),
  listSessions: op({
    method: 'get',
    path: '/api/v1/activity-sessions',
    summary: '按日期列出场次（默认本社区，从今天起14天）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    query: ListSessionsQuery,
    response: z.object({ timezone: z.string(), items: z.array(Session) }),
  }),
  signUpForSession: op({
    method: 'post',
    path: '/api/v1/activity-sessions/:id/sign-ups',
    summary: '报名场次（满员则候补，按先后递补）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'record', record: 'activitySession', reach: 'member' },
    params: IdParams,
    response: SignUp,
    status: 201,
    idempotent: true,
  }),
  cancelSignUp: op({
    method: 'post',
    path: '/api/v1/sign-ups/:id/cancel',
    summary: '取消报名（空出的名额由候补第一位递补）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'own' },
    params: IdParams,
    response: SignUp,
  }),
  listMySignUps: op({
    method: 'get',
    path: '/api/v1/me/sign-ups',
    summary: '我的报名（最新的在前）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'own' },
    query: MySignUpsQuery,
    response: page(SignUp),
  }),
  getMyVolunteerService: op({
    method: 'get',
    path: '/api/v1/me/volunteer-service',
    summary: '我的志愿服务：场次、时长与获得的积分',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'own' },
    response: VolunteerService,
  }),
  getSessionRoster: op({
    method: 'get',
    path: '/api/v1/activity-sessions/:id/roster',
    summary: '场次名单（报名、候补、签到签退）',
    tag: 'activities',
    access: staff,
    scope: { kind: 'record', record: 'activitySession', reach: 'staff' },
    params: IdParams,
    response: Roster,
  }),
  messageSessionRoster: op({
    method: 'post',
    path: '/api/v1/activity-sessions/:id/message',
    summary: '给场次名单发消息',
    tag: 'activities',
    access: staff,
    scope: { kind: 'record', record: 'activitySession', reach: 'staff' },
    params: IdParams,
    body: MessageRosterBody,
    response: z.object({ sent: z.number().int() }),
  }),
  checkInToSession: op({
    method: 'post',
    path: '/api/v1/activity-sessions/:id/check-in',
    summary: '现场签到（扫码或输入场次签到码）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'record', record: 'activitySession', reach: 'member' },
    params: IdParams,
    body: SessionCodeBody,
    response: SignUp,
  }),
  checkOutOfSession: op({
    method: 'post',
    path: '/api/v1/activity-sessions/:id/check-out',
    summary: '现场签退（志愿服务按实际时长计积分，不超过场次时长）',
    tag: 'activities',
    access: 'user',
    scope: { kind: 'record', record: 'activitySession', reach: 'member' },
    params: IdParams,
    body: SessionCodeBody,
    response: SignUp,
  }),
} as const
