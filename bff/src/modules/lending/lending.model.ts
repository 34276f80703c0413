import { LoanStatus } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const { ObjectId } = Schema.Types

/**
 * A shared item kept at a 生活驿站. `available` is changed only by guarded updates together with
 * `takers` (the loans holding a unit), so a take or a give-back happens once per loan and the stock
 * reconciles: available = stock − takers.length.
 */
const itemSchema = new Schema(
  {
    communityId: { type: ObjectId, required: true },
    station: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    photos: { type: [String], default: [] },
    stock: { type: Number, required: true },
    available: { type: Number, required: true },
    takers: { type: [ObjectId], default: [] },
    loanDays: { type: Number, default: 7 },
    enabled: { type: Boolean, default: true },
    createdBy: { type: ObjectId, required: true },
  },
  { timestamps: true },
)
itemSchema.index({ communityId: 1, createdAt: 1 })

export type ItemDoc = InferSchemaType<typeof itemSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date }
export const ItemModel = mongoose.model('SharedItem', itemSchema, 'shared_items')

/**
 * One loan: claiming (intent) → reserved → pickedUp → returned, or reserved → cancelled | expired.
 * `activeKey` is `<itemId>:<userId>` while the loan is open and the loan's own id after, under a
 * unique index: one open loan per person and item without a partial index.
 */
const loanSchema = new Schema(
  {
    itemId: { type: ObjectId, required: true },
    itemName: { type: String, required: true },
    station: { type: String, required: true },
    communityId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    borrowerName: { type: String, required: true },
    status: { type: String, enum: ['claiming', ...LoanStatus.options], required: true },
    activeKey: { type: String, required: true, unique: true },
    /** Shown by the borrower at the desk; unique so a scan finds one loan. */
    code: { type: String, required: true, unique: true },
    loanDays: { type: Number, required: true },
    pickUpBy: { type: Date, required: true },
    pickedUpAt: { type: Date, default: null },
    dueAt: { type: Date, default: null },
    returnedAt: { type: Date, default: null },
    /** Set once, by whichever comes first: the sweeper finding it overdue or a late return. */
    overdueAt: { type: Date, default: null },
    remindedAt: { type: Date, default: null },
    /** When the unit went back on the shelf (returned, cancelled, expired), for repair. */
    releasedAt: { type: Date, default: null },
  },
  { timestamps: true },
)
loanSchema.index({ userId: 1, createdAt: -1, _id: -1 })
loanSchema.index({ communityId: 1, createdAt: -1, _id: -1 })
loanSchema.index({ status: 1, dueAt: 1 })
loanSchema.index({ status: 1, pickUpBy: 1 })
loanSchema.index({ status: 1, releasedAt: 1, updatedAt: 1 })
loanSchema.index({ userId: 1, communityId: 1, overdueAt: 1 })

export type LoanDoc = InferSchemaType<typeof loanSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
  updatedAt: Date
}
export const LoanModel = mongoose.model('Loan', loanSchema, 'shared_item_loans')

/** A resident's borrowing suspension in one community after repeated late returns. */
const suspensionSchema = new Schema(
  {
    _id: { type: String }, // `<userId>:<communityId>`
    until: { type: Date, required: true },
    overdue: { type: Number, default: 0 },
  },
  { timestamps: true },
)
export const LendingSuspension = mongoose.model('LendingSuspension', suspensionSchema, 'lending_suspensions')
