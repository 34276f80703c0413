import { NeedLevel, NeedStatus, NeedTimer, NeedUrgency } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/** A category of needs in one community, with SLA timers (minutes) per urgency. */
const timersSchema = new Schema(
  {
    acceptMinutes: { type: Number, required: true },
    replyMinutes: { type: Number, required: true },
    resolveMinutes: { type: Number, required: true },
  },
  { _id: false },
)
const categorySchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    defaultLevel: { type: String, enum: NeedLevel.options, default: 'courtyard' },
    sla: {
      normal: { type: timersSchema, required: true },
      urgent: { type: timersSchema, required: true },
      emergency: { type: timersSchema, required: true },
    },
    active: { type: Boolean, default: true },
    sortOrder: { type: Number, default: 0 },
  },
  { timestamps: true },
)
categorySchema.index({ communityId: 1, key: 1 }, { unique: true })
export type CategoryDoc = InferSchemaType<typeof categorySchema> & { _id: mongoose.Types.ObjectId }
export const NeedCategory = mongoose.model('NeedCategory', categorySchema, 'need_categories')

/** One step of a need's life, embedded so it is written in the same atomic update as the status. */
const timelineSchema = new Schema({
  at: { type: Date, required: true },
  kind: { type: String, required: true },
  actorId: { type: Schema.Types.ObjectId, default: null },
  actorRole: { type: String, enum: ['resident', 'handler', 'system'], required: true },
  actorName: { type: String, default: '' },
  note: { type: String, default: '' },
  public: { type: Boolean, default: true },
  status: { type: String, enum: NeedStatus.options, required: true },
  level: { type: String, enum: NeedLevel.options, required: true },
  photoIds: { type: [Schema.Types.ObjectId], default: [] },
})

/** The stat counters, kept on each need and copied onto its facts document. */
const statPaths = {
  counted: { type: Number, default: 0 },
  acceptedOnTime: { type: Number, default: 0 },
  resolvedKept: { type: Number, default: 0 },
  rated: { type: Number, default: 0 },
  satisfied: { type: Number, default: 0 },
  acceptCount: { type: Number, default: 0 },
  acceptMinutes: { type: Number, default: 0 },
  resolveCount: { type: Number, default: 0 },
  resolveMinutes: { type: Number, default: 0 },
}

const needSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    streetId: { type: Schema.Types.ObjectId, default: null },
    gridId: { type: Schema.Types.ObjectId, default: null },
    courtyardId: { type: Schema.Types.ObjectId, default: null },
    buildingId: { type: Schema.Types.ObjectId, default: null },
    categoryId: { type: Schema.Types.ObjectId, required: true },
    categoryName: { type: String, required: true },
    /** Human number `FY-YYYYMMDD-NNNN` (needs.numbers.ts), unique per community. */
    no: { type: String, required: true },
    /** null for requests from a city platform through Open311. */
    reporterId: { type: Schema.Types.ObjectId, default: null },
    reporterName: { type: String, default: '' },
    contactPhone: { type: String, default: null },
    source: { type: String, enum: ['app', 'open311'], default: 'app' },
    /**
     * Filed by a grid worker or staff (代办) for `reporterId`, or as a public matter of a courtyard
     * (no reporter): who filed it, how it was found and how the resident agreed.
     */
    filedBy: {
      type: new Schema(
        {
          userId: { type: Schema.Types.ObjectId, required: true },
          name: { type: String, required: true },
          source: { type: String, enum: ['patrol', 'phone', 'visit'], required: true },
          consentMethod: { type: String, default: null },
          consentNote: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    title: { type: String, required: true },
    description: { type: String, required: true },
    location: { type: String, default: '' },
    urgency: { type: String, enum: NeedUrgency.options, required: true },
    photoIds: { type: [Schema.Types.ObjectId], default: [] },
    status: { type: String, enum: NeedStatus.options, required: true },
    level: { type: String, enum: NeedLevel.options, required: true },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    assigneeName: { type: String, default: null },
    /** The running timer and its deadline; `queueAt` is the deadline or the far future, for ordering. */
    timer: { type: String, enum: [...NeedTimer.options, null], default: null },
    deadlineAt: { type: Date, default: null },
    queueAt: { type: Date, required: true },
    /** SLA snapshot taken at submission (a later catalogue edit does not move running timers). */
    sla: { type: Schema.Types.Mixed, required: true },
    acceptDueAt: { type: Date, required: true },
    /** When it should be resolved: submission (or the last reopen) + the resolve timer. */
    resolveDueAt: { type: Date, default: null },
    firstReplyAt: { type: Date, default: null },
    acceptedAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    referredTo: { type: String, default: null },
    duplicateOf: { type: Schema.Types.ObjectId, default: null },
    duplicates: { type: [Schema.Types.ObjectId], default: [] },
    rating: { type: Number, default: null },
    ratingComment: { type: String, default: null },
    reopenCount: { type: Number, default: 0 },
    /** Optimistic concurrency: every change is guarded on and bumps this revision. */
    rev: { type: Number, default: 0 },
    timeline: { type: [timelineSchema], default: [] },
    /**
     * Counters kept as 0/1 and minutes as events happen, so stats are `$sum`s only:
     * counted (not withdrawn/duplicate), accepted within the first accept timer, resolved and never
     * reopened, rated, rated 4–5, first accept and first resolve minutes.
     */
    stat: { ...statPaths, counted: { type: Number, default: 1 } },
  },
  { timestamps: true },
)
// The handling queue: a grid worker's grid, a courtyard worker's courtyard, staff's communities.
needSchema.index({ communityId: 1, status: 1, queueAt: 1, _id: 1 })
needSchema.index({ gridId: 1, status: 1, queueAt: 1, _id: 1 })
needSchema.index({ courtyardId: 1, status: 1, queueAt: 1, _id: 1 })
needSchema.index({ status: 1, deadlineAt: 1 })
needSchema.index({ reporterId: 1, createdAt: -1, _id: -1 })
needSchema.index({ buildingId: 1, categoryId: 1, createdAt: -1 })
needSchema.index({ communityId: 1, createdAt: 1 })
needSchema.index({ communityId: 1, no: 1 }, { unique: true })
// Account deletion finds the entries a person wrote as a handler.
needSchema.index({ 'timeline.actorId': 1 })
needSchema.index({ updatedAt: 1 })
needSchema.index({ streetId: 1, status: 1, deadlineAt: 1 })

export type NeedDoc = InferSchemaType<typeof needSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
  updatedAt: Date
}
export const Need = mongoose.model('Need', needSchema, 'needs')

