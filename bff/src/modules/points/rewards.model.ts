import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const { ObjectId } = Schema.Types

/**
 * A reward (礼遇) of a partner merchant. `stock` changes only by guarded `$inc`; `stockTakers` and
 * `stockReturns` record which redemption took or gave back a unit, so taking and returning are each
 * a single idempotent update and the stock reconciles: stock = stockTotal − takers + returns.
 */
const rewardSchema = new Schema(
  {
    communityId: { type: ObjectId, required: true },
    merchantId: { type: ObjectId, required: true, index: true },
    merchantName: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    imageUrl: { type: String, default: null },
    cost: { type: Number, required: true },
    account: { type: String, enum: ['volunteer', 'community'], required: true },
    stock: { type: Number, required: true },
    stockTotal: { type: Number, required: true },
    stockTakers: { type: [String], default: [] },
    stockReturns: { type: [String], default: [] },
    perResidentLimit: { type: Number, required: true },
    validFrom: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    voucherDays: { type: Number, required: true },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
)
rewardSchema.index({ communityId: 1, createdAt: 1, _id: 1 })
export type RewardDoc = InferSchemaType<typeof rewardSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const Reward = mongoose.model('Reward', rewardSchema, 'rewards')

/**
 * The intent of one redemption, recorded before anything is spent (saga state machine).
 * `limitSlot` is `<rewardId>:<userId>:<n>` while it counts towards the per-resident limit (unique, so
 * the limit holds under concurrency) and the doc's own id once released. `requestKey` makes a
 * retried request (same Idempotency-Key) find the same redemption.
 */
const redemptionSchema = new Schema(
  {
    userId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
    rewardId: { type: ObjectId, required: true },
    merchantId: { type: ObjectId, required: true },
    account: { type: String, required: true },
    cost: { type: Number, required: true },
    state: {
      type: String,
      enum: ['started', 'charged', 'stocked', 'completed', 'undoing', 'undone'],
      default: 'started',
    },
    limitSlot: { type: String, required: true, unique: true },
    requestKey: { type: String, required: true, unique: true },
    voucherId: { type: ObjectId, default: null },
    failure: { type: String, default: null },
    lockedUntil: { type: Date, default: null },
  },
  { timestamps: true },
)
redemptionSchema.index({ state: 1, updatedAt: 1 })
export type RedemptionDoc = InferSchemaType<typeof redemptionSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
  updatedAt: Date
}
export const Redemption = mongoose.model('Redemption', redemptionSchema, 'redemptions')

const voucherSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    redemptionId: { type: ObjectId, required: true, unique: true },
    rewardId: { type: ObjectId, required: true },
    merchantId: { type: ObjectId, required: true },
    merchantName: { type: String, required: true },
    communityId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    holderName: { type: String, default: '' },
    title: { type: String, required: true },
    cost: { type: Number, required: true },
    account: { type: String, required: true },
    status: { type: String, enum: ['issued', 'redeemed', 'cancelled', 'expired'], default: 'issued' },
    expiresAt: { type: Date, required: true },
    redeemedAt: { type: Date, default: null },
    redeemedBy: { type: ObjectId, default: null },
    cancelledAt: { type: Date, default: null },
    /** Set once points and stock of a cancelled or expired voucher are back. */
    returnedAt: { type: Date, default: null },
  },
  { timestamps: true },
)
voucherSchema.index({ userId: 1, createdAt: -1, _id: -1 })
voucherSchema.index({ merchantId: 1, status: 1, redeemedAt: 1 })
voucherSchema.index({ status: 1, expiresAt: 1 })
/** Returns a crash interrupted: cancelled or expired vouchers not returned yet. */
voucherSchema.index({ status: 1, returnedAt: 1, updatedAt: 1 })
export type VoucherDoc = InferSchemaType<typeof voucherSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
  updatedAt: Date
}
export const Voucher = mongoose.model('Voucher', voucherSchema, 'vouchers')
