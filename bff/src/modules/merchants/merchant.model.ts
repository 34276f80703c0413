import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/** A partner merchant (合作商家) of a community; its staff hold the `merchant` role scoped to it. */
const merchantSchema = new Schema(
  {
    name: { type: String, required: true },
    communityId: { type: Schema.Types.ObjectId, required: true, index: true },
    address: { type: String, default: '' },
    phone: { type: String, default: '' },
    description: { type: String, default: '' },
    active: { type: Boolean, default: true },
    /** Users onboarded as this merchant's staff (each also holds a `merchant` membership). */
    staffUserIds: { type: [Schema.Types.ObjectId], default: [] },
    createdBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
)
merchantSchema.index({ communityId: 1, name: 1 }, { unique: true })

export type MerchantDoc = InferSchemaType<typeof merchantSchema> & { _id: mongoose.Types.ObjectId }
export const Merchant = mongoose.model('Merchant', merchantSchema, 'merchants')
