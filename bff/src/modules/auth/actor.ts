import type { Actor, ActorMembership } from '../../platform/policy'
import { OrgUnit } from '../org/org-unit.model'
import { Membership } from './membership.model'
import { isRevoked } from './tokens'
import { User } from './user.model'

const str = (id: unknown) => (id ? String(id) : null)

/**
 * Loads the actor for a user id: memberships plus the communities each role reaches. With a token
 * family, a family revoked on the user document (logout, refresh-token reuse) loads no actor.
 */
export async function loadActor(userId: string, familyId?: string): Promise<Actor | null> {
  const [user, memberships] = await Promise.all([
    User.findById(userId).lean(),
    Membership.find({ userId }).lean(),
  ])
  if (!user) return null
  if (familyId && isRevoked(user.revokedFamilies, familyId)) return null
  const list: ActorMembership[] = memberships.map((m) => ({
    role: m.role,
    scopeType: m.scopeType,
    scopeId: str(m.scopeId),
    scopeName: m.scopeName,
  }))
  const reach: Actor['reach'] = {}
  const add = (role: ActorMembership['role'], ids: string[]) => {
    reach[role] = [...(reach[role] ?? []), ...ids]
  }
  for (const m of list) {
    if (!m.scopeId) continue
    if (m.scopeType === 'community') add(m.role, [m.scopeId])
    else if (m.scopeType === 'street') {
      const communities = await OrgUnit.find({ level: 'community', streetId: m.scopeId }, { _id: 1 }).lean()
      add(
        m.role,
        communities.map((c) => String(c._id)),
      )
    } else if (m.scopeType === 'grid' || m.scopeType === 'courtyard') {
      const unit = await OrgUnit.findById(m.scopeId, { communityId: 1 }).lean()
      if (unit?.communityId) add(m.role, [String(unit.communityId)])
    }
  }
  const r = user.residency
  return {
    userId: String(user._id),
    nickname: user.nickname,
    memberships: list,
    residency: {
      status: r?.status ?? 'none',
      communityId: str(r?.communityId),
      gridId: str(r?.gridId),
      courtyardId: str(r?.courtyardId),
      buildingId: str(r?.buildingId),
      householdKey: r?.householdKey ?? null,
    },
    reach,
    isAdmin: list.some((m) => m.role === 'admin'),
  }
}
