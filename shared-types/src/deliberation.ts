import { z } from 'zod'
import { Id, IdParams, Instant, LocalDate, PageQuery, page, QueryBool, text } from './common'
import { topicStages, topicStatuses } from './deliberation-rules'
import { op } from './http'

export * from './deliberation-rules'

const staffRoles = ['staff', 'streetStaff', 'admin'] as const
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm')

// ---- 议/不议 rules -------------------------------------------------------------------------------

export const RuleId = z.string().regex(/^[a-z0-9-]{1,32}$/, '规则编号只能包含小写字母、数字和-')

export const DeliberationRule = z.object({
  id: RuleId,
  name: z.string(),
  explanation: z.string(),
  /** Seeded example that staff should replace with the community's own rule. */
  example: z.boolean(),
})
export type DeliberationRule = z.infer<typeof DeliberationRule>

/** How a community runs its day: when 附议 promote a topic, and the default voting window. */
export const DeliberationSettings = z.object({
  /** 附议 that move a proposed topic to screening (进入审议). */
  secondsToPromote: z.number().int().min(1).max(500),
  /** Online voting opens this many days before the meeting by default. */
  votingOpensDaysBefore: z.number().int().min(0).max(30),
  /** Length of the meeting; online voting closes at its end by default, so paper ballots count. */
  meetingMinutes: z.number().int().min(30).max(480),
})
export type DeliberationSettings = z.infer<typeof DeliberationSettings>
export const defaultDeliberationSettings: DeliberationSettings = {
  secondsToPromote: 10,
  votingOpensDaysBefore: 7,
  meetingMinutes: 120,
}

export const DeliberationRules = z.object({
  communityId: Id,
  settings: DeliberationSettings,
  /** 议: matters to deliberate. */
  deliberate: z.array(DeliberationRule),
  /** 不议: matters not deliberated; a refusal cites one of these. */
  exclude: z.array(DeliberationRule),
  updatedAt: Instant.nullable(),
})
export type DeliberationRules = z.infer<typeof DeliberationRules>

const RuleInput = z.strictObject({
  /** Keep the id of an existing rule; omit for a new one. */
  id: RuleId.optional(),
  name: text(30),
  explanation: text(300),
})
export const UpdateRulesBody = z.strictObject({
  deliberate: z.array(RuleInput).max(30),
  exclude: z.array(RuleInput).min(1, '至少保留一条不议规则').max(30),
  /** Omit to keep the current settings. */
  settings: z.strictObject(DeliberationSettings.shape).optional(),
})
export type UpdateRulesBody = z.infer<typeof UpdateRulesBody>

// ---- topics --------------------------------------------------------------------------------------

export const TopicStatus = z.enum(topicStatuses)
export const TopicStage = z.enum(topicStages)
export type TopicStatus = z.infer<typeof TopicStatus>
export type TopicStage = z.infer<typeof TopicStage>

export const TopicScopeInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('community') }),
  z.strictObject({ type: z.literal('courtyard'), courtyardId: Id }),
])

export const ProposeTopicBody = z.strictObject({
  /** Defaults to the proposer's own community (residents) or the only community in reach (staff). */
  communityId: Id.optional(),
  title: text(40, 4),
  description: text(2000, 10),
  /** Photo URLs or file ids, optional. */
  photos: z.array(z.string().trim().min(1).max(300)).max(6).default([]),
  scope: TopicScopeInput.default({ type: 'community' }),
})
export type ProposeTopicBody = z.infer<typeof ProposeTopicBody>

export const OptionKind = z.enum(['for', 'against', 'abstain', 'choice'])
export const VoteOption = z.object({ key: z.string(), label: z.string(), kind: OptionKind })
export type VoteOption = z.infer<typeof VoteOption>

export const BallotUnit = z.enum(['resident', 'household'])
export const ThresholdRule = z.enum(['majority', 'twoThirds'])

export const VotingConfig = z.object({
  options: z.array(VoteOption),
  ballotUnit: BallotUnit,
  opensAt: Instant,
  closesAt: Instant,
  quorumPercent: z.number().int(),
  threshold: ThresholdRule,
  countAbstentions: z.boolean(),
  /** Snapshotted when voting opens; null before. */
  eligibleUnits: z.number().int().nullable(),
})

export const TopicResult = z.object({
  options: z.array(VoteOption.extend({ count: z.number().int() })),
  eligibleUnits: z.number().int(),
  ballots: z.number().int(),
  onlineBallots: z.number().int(),
  offlineBallots: z.number().int(),
  validBallots: z.number().int(),
  turnoutPercent: z.number(),
  quorumPercent: z.number().int(),
  quorumMet: z.boolean(),
  threshold: ThresholdRule,
  countAbstentions: z.boolean(),
  leadingOption: z.string().nullable(),
  passed: z.boolean(),
  publishedAt: Instant,
})
export type TopicResult = z.infer<typeof TopicResult>

