import { ClaimStatus } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const claimSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    streetId: { type: Schema.Types.ObjectId, required: true },
    communityId: { type: Schema.Types.ObjectId, required: true },
    gridId: { type: Schema.Types.ObjectId, required: true },
    courtyardId: { type: Schema.Types.ObjectId, required: true },
    buildingId: { type: Schema.Types.ObjectId, required: true },
    communityName: { type: String, required: true },
    courtyardName: { type: String, required: true },
    buildingName: { type: String, required: true },
    unit: { type: String, required: true },
    room: { type: String, required: true },
    realName: { type: String, required: true },
    phone: { type: String, required: true },
    status: { type: String, enum: ClaimStatus.options, default: 'pending' },
    reviewReason: { type: String, default: null },
    reviewedBy: { type: Schema.Types.ObjectId, default: null },
    reviewedAt: { type: Date, default: null },
    /**
     * `pending:<userId>` while pending, the claim's own id once reviewed: the unique index makes a
     * second pending claim of one user impossible even under concurrent submits.
     */
    slot: { type: String, required: true, unique: true },
  },
  { timestamps: true },
)
claimSchema.index({ communityId: 1, status: 1, createdAt: 1, _id: 1 })
claimSchema.index({ userId: 1, createdAt: -1 })
/** The residency sync reads the claims reviewed lately. */
claimSchema.index({ reviewedAt: 1 })

export type ClaimDoc = InferSchemaType<typeof claimSchema> & { _id: mongoose.Types.ObjectId }
export const ResidencyClaim = mongoose.model('ResidencyClaim', claimSchema, 'residency_claims')
