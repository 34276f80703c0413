import mongoose, { Types } from 'mongoose'
import type { Actor, ActorMembership } from '../../platform/policy'
import { OrgUnit } from '../org/org-unit.model'
import { Membership, type MembershipDoc } from './membership.model'
import { isRevoked } from './tokens'
import { User, type UserDoc } from './user.model'

const str = (id: unknown) => (id ? String(id) : null)

const userFields = { nickname: 1, residency: 1, revokedFamilies: 1, deletingAt: 1 }
const membershipFields = { role: 1, scopeType: 1, scopeId: 1, scopeName: 1 }

/**
 * Loads the actor for a user id: memberships plus the communities each role reaches. With a token
 * family, a family revoked on the user document (logout, refresh-token reuse) loads no actor.
 * Every request runs these two reads, so they go straight to the driver (as the scope guard's do),
 * without mongoose's query building, and fetch only the fields an actor is made of.
 */
export async function loadActor(userId: string, familyId?: string): Promise<Actor | null> {
  if (!mongoose.isObjectIdOrHexString(userId)) return null
  const id = new Types.ObjectId(userId)
  const [user, memberships] = await Promise.all([
    User.collection.findOne<
      Pick<UserDoc, 'nickname' | 'residency' | 'revokedFamilies' | 'deletingAt'> & { _id: Types.ObjectId }
    >({ _id: id }, { projection: userFields }),
    Membership.collection
      .find<Pick<MembershipDoc, 'role' | 'scopeType' | 'scopeId' | 'scopeName'>>(
        { userId: id },
        { projection: membershipFields },
      )
      .toArray(),
  ])
  if (!user || user.deletingAt) return null
  if (familyId && isRevoked(user.revokedFamilies, familyId)) return null
  const list: ActorMembership[] = memberships.map((m) => ({
    role: m.role,
    scopeType: m.scopeType,
    scopeId: str(m.scopeId),
    scopeName: m.scopeName,
  }))
  // What each staff-like role reaches, with at most two more queries however many memberships:
  // the communities of the streets held, and the community of each grid or courtyard held.
  const streetIds = list.filter((m) => m.scopeType === 'street' && m.scopeId).map((m) => m.scopeId!)
  const unitIds = list
    .filter((m) => (m.scopeType === 'grid' || m.scopeType === 'courtyard') && m.scopeId)
    .map((m) => m.scopeId!)
  const [communities, units] = await Promise.all([
    streetIds.length
      ? OrgUnit.find({ level: 'community', streetId: { $in: streetIds } }, { streetId: 1 }).lean()
      : [],
    unitIds.length ? OrgUnit.find({ _id: { $in: unitIds } }, { communityId: 1 }).lean() : [],
  ])
  const reach: Actor['reach'] = {}
  const add = (role: ActorMembership['role'], ids: string[]) => {
    reach[role] = [...(reach[role] ?? []), ...ids]
  }
  for (const m of list) {
    if (!m.scopeId) continue
    if (m.scopeType === 'community') add(m.role, [m.scopeId])
    else if (m.scopeType === 'street')
      add(
        m.role,
        communities.filter((c) => String(c.streetId) === m.scopeId).map((c) => String(c._id)),
      )
    else if (m.scopeType === 'grid' || m.scopeType === 'courtyard') {
      const unit = units.find((u) => String(u._id) === m.scopeId)
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
