import { ConsentPurpose } from '@linli/shared-types'
import mongoose, { Schema } from 'mongoose'

/**
 * A person's agreement to a version of the 个人信息处理规则 for one purpose, written before the
 * personal data it covers. Holds no personal value, so it outlives account deletion as the record
 * that processing had a lawful basis.
 */
const consentSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    purpose: { type: String, enum: ConsentPurpose.options, required: true },
    version: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
)
consentSchema.index({ userId: 1, at: 1 })
export const ConsentRecord = mongoose.model('Consent', consentSchema, 'consents')

export async function recordConsent(userId: string, purpose: ConsentPurpose, version: string): Promise<void> {
  await ConsentRecord.create({ userId, purpose, version, at: new Date() })
}

export async function consentsOf(userId: string) {
  const rows = await ConsentRecord.find({ userId }).sort({ at: 1 }).lean()
  return rows.map((c) => ({
    purpose: c.purpose as ConsentPurpose,
    version: c.version,
    at: c.at.toISOString(),
  }))
}
