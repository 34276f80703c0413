import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const { ObjectId } = Schema.Types

/**
 * The balance of one account of one resident: a cache of Σ ledger, changed only by a guarded `$inc`.
 * `pendingKeys`/`pendingOps` hold ledger keys whose `$inc` is applied but whose ledger entry may not
 * be written yet; the ledger repair rolls back any left behind by a crash.
 */
const balanceSchema = new Schema(
  {
    userId: { type: ObjectId, required: true },
    account: { type: String, enum: ['volunteer', 'community'], required: true },
    communityId: { type: ObjectId, default: null },
    balance: { type: Number, required: true, default: 0 },
    pendingKeys: { type: [String], default: [] },
    /** `<nonce>|<at ms>|<delta>|<key>`, one per op in flight. */
    pendingOps: { type: [String], default: [] },
  },
  { timestamps: true },
)
balanceSchema.index({ userId: 1, account: 1 }, { unique: true })
balanceSchema.index({ communityId: 1 })
/** The ledger repair reads only balances with an op in flight. */
balanceSchema.index({ pendingOps: 1 })
export type BalanceDoc = InferSchemaType<typeof balanceSchema> & { _id: mongoose.Types.ObjectId }
export const PointBalance = mongoose.model('PointBalance', balanceSchema, 'point_balances')

/** Append-only ledger: one entry per change, unique by its idempotency key. */
const ledgerSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    userId: { type: ObjectId, required: true },
    account: { type: String, enum: ['volunteer', 'community'], required: true },
    communityId: { type: ObjectId, default: null },
    delta: { type: Number, required: true },
    reason: { type: String, required: true },
    refType: { type: String, required: true },
    refId: { type: String, default: null },
    balanceAfter: { type: Number, required: true },
    /** Credits only: when what is left of them expires (oldest first). */
    expiresAt: { type: Date, default: null },
    /** Ties the entry to the `$inc` that produced it (see pendingOps). */
    nonce: { type: String, required: true },
    actorId: { type: ObjectId, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
)
// A resident's entries newest first (the account, when asked for, filters within).
ledgerSchema.index({ userId: 1, createdAt: -1, _id: -1 })
// Expiry reads only the credits that fell due, or were written, since its last pass.
ledgerSchema.index({ expiresAt: 1 })
ledgerSchema.index({ createdAt: 1 })
ledgerSchema.index({ communityId: 1, createdAt: 1 })
export type LedgerDoc = InferSchemaType<typeof ledgerSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const LedgerEntry = mongoose.model('PointLedgerEntry', ledgerSchema, 'point_ledger')

/** Per-community configuration of 双积分. */
const rulesSchema = new Schema(
  {
    communityId: { type: ObjectId, required: true, unique: true },
    accountNames: {
      volunteer: { type: String, default: '志愿积分' },
      community: { type: String, default: '社区积分' },
    },
    expiryYears: { type: Number, default: 1 },
    rules: {
      type: [
        {
          _id: false,
          eventType: String,
          account: String,
          points: Number,
          dailyCap: { type: Number, default: null },
          monthlyCap: { type: Number, default: null },
          enabled: Boolean,
        },
      ],
      default: [],
    },
  },
  { timestamps: true },
)
export const PointRulesModel = mongoose.model('PointRules', rulesSchema, 'point_rules')

/** Counters for daily/monthly caps, `_id` = `<userId>:<eventType>:<period>`; `keys` makes a take idempotent. */
const capSchema = new Schema({
  _id: { type: String },
  total: { type: Number },
  keys: { type: [String], default: undefined },
})
export const PointCap = mongoose.model('PointCap', capSchema, 'point_caps')

const hoursSchema = new Schema(
  {
    userId: { type: ObjectId, required: true, index: true },
    communityId: { type: ObjectId, required: true },
    activity: { type: String, required: true },
    date: { type: String, required: true },
    hours: { type: Number, required: true },
    status: { type: String, enum: ['pending', 'approved', 'rejected'], default: 'pending' },
    reviewReason: { type: String, default: null },
    reviewedBy: { type: ObjectId, default: null },
    reviewedAt: { type: Date, default: null },
    points: { type: Number, default: null },
  },
  { timestamps: true },
)
hoursSchema.index({ communityId: 1, status: 1, createdAt: 1 })
export type HoursDoc = InferSchemaType<typeof hoursSchema> & { _id: mongoose.Types.ObjectId }
export const VolunteerHoursModel = mongoose.model('VolunteerHours', hoursSchema, 'volunteer_hours')