export const Milestone = z.object({
  id: Id,
  title: z.string(),
  note: z.string(),
  progress: z.number().int(),
  at: Instant,
})

export const TopicSummary = z.object({
  id: Id,
  communityId: Id,
  title: z.string(),
  status: TopicStatus,
  stage: TopicStage,
  scope: z.object({ type: z.enum(['community', 'courtyard']), courtyardId: Id.nullable(), name: z.string() }),
  /** Masked unless it is the caller. */
  proposerName: z.string(),
  proposerRole: z.enum(['resident', 'gridWorker', 'staff']),
  mine: z.boolean(),
  secondsCount: z.number().int(),
  /** 还差 N 人附议: seconds still needed before the topic goes to screening; 0 once promoted. */
  secondsNeeded: z.number().int(),
  /** Reached the community's 附议 threshold (or was proposed by staff): waiting for screening. */
  promoted: z.boolean(),
  commentsCount: z.number().int(),
  dayId: Id.nullable(),
  dayDate: z.string().nullable(),
  votingClosesAt: Instant.nullable(),
  progress: z.number().int(),
  createdAt: Instant,
})
export type TopicSummary = z.infer<typeof TopicSummary>

export const TopicComment = z.object({
  id: Id,
  authorName: z.string(),
  authorRole: z.enum(['resident', 'gridWorker', 'staff']),
  mine: z.boolean(),
  body: z.string(),
  createdAt: Instant,
})

export const HistoryEntry = z.object({
  at: Instant,
  action: z.string(),
  label: z.string(),
  note: z.string(),
})

export const TopicDetail = TopicSummary.extend({
  description: z.string(),
  photos: z.array(z.string()),
  screening: z
    .object({
      decision: z.enum(['accept', 'refuse', 'merge']),
      ruleId: z.string().nullable(),
      ruleName: z.string().nullable(),
      reason: z.string(),
      at: Instant,
    })
    .nullable(),
  mergedIntoId: Id.nullable(),
  voting: VotingConfig.nullable(),
  /** Only after the vote is closed. */
  result: TopicResult.nullable(),
  milestones: z.array(Milestone),
  rating: z.object({ count: z.number().int(), average: z.number().nullable() }),
  seconded: z.boolean(),
  myRating: z.number().int().nullable(),
  history: z.array(HistoryEntry),
  /** Latest comments first, at most 100. */
  comments: z.array(TopicComment),
})
export type TopicDetail = z.infer<typeof TopicDetail>

export const TopicListQuery = PageQuery.extend({
  communityId: Id.optional(),
  stage: TopicStage.optional(),
  status: TopicStatus.optional(),
  mine: QueryBool.optional(),
})

export const SecondResult = z.object({
  topicId: Id,
  secondsCount: z.number().int(),
  seconded: z.boolean(),
  secondsNeeded: z.number().int(),
  promoted: z.boolean(),
})

export const CommentBody = z.strictObject({ body: text(500) })

export const ScreenTopicBody = z.strictObject({
  decision: z.enum(['accept', 'refuse', 'merge']),
  /** Required when refusing: the id of the 不议 rule the topic falls under. */
  ruleId: RuleId.optional(),
  /** Required when refusing or merging. */
  reason: text(300).optional(),
  /** Required when merging. */
  intoTopicId: Id.optional(),
})
export type ScreenTopicBody = z.infer<typeof ScreenTopicBody>

export const VotingConfigInput = z.strictObject({
  /** Omit for 同意/反对/弃权. */
  options: z
    .array(z.strictObject({ label: text(20), kind: OptionKind }))
    .min(2)
    .max(10)
    .optional(),
  ballotUnit: BallotUnit.default('resident'),
  /** Default: the community's votingOpensDaysBefore the meeting (or now, if that has passed). */
  opensAt: Instant.optional(),
  /** Default: the end of the meeting. Never before the meeting starts. */
  closesAt: Instant.optional(),
  quorumPercent: z.number().int().min(0).max(100).default(50),
  threshold: ThresholdRule.default('majority'),
  countAbstentions: z.boolean().default(true),
})
export type VotingConfigInput = z.infer<typeof VotingConfigInput>

export const ScheduleTopicBody = z.strictObject({ dayId: Id, voting: VotingConfigInput })

export const CastVoteBody = z.strictObject({ choice: z.string().min(1).max(20) })

export const MyVote = z.object({
  topicId: Id,
  ballotUnit: BallotUnit,
  eligible: z.boolean(),
  /** The caller's own ballot (for a household topic, the household's); null if none yet. */
  choice: z.string().nullable(),
  channel: z.enum(['online', 'offline']).nullable(),
  changeable: z.boolean(),
})
export type MyVote = z.infer<typeof MyVote>

