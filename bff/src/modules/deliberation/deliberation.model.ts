import {
  BallotUnit,
  DayStatus,
  defaultDeliberationSettings,
  OptionKind,
  ThresholdRule,
  TopicStatus,
} from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const { ObjectId } = Schema.Types

// ---- 议/不议 rules: one document per community ----------------------------------------------------

const ruleSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    explanation: { type: String, required: true },
    example: { type: Boolean, default: false },
  },
  { _id: false },
)
const ruleSetSchema = new Schema(
  {
    communityId: { type: ObjectId, required: true, unique: true },
    deliberate: { type: [ruleSchema], default: [] },
    exclude: { type: [ruleSchema], default: [] },
    settings: {
      type: new Schema(
        {
          secondsToPromote: { type: Number, default: defaultDeliberationSettings.secondsToPromote },
          votingOpensDaysBefore: { type: Number, default: defaultDeliberationSettings.votingOpensDaysBefore },
          meetingMinutes: { type: Number, default: defaultDeliberationSettings.meetingMinutes },
        },
        { _id: false },
      ),
      default: () => ({}),
    },
    updatedBy: { type: ObjectId, default: null },
  },
  { timestamps: true },
)
export const RuleSet = mongoose.model('DeliberationRuleSet', ruleSetSchema, 'deliberation_rules')

// ---- topics --------------------------------------------------------------------------------------

const historySchema = new Schema(
  {
    at: { type: Date, required: true },
    action: { type: String, required: true },
    note: { type: String, default: '' },
  },
  { _id: false },
)
const optionSchema = new Schema(
  {
    key: { type: String, required: true },
    label: { type: String, required: true },
    kind: { type: String, enum: OptionKind.options, required: true },
  },
  { _id: false },
)
const milestoneSchema = new Schema({
  title: { type: String, required: true },
  note: { type: String, default: '' },
  progress: { type: Number, required: true },
  at: { type: Date, required: true },
})
const resultSchema = new Schema(
  {
    counts: { type: Schema.Types.Mixed, required: true },
    eligibleUnits: Number,
    ballots: Number,
    onlineBallots: Number,
    offlineBallots: Number,
    validBallots: Number,
    turnoutPercent: Number,
    quorumMet: Boolean,
    leadingOption: { type: String, default: null },
    passed: Boolean,
    publishedAt: Date,
  },
  { _id: false },
)