/**
 * Derived data: one compact document per need (same `_id`) with what the stats read, so stats do
 * not decode whole needs and their timelines. Rewritten in full after every write of the need
 * (idempotent); the needs sweeper repairs one a crash left behind (see needs.facts.ts).
 */
const factSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    streetId: { type: Schema.Types.ObjectId, default: null },
    gridId: { type: Schema.Types.ObjectId, default: null },
    categoryId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** `createdAt`'s UTC month (`YYYY-MM`): stats read a range as one equality per month. */
    month: { type: String, default: null },
    /** `createdAt`'s date (`YYYY-MM-DD`) in the community's time zone; null until backfilled. */
    day: { type: String, default: null },
    ...statPaths,
  },
  { versionKey: false },
)
factSchema.index({ communityId: 1, month: 1 })
factSchema.index({ gridId: 1, month: 1 })
factSchema.index({ streetId: 1, month: 1 })
// By range: the street cockpit, and stats until the `month` backfill is done (see needs.facts.ts).
factSchema.index({ communityId: 1, createdAt: 1 })
factSchema.index({ gridId: 1, createdAt: 1 })
factSchema.index({ streetId: 1, createdAt: 1 })
factSchema.index({ month: 1 })
// The facts of one day of a community, for its day sums (needs.days.ts); `day` leads, as the embedded
// engine indexes only the leading field for equalities and a day holds far fewer facts than a community.
factSchema.index({ day: 1, communityId: 1 })
export const NeedFact = mongoose.model('NeedFact', factSchema, 'need_facts')

/**
 * A 吹哨: a department summoned to report in (报到) by `dueAt`. Its own document, so each step of
 * the department (report in, resolve, hand back) is one guarded update on `state`, a missed
 * report-in is flagged once (`overdueAt`) and then raised to the street once (`escalatedAt`); it is
 * also the compact fact the per-department rates are summed from.
 */
const whistleSchema = new Schema(
  {
    needId: { type: Schema.Types.ObjectId, required: true },
    communityId: { type: Schema.Types.ObjectId, required: true },
    streetId: { type: Schema.Types.ObjectId, default: null },
    departmentId: { type: Schema.Types.ObjectId, default: null },
    department: { type: String, required: true },
    level: { type: String, enum: [...NeedLevel.options, null], default: null },
    state: { type: String, enum: ['summoned', 'reportedIn', 'resolved', 'handedBack'], default: 'summoned' },
    byId: { type: Schema.Types.ObjectId, required: true },
    dueAt: { type: Date, required: true },
    reportedAt: { type: Date, default: null },
    reportedBy: { type: Schema.Types.ObjectId, default: null },
    reportNote: { type: String, default: null },
    overdueAt: { type: Date, default: null },
    escalatedAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    handedBackAt: { type: Date, default: null },
    handBackReason: { type: String, default: null },
  },
  { timestamps: true },
)
whistleSchema.index({ needId: 1, createdAt: 1 })
whistleSchema.index({ reportedAt: 1, overdueAt: 1, dueAt: 1 })
whistleSchema.index({ overdueAt: 1, escalatedAt: 1 })
whistleSchema.index({ departmentId: 1, state: 1, dueAt: 1 })
whistleSchema.index({ streetId: 1, createdAt: 1 })
export type WhistleDoc = InferSchemaType<typeof whistleSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const NeedWhistle = mongoose.model('NeedWhistle', whistleSchema, 'need_whistles')

/**
 * Write claims. FerretDB v1.24 (SQLite) runs findAndModify/update as read-modify-write without
 * re-checking the filter, so two guarded updates racing can both "win" (and lose each other's
 * changes). A unique `_id` insert is atomic on every engine, so each change of a need first claims
 * `<needId>:<rev>` (or another one-off key, e.g. a whistle's report-in); only the claimer writes.
 */
const claimSchema = new Schema({
  _id: { type: String, required: true },
  at: { type: Date, required: true },
})
export const NeedClaim = mongoose.model('NeedClaim', claimSchema, 'need_claims')
