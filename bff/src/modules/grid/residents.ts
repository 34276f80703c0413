import { maskName } from '@linli/shared-types'
import type { Types } from 'mongoose'
import type { Actor } from '../../platform/policy'
import { User, type UserDoc } from '../auth/user.model'
import { OrgUnit } from '../org/org-unit.model'

/**
 * Where a field worker's residents live, as a filter on users' residency: a micro-grid worker their
 * courtyards, a grid worker their grids, community staff their communities; null when none.
 */
export function residencyReach(actor: Actor): Record<string, unknown> | null {
  if (actor.isAdmin) return {}
  const or: Record<string, unknown>[] = []
  for (const m of actor.memberships) {
    if (m.role !== 'gridWorker' || !m.scopeId) continue
    or.push({ [m.scopeType === 'courtyard' ? 'residency.courtyardId' : 'residency.gridId']: m.scopeId })
  }
  const staff = actor.reach.staff ?? []
  if (staff.length) or.push({ 'residency.communityId': { $in: staff } })
  return or.length ? { $or: or } : null
}

/** "3栋 1单元 101" from a household key `<buildingId>:<unit>:<room>`. */
export async function householdLabels(keys: (string | null | undefined)[]): Promise<Map<string, string>> {
  const parts = keys.filter((k): k is string => !!k).map((k) => k.split(':'))
  const buildings = await OrgUnit.find(
    { _id: { $in: [...new Set(parts.map((p) => p[0]))] } },
    { name: 1 },
  ).lean()
  const name = new Map(buildings.map((b) => [String(b._id), b.name]))
  return new Map(
    parts.map((p) => [
      p.join(':'),
      [name.get(p[0] ?? ''), p[1] && `${p[1]}单元`, p[2]].filter(Boolean).join(' '),
    ]),
  )
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Verified residents the actor may file for or visit, masked, at most 50. */
export async function residentsInReach(actor: Actor, q?: string) {
  const reach = residencyReach(actor)
  if (!reach) return { items: [] }
  const users = (await User.find({
    $and: [reach, { 'residency.status': 'verified' }, q ? { nickname: new RegExp(escapeRegExp(q)) } : {}],
  })
    .sort({ _id: 1 })
    .limit(50)
    .lean()) as UserDoc[]
  const labels = await householdLabels(users.map((u) => u.residency?.householdKey))
  return {
    items: users.map((u) => ({
      id: String(u._id),
      name: maskName(u.nickname),
      household: labels.get(u.residency?.householdKey ?? '') ?? '',
    })),
  }
}

/** A verified resident inside the actor's reach, or null. */
export async function residentInReach(actor: Actor, userId: string | Types.ObjectId) {
  const reach = residencyReach(actor)
  if (!reach) return null
  return (await User.findOne({
    $and: [{ _id: userId }, reach, { 'residency.status': 'verified' }],
  }).lean()) as UserDoc | null
}
