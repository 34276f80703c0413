import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/**
 * One message in a user's in-app inbox (我的消息). `dedupeKey` is unique, so an event that is
 * processed twice (two sweepers, a retry) still notifies once.
 */
const notificationSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    communityId: { type: Schema.Types.ObjectId, default: null },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    /** A mini-program page path to open, e.g. `/packages/booking/detail/index?id=…`. */
    link: { type: String, default: null },
    dedupeKey: { type: String, required: true, unique: true },
    readAt: { type: Date, default: null },
  },
  { timestamps: true },
)
notificationSchema.index({ userId: 1, createdAt: -1, _id: -1 })

export type NotificationDoc = InferSchemaType<typeof notificationSchema> & { _id: mongoose.Types.ObjectId }
export const Notification = mongoose.model('Notification', notificationSchema, 'notifications')

/**
 * Outbox of WeChat subscribe messages, written with the inbox entry and sent by a sweeper with
 * retries; `state` moves pending → sending → sent | failed under a guard, so a message is sent once.
 */
const outboxSchema = new Schema(
  {
    _id: { type: String }, // the notification's dedupeKey
    userId: { type: Schema.Types.ObjectId, required: true },
    template: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    page: { type: String, default: null },
    state: { type: String, enum: ['pending', 'sending', 'sent', 'failed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: () => new Date() },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { timestamps: true },
)
outboxSchema.index({ state: 1, nextAttemptAt: 1 })

export const Outbox = mongoose.model('Outbox', outboxSchema, 'notification_outbox')