const OfflineUnit = z.strictObject({
  /** The resident found on the roll; on a household topic, their household's ballot. */
  userId: Id.optional(),
  /** For a household topic: the household's building, unit and room. */
  household: z.strictObject({ buildingId: Id, unit: text(10), room: text(10) }).optional(),
  choice: z.string().min(1).max(20),
})
export const OfflineBallotsBody = z.strictObject({ ballots: z.array(OfflineUnit).min(1).max(200) })

export const OfflineBallotsResult = z.object({
  recorded: z.number().int(),
  items: z.array(z.object({ index: z.number().int(), recorded: z.boolean(), code: z.string().nullable() })),
})

export const MilestoneBody = z.strictObject({
  title: text(60),
  note: text(500).optional(),
  progress: z.number().int().min(0).max(100),
})

export const RateBody = z.strictObject({
  stars: z.number().int().min(1).max(5),
  comment: text(300).optional(),
})
export const RatingResult = z.object({
  topicId: Id,
  stars: z.number().int(),
  count: z.number().int(),
  average: z.number().nullable(),
})

// ---- deliberation days ---------------------------------------------------------------------------

export const DayStatus = z.enum(['planned', 'inSession', 'concluded'])

export const CreateDayBody = z.strictObject({
  communityId: Id.optional(),
  /** Local date; defaults to the community's next deliberation day (the 20th unless configured). */
  date: LocalDate.optional(),
  time: LocalTime.default('19:00'),
  place: text(60),
})

export const DeliberationDay = z.object({
  id: Id,
  communityId: Id,
  date: z.string(),
  startsAt: Instant,
  place: z.string(),
  status: DayStatus,
  attendanceCount: z.number().int(),
  minutes: z
    .object({
      text: z.string(),
      /** What the meeting decided on each agenda topic. */
      decisions: z.array(z.object({ topicId: Id, title: z.string(), text: z.string() })),
      recordedAt: Instant,
    })
    .nullable(),
  /** The venue check-in code (QR payload), to staff only. */
  checkInCode: z.string().nullable(),
  checkedIn: z.boolean(),
  createdAt: Instant,
})
export type DeliberationDay = z.infer<typeof DeliberationDay>

export const DeliberationDayDetail = DeliberationDay.extend({ agenda: z.array(TopicSummary) })

export const DayListQuery = PageQuery.extend({
  communityId: Id.optional(),
  upcoming: QueryBool.optional(),
})

export const DayList = page(DeliberationDay).extend({
  /** The next default deliberation date of the community (local), whether or not a day is planned. */
  nextDate: z.string(),
  timezone: z.string(),
})

export const CheckInBody = z.strictObject({
  /** Scanned at the venue (self check-in). */
  code: z.string().min(4).max(64).optional(),
  /** Staff marking a resident present. */
  userId: Id.optional(),
})
export const CheckInResult = z.object({ dayId: Id, userId: Id, attendanceCount: z.number().int() })

export const MinutesBody = z.strictObject({
  text: text(5000),
  /** One decision per agenda topic (议定事项), optional. */
  decisions: z
    .array(z.strictObject({ topicId: Id, text: text(500) }))
    .max(30)
    .default([]),
  conclude: z.boolean().default(false),
})

// ---- operations ----------------------------------------------------------------------------------

const TopicParams = IdParams

