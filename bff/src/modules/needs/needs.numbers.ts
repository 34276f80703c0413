import { needNumber, zoneDate } from '@linli/shared-types'
import mongoose, { type Types } from 'mongoose'
import { isDuplicateKey } from '../../platform/http/problem'

/**
 * One counter per community and local day, `_id` `<communityId>:<YYYY-MM-DD>` (unique), moved by
 * `$inc` only: each need takes the next value, so numbers are distinct under any concurrency.
 */
const counterSchema = new mongoose.Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
)
const NeedCounter = mongoose.model('NeedCounter', counterSchema, 'need_counters')

/** The next human number of a community's need submitted at `at` (its local date in `tz`). */
export async function nextNeedNumber(communityId: Types.ObjectId | string, at: Date, tz: string) {
  const date = zoneDate(at, tz)
  const _id = `${communityId}:${date}`
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await NeedCounter.findOneAndUpdate(
        { _id },
        { $inc: { seq: 1 } },
        { upsert: true, new: true },
      ).lean()
      return needNumber(date, counter!.seq)
    } catch (error) {
      // Two first needs of a day upserting at once: the loser retries as an increment.
      if (!isDuplicateKey(error) || attempt >= 3) throw error
    }
  }
}
