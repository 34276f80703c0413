import type { Actor } from '../../platform/policy'
import { ResidencyClaim } from './claim.model'

/** The real name and phone of the actor's approved residency claim, or their nickname and no phone. */
export async function residentIdentity(
  actor: Pick<Actor, 'userId' | 'nickname'>,
): Promise<{ name: string; phone: string | null }> {
  const claim = await ResidencyClaim.findOne({ userId: actor.userId, status: 'approved' })
    .sort({ createdAt: -1 })
    .lean()
  return { name: claim?.realName ?? actor.nickname, phone: claim?.phone ?? null }
}
