import { Role, ScopeType } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/** One role a user holds within one scope (a community, grid, street, merchant, or everything). */
const membershipSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    role: { type: String, enum: Role.options, required: true },
    scopeType: { type: String, enum: ScopeType.options, required: true },
    scopeId: { type: Schema.Types.ObjectId, default: null },
    scopeName: { type: String, required: true },
  },
  { timestamps: true },
)
membershipSchema.index({ userId: 1, role: 1, scopeId: 1 }, { unique: true })
/** Who handles a scope (the workers of a grid or courtyard), oldest first. */
membershipSchema.index({ scopeId: 1, role: 1, createdAt: 1, _id: 1 })
// Who holds a role in a unit (a department's staff, a grid's workers).
membershipSchema.index({ scopeId: 1, role: 1 })

export type MembershipDoc = InferSchemaType<typeof membershipSchema>
export const Membership = mongoose.model('Membership', membershipSchema, 'memberships')
