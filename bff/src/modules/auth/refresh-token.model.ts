import mongoose, { Schema } from 'mongoose'

/**
 * Refresh tokens are stored hashed. Each login starts a family; refreshing rotates the token within
 * the family, and presenting a rotated token again revokes the whole family (theft detection).
 */
const refreshTokenSchema = new Schema({
  _id: { type: String }, // sha256 of the token
  familyId: { type: String, required: true, index: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  expiresAt: { type: Date, required: true },
  rotatedAt: { type: Date, default: null },
  revokedAt: { type: Date, default: null },
  createdAt: { type: Date, default: () => new Date() },
})

export const RefreshToken = mongoose.model('RefreshToken', refreshTokenSchema, 'refresh_tokens')
