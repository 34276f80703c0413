import { ResidencyStatus } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const residencySchema = new Schema(
  {
    status: { type: String, enum: ResidencyStatus.options, default: 'none' },
    communityId: { type: Schema.Types.ObjectId, default: null },
    gridId: { type: Schema.Types.ObjectId, default: null },
    courtyardId: { type: Schema.Types.ObjectId, default: null },
    buildingId: { type: Schema.Types.ObjectId, default: null },
    /** building + unit + room, so one household (一户) is one key. */
    householdKey: { type: String, default: null },
    claimId: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
)

const userSchema = new Schema(
  {
    /** WeChat openid, or `dev:<handle>` for dev logins. */
    openid: { type: String, required: true, unique: true },
    nickname: { type: String, required: true },
    /**
     * Kept for decrypting WeChat payloads later; never leaves the BFF (responses are built from
     * response schemas, which do not have it). Not `select: false`: FerretDB refuses findAndModify
     * with a projection.
     */
    wechatSessionKey: { type: String },
    residency: { type: residencySchema, default: () => ({}) },
    /** Token families signed out or revoked, `<family>|<until ms>`, kept until their access tokens expire. */
    revokedFamilies: { type: [String], default: [] },
  },
  { timestamps: true },
)

// Residents of an org unit (notice audiences, a grid worker's residents): one index per level.
for (const level of ['communityId', 'gridId', 'courtyardId', 'buildingId'])
  userSchema.index({ [`residency.${level}`]: 1, 'residency.status': 1 })

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId }
export const User = mongoose.model('User', userSchema, 'users')
