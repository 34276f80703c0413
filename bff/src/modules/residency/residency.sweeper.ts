import type { Sweeper } from '../../jobs/sweepers'
import { User } from '../auth/user.model'
import { ResidencyClaim } from './claim.model'
import { applyToUser } from './residency.service'

/**
 * A review is two writes (claim, then user). If the process dies between them, the claim is reviewed
 * but the user's residency is stale; this finds recent reviews not carried over and finishes them.
 */
export const residencySweeper: Sweeper = {
  name: 'residency-sync',
  everyMs: 60_000,
  async run(_deps, now) {
    const since = new Date(now.getTime() - 86_400_000)
    const reviewed = await ResidencyClaim.find({
      status: { $ne: 'pending' },
      reviewedAt: { $gte: since },
    }).lean()
    const users = await User.find({ _id: { $in: reviewed.map((c) => c.userId) } }).lean()
    const byId = new Map(users.map((u) => [String(u._id), u]))
    let repaired = 0
    for (const claim of reviewed) {
      const residency = byId.get(String(claim.userId))?.residency
      const expected = claim.status === 'approved' ? 'verified' : 'rejected'
      const isLatest = String(residency?.claimId) === String(claim._id)
      // A rejection only counts while it is the user's latest claim; an approval always wins.
      if (
        (claim.status === 'approved' && residency?.status !== 'verified') ||
        (isLatest && residency?.status !== expected)
      ) {
        await applyToUser(claim)
        repaired++
      }
    }
    return repaired
  },
}
