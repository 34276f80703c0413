import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/** Append-only record of every staff action (and staff reads of personal data). */
const auditSchema = new Schema({
  actorId: { type: Schema.Types.ObjectId, required: true },
  actorName: { type: String, required: true },
  action: { type: String, required: true },
  targetType: { type: String, required: true },
  targetId: { type: String, required: true },
  communityId: { type: Schema.Types.ObjectId, default: null },
  /** The person the action concerns (a resident awarded points, a claimant), if any. */
  subjectUserId: { type: Schema.Types.ObjectId, default: null },
  /** Human name of what was acted on: a topic's title, a resident's masked name, a need's number. */
  subjectName: { type: String, default: '' },
  detail: { type: Schema.Types.Mixed, default: {} },
  createdAt: { type: Date, default: () => new Date() },
})
auditSchema.index({ communityId: 1, createdAt: -1 })
auditSchema.index({ createdAt: -1 })
auditSchema.index({ actorId: 1, createdAt: -1 })
auditSchema.index({ subjectUserId: 1, createdAt: -1 })
auditSchema.index({ targetId: 1 })

export type AuditDoc = InferSchemaType<typeof auditSchema> & { _id: mongoose.Types.ObjectId }
export const Audit = mongoose.model('Audit', auditSchema, 'audit_log')
