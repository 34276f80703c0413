import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/**
 * A family binding (代办): the member may act for the elder once both sides confirmed — the side
 * that asks gets a one-time code, the other side types it. Either side may revoke it.
 * `code` stays unique after use (it is replaced by `done:<id>`), since sparse indexes are not used.
 */
const familyBindingSchema = new Schema(
  {
    elderId: { type: Schema.Types.ObjectId, default: null },
    memberId: { type: Schema.Types.ObjectId, default: null },
    initiator: { type: String, enum: ['elder', 'member'], required: true },
    status: { type: String, enum: ['pending', 'active', 'revoked'], default: 'pending' },
    code: { type: String, required: true, unique: true },
    codeExpiresAt: { type: Date, required: true },
    activeSince: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
)
familyBindingSchema.index({ elderId: 1, status: 1 })
familyBindingSchema.index({ memberId: 1, status: 1 })

export type FamilyBindingDoc = InferSchemaType<typeof familyBindingSchema> & { _id: mongoose.Types.ObjectId }
export const FamilyBindingModel = mongoose.model('FamilyBinding', familyBindingSchema, 'family_bindings')