const topicSchema = new Schema(
  {
    communityId: { type: ObjectId, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    photos: { type: [String], default: [] },
    scopeType: { type: String, enum: ['community', 'courtyard'], required: true },
    courtyardId: { type: ObjectId, default: null },
    scopeName: { type: String, required: true },
    proposerId: { type: ObjectId, required: true },
    proposerName: { type: String, required: true },
    proposerRole: { type: String, enum: ['resident', 'gridWorker', 'staff'], required: true },
    status: { type: String, enum: TopicStatus.options, default: 'proposed' },
    /** The community's 附议 threshold when the topic was proposed (a later change keeps old topics fair). */
    secondsToPromote: { type: Number, default: defaultDeliberationSettings.secondsToPromote },
    /** When the topic reached its threshold (or was proposed by staff / a grid worker): 进入审议. */
    promotedAt: { type: Date, default: null },
    screening: {
      type: new Schema(
        {
          decision: { type: String, enum: ['accept', 'refuse', 'merge'] },
          ruleId: { type: String, default: null },
          ruleName: { type: String, default: null },
          reason: { type: String, default: '' },
          by: ObjectId,
          at: Date,
        },
        { _id: false },
      ),
      default: null,
    },
    mergedIntoId: { type: ObjectId, default: null },
    dayId: { type: ObjectId, default: null },
    dayDate: { type: String, default: null },
    voting: {
      type: new Schema(
        {
          options: { type: [optionSchema], required: true },
          ballotUnit: { type: String, enum: BallotUnit.options, required: true },
          opensAt: { type: Date, required: true },
          closesAt: { type: Date, required: true },
          quorumPercent: { type: Number, required: true },
          threshold: { type: String, enum: ThresholdRule.options, required: true },
          countAbstentions: { type: Boolean, required: true },
          eligibleUnits: { type: Number, default: null },
          openedAt: { type: Date, default: null },
          closedAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    result: { type: resultSchema, default: null },
    progress: { type: Number, default: 0 },
    milestones: { type: [milestoneSchema], default: [] },
    history: { type: [historySchema], default: [] },
    /** `createdAt`'s UTC month (`YYYY-MM`): lists read a community's topics one month at a time. */
    month: { type: String, default: null },
    /**
     * Counters of its 附议, comments and ratings (stars summed), kept by topic.counts.ts so a list
     * reads no other collection; null on topics written before they existed, until backfilled.
     */
    secondCount: { type: Number, default: null },
    commentCount: { type: Number, default: null },
    ratingCount: { type: Number, default: null },
    ratingSum: { type: Number, default: null },
  },
  { timestamps: true },
)
// Lists page by (createdAt, _id) within a community and month (or, for one's own topics and until
// the month backfill is done, within the community), with or without a status filter.
topicSchema.index({ communityId: 1, month: 1, createdAt: -1, _id: -1 })
topicSchema.index({ communityId: 1, createdAt: -1, _id: -1 })
topicSchema.index({ communityId: 1, status: 1, createdAt: -1, _id: -1 })
topicSchema.index({ month: 1 })
topicSchema.index({ secondCount: 1 })
topicSchema.index({ dayId: 1 })
topicSchema.index({ status: 1, 'voting.opensAt': 1 })
topicSchema.index({ status: 1, 'voting.closesAt': 1 })

export type TopicDoc = InferSchemaType<typeof topicSchema> & { _id: mongoose.Types.ObjectId }
export const Topic = mongoose.model('DeliberationTopic', topicSchema, 'deliberation_topics')

/**
 * The months in which a community has topics (`<communityId>:<month>`), written before the topic
 * itself, so a list walks back only through months that hold some.
 */
const topicMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    communityId: { type: ObjectId, required: true },
    month: { type: String, required: true },
  },
  { versionKey: false },
)
topicMonthSchema.index({ communityId: 1, month: 1 })
export const TopicMonth = mongoose.model(
  'DeliberationTopicMonth',
  topicMonthSchema,
  'deliberation_topic_months',
)

/**
 * Topics whose counters a write may have left behind (by topic id): set before the write, with a
 * fresh `nonce` each time, removed by the sweeper once it has recounted the topic (topic.counts.ts).
 */
const topicRecountSchema = new Schema(
  {
    _id: { type: ObjectId, required: true },
    at: { type: Date, required: true },
    nonce: { type: String, required: true },
  },
  { versionKey: false },
)
topicRecountSchema.index({ at: 1 })
export const TopicRecount = mongoose.model(
  'DeliberationTopicRecount',
  topicRecountSchema,
  'deliberation_topic_recounts',
)

/** 附议: one per resident and topic (unique index). */
const secondSchema = new Schema(
  {
    topicId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
  },
  { timestamps: true },
)
secondSchema.index({ topicId: 1, userId: 1 }, { unique: true })
export const Second = mongoose.model('DeliberationSecond', secondSchema, 'deliberation_seconds')

const commentSchema = new Schema(
  {
    topicId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
    authorId: { type: ObjectId, required: true },
    authorName: { type: String, required: true },
    authorRole: { type: String, enum: ['resident', 'gridWorker', 'staff'], required: true },
    body: { type: String, required: true },
  },
  { timestamps: true },
)
commentSchema.index({ topicId: 1, createdAt: -1, _id: -1 })
commentSchema.index({ authorId: 1 })
export const Comment = mongoose.model('DeliberationComment', commentSchema, 'deliberation_comments')

/** 民评: one per resident and topic. */
const ratingSchema = new Schema(
  {
    topicId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
    stars: { type: Number, required: true },
    comment: { type: String, default: '' },
  },
  { timestamps: true },
)
ratingSchema.index({ topicId: 1, userId: 1 }, { unique: true })
export const Rating = mongoose.model('DeliberationRating', ratingSchema, 'deliberation_ratings')

// ---- voting --------------------------------------------------------------------------------------

/**
 * Who may vote on a topic: the verified residents of its scope when voting opened, each with the
 * unit (the person, or the household) whose ballot they cast. Unique per (topic, person).
 */
const electorSchema = new Schema({
  topicId: { type: ObjectId, required: true },
  userId: { type: ObjectId, required: true },
  unitKey: { type: String, required: true },
})
electorSchema.index({ topicId: 1, userId: 1 }, { unique: true })
export const Elector = mongoose.model('DeliberationElector', electorSchema, 'deliberation_electors')

/**
 * Ballots are insert-only versions, never updated (FerretDB over SQLite does not make guarded
 * updates atomic, but it does enforce unique indexes). A unit's n-th ballot has `seq` n; the unique
 * index (topicId, voterToken, seq) lets exactly one writer take each version, so concurrent casts of
 * one unit serialise, and offline ballots may only take version 1 (so they can never follow or
 * precede an online one). Closing appends one `seal` per unit after its last version, carrying that
 * final choice; `slot` (unique) allows one seal per unit, so the tally is a $group/$sum over seals.
 * A ballot holds no user id, household or timestamp (its `_id` is random, not an ObjectId): only
 * `voterToken`, an HMAC of the unit under a server-held secret.
 */
const ballotSchema = new Schema(
  {
    _id: { type: String, required: true },
    topicId: { type: ObjectId, required: true },
    voterToken: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, enum: ['vote', 'seal'], required: true },
    channel: { type: String, enum: ['online', 'offline', null], default: null },
    choice: { type: String, default: null },
    /** `vote:<_id>` for votes, `seal:<topicId>:<voterToken>` for the one seal of a unit. */
    slot: { type: String, required: true, unique: true },
  },
  { versionKey: false },
)
ballotSchema.index({ topicId: 1, voterToken: 1, seq: 1 }, { unique: true })
ballotSchema.index({ topicId: 1, kind: 1 })
export const Ballot = mongoose.model('DeliberationBallot', ballotSchema, 'deliberation_ballots')

/**
 * One-time steps of a topic (`triage:<id>`, `open:<id>`, `close:<id>`), claimed by inserting their
 * key: the unique _id makes each happen once even when two staff, or staff and the sweeper, race.
 * The claim records what was decided (the topic statuses it applies to, the fields to `$set`, the
 * history entry, and `detail` for the follow-ups), so if the claimant dies before writing the topic
 * the sweeper finishes it (steps.service.ts). `done` once the topic and follow-ups are written. Each
 * recovery attempt n is taken by inserting `<key>#<n>` (a lease, also arbitrated by the unique _id).
 */
const claimSchema = new Schema({
  _id: { type: String, required: true },
  at: { type: Date, default: () => new Date() },
  by: { type: ObjectId, default: null },
  topicId: { type: ObjectId, default: null },
  step: { type: String, enum: ['triage', 'open', 'close', null], default: null },
  from: { type: [String], default: [] },
  /** `$set` of the step as (path, value) pairs: paths like `voting.openedAt` cannot be keys. */
  set: {
    type: [new Schema({ path: { type: String, required: true }, value: Schema.Types.Mixed }, { _id: false })],
    default: [],
  },
  history: { type: historySchema, default: null },
  detail: { type: Schema.Types.Mixed, default: null },
  done: { type: Boolean, default: false },
  attempts: { type: Number, default: 0 },
})
claimSchema.index({ done: 1, at: 1 })
export type StepClaimDoc = InferSchemaType<typeof claimSchema>
export const StepClaim = mongoose.model('DeliberationStepClaim', claimSchema, 'deliberation_step_claims')

// ---- deliberation days ---------------------------------------------------------------------------

const daySchema = new Schema(
  {
    communityId: { type: ObjectId, required: true },
    date: { type: String, required: true },
    startsAt: { type: Date, required: true },
    place: { type: String, required: true },
    status: { type: String, enum: DayStatus.options, default: 'planned' },
    checkInCode: { type: String, required: true },
    attendanceCount: { type: Number, default: 0 },
    minutes: {
      type: new Schema(
        {
          text: String,
          decisions: {
            type: [new Schema({ topicId: ObjectId, title: String, text: String }, { _id: false })],
            default: [],
          },
          recordedAt: Date,
          recordedBy: ObjectId,
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true },
)
daySchema.index({ communityId: 1, date: 1 }, { unique: true })
export type DayDoc = InferSchemaType<typeof daySchema> & { _id: mongoose.Types.ObjectId }
export const Day = mongoose.model('DeliberationDay', daySchema, 'deliberation_days')

/** One check-in per person and day (unique index). */
const attendanceSchema = new Schema(
  {
    dayId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
    via: { type: String, enum: ['scan', 'staff'], required: true },
    markedBy: { type: ObjectId, default: null },
  },
  { timestamps: true },
)
attendanceSchema.index({ dayId: 1, userId: 1 }, { unique: true })
export const Attendance = mongoose.model(
  'DeliberationAttendance',
  attendanceSchema,
  'deliberation_attendance',
)