export const deliberationOps = {
  getDeliberationRules: op({
    method: 'get',
    path: '/api/v1/communities/:id/deliberation-rules',
    summary: '社区议事规则（议 / 不议清单）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'community', reach: 'member', idIn: 'path' },
    params: IdParams,
    response: DeliberationRules,
  }),
  updateDeliberationRules: op({
    method: 'put',
    path: '/api/v1/communities/:id/deliberation-rules',
    summary: '修改社区议事规则（议 / 不议清单）',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'community', reach: 'staff', idIn: 'path' },
    params: IdParams,
    body: UpdateRulesBody,
    response: DeliberationRules,
  }),
  proposeTopic: op({
    method: 'post',
    path: '/api/v1/topics',
    summary: '提出议题（民事民提：认证居民、网格员、社区工作人员）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    body: ProposeTopicBody,
    response: TopicDetail,
    status: 201,
    idempotent: true,
  }),
  listTopics: op({
    method: 'get',
    path: '/api/v1/topics',
    summary: '议题列表（按阶段筛选：征集中、已排期、投票中、已决议、落实中）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    query: TopicListQuery,
    response: page(TopicSummary),
  }),
  getTopic: op({
    method: 'get',
    path: '/api/v1/topics/:id',
    summary: '议题详情（评论、进展、历程；投票结束后含结果）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    response: TopicDetail,
  }),
  secondTopic: op({
    method: 'post',
    path: '/api/v1/topics/:id/seconds',
    summary: '附议（每位居民一次）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    response: SecondResult,
    status: 201,
  }),
  withdrawTopic: op({
    method: 'post',
    path: '/api/v1/topics/:id/withdraw',
    summary: '撤回议题（提议人，审核前）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member', owner: true },
    params: TopicParams,
    response: TopicDetail,
  }),
  commentOnTopic: op({
    method: 'post',
    path: '/api/v1/topics/:id/comments',
    summary: '发表议论（民议）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    body: CommentBody,
    response: TopicComment,
    status: 201,
    idempotent: true,
  }),
  screenTopic: op({
    method: 'post',
    path: '/api/v1/topics/:id/screening',
    summary: '审核议题：受理、不予受理（须引用不议规则）或合并',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'topic', reach: 'staff' },
    params: TopicParams,
    body: ScreenTopicBody,
    response: TopicDetail,
  }),
  createDeliberationDay: op({
    method: 'post',
    path: '/api/v1/deliberation-days',
    summary: '安排议事日（默认下一个每月20日）',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateDayBody,
    response: DeliberationDayDetail,
    status: 201,
    idempotent: true,
  }),
  listDeliberationDays: op({
    method: 'get',
    path: '/api/v1/deliberation-days',
    summary: '议事日列表与下一个议事日日期',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'community', reach: 'member' },
    query: DayListQuery,
    response: DayList,
  }),
  getDeliberationDay: op({
    method: 'get',
    path: '/api/v1/deliberation-days/:id',
    summary: '议事日详情（地点、议程、签到人数、会议纪要）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'deliberationDay', reach: 'member' },
    params: IdParams,
    response: DeliberationDayDetail,
  }),
  scheduleTopic: op({
    method: 'post',
    path: '/api/v1/topics/:id/schedule',
    summary: '将议题排入议事日并设置投票规则',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'topic', reach: 'staff' },
    params: TopicParams,
    body: ScheduleTopicBody,
    response: TopicDetail,
  }),
  openVoting: op({
    method: 'post',
    path: '/api/v1/topics/:id/voting/open',
    summary: '开启投票（此刻锁定有投票资格的居民或户）',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'topic', reach: 'staff' },
    params: TopicParams,
    response: TopicDetail,
  }),
  castVote: op({
    method: 'put',
    path: '/api/v1/topics/:id/my-ballot',
    summary: '投票或改票（每人或每户一票，截止前可改）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    body: CastVoteBody,
    response: MyVote,
  }),
  getMyVote: op({
    method: 'get',
    path: '/api/v1/topics/:id/my-ballot',
    summary: '我的选票（仅本人可见）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    response: MyVote,
  }),
  closeVoting: op({
    method: 'post',
    path: '/api/v1/topics/:id/voting/close',
    summary: '结束投票并公布结果',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'topic', reach: 'staff' },
    params: TopicParams,
    response: TopicDetail,
  }),
  getTopicResult: op({
    method: 'get',
    path: '/api/v1/topics/:id/result',
    summary: '表决结果（票数、投票率、是否达到法定人数、是否通过；不含任何人的选择）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    response: TopicResult,
  }),
  recordOfflineBallots: op({
    method: 'post',
    path: '/api/v1/topics/:id/offline-ballots',
    summary: '录入现场（纸质）选票，已在线投票的不能重复录入',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'topic', reach: 'staff' },
    params: TopicParams,
    body: OfflineBallotsBody,
    response: OfflineBallotsResult,
  }),
  checkInDeliberationDay: op({
    method: 'post',
    path: '/api/v1/deliberation-days/:id/attendance',
    summary: '议事日签到（扫现场码，或工作人员代为登记）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'deliberationDay', reach: 'member' },
    params: IdParams,
    body: CheckInBody,
    response: CheckInResult,
    status: 201,
  }),
  recordMinutes: op({
    method: 'put',
    path: '/api/v1/deliberation-days/:id/minutes',
    summary: '记录会议纪要（可同时结束议事日）',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'deliberationDay', reach: 'staff' },
    params: IdParams,
    body: MinutesBody,
    response: DeliberationDayDetail,
  }),
  addTopicMilestone: op({
    method: 'post',
    path: '/api/v1/topics/:id/milestones',
    summary: '登记落实进展（民办）',
    tag: 'deliberation',
    access: staffRoles,
    scope: { kind: 'record', record: 'topic', reach: 'staff' },
    params: TopicParams,
    body: MilestoneBody,
    response: TopicDetail,
    status: 201,
  }),
  rateTopicOutcome: op({
    method: 'post',
    path: '/api/v1/topics/:id/rating',
    summary: '评价落实效果（民评，每位居民一次）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: TopicParams,
    body: RateBody,
    response: RatingResult,
    status: 201,
  }),
} as const
