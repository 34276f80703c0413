import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/** A 通知公告 to the verified residents of one org unit (community, grid, courtyard or building). */
const noticeSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    /** The audience unit and its ancestors, so publishers' lists filter without joins. */
    gridId: { type: Schema.Types.ObjectId, default: null },
    courtyardId: { type: Schema.Types.ObjectId, default: null },
    audienceLevel: { type: String, enum: ['community', 'grid', 'courtyard', 'building'], required: true },
    audienceId: { type: Schema.Types.ObjectId, required: true },
    audienceName: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    requireConfirm: { type: Boolean, default: false },
    confirmBy: { type: Date, default: null },
    publisherId: { type: Schema.Types.ObjectId, required: true },
    publisherName: { type: String, required: true },
    /** Set once every resident of the audience has its inbox entry (the sweeper finishes it otherwise). */
    fannedOutAt: { type: Date, default: null },
  },
  { timestamps: true },
)
noticeSchema.index({ audienceId: 1, createdAt: -1 })
noticeSchema.index({ communityId: 1, createdAt: -1 })
noticeSchema.index({ gridId: 1, createdAt: -1 })
noticeSchema.index({ courtyardId: 1, createdAt: -1 })
noticeSchema.index({ fannedOutAt: 1, createdAt: 1 })

export type NoticeDoc = InferSchemaType<typeof noticeSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const NoticeModel = mongoose.model('Notice', noticeSchema, 'notices')

/**
 * One resident's receipt of a notice: read on first open, confirmed on 收到. Unique per notice and
 * resident, and each flips once under a guard, so the counts (index-backed counts of receipts) stay
 * exact however many residents confirm at once and however often one taps.
 */
const receiptSchema = new Schema(
  {
    noticeId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    readAt: { type: Date, required: true },
    confirmedAt: { type: Date, default: null },
  },
  { versionKey: false },
)
receiptSchema.index({ noticeId: 1, userId: 1 }, { unique: true })
receiptSchema.index({ noticeId: 1, confirmedAt: 1 })

export const NoticeReceipt = mongoose.model('NoticeReceipt', receiptSchema, 'notice_receipts')
