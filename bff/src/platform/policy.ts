import type { Reach, Role, ScopeType } from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError } from './errors'

export interface ActorMembership {
  role: Role
  scopeType: ScopeType
  scopeId: string | null
  scopeName: string
}

export interface ActorResidency {
  status: 'none' | 'pending' | 'verified' | 'rejected'
  communityId: string | null
  gridId: string | null
  courtyardId: string | null
  buildingId: string | null
  householdKey: string | null
}

/** Who is calling, with what each role reaches. Built once per request by the auth middleware. */
export interface Actor {
  userId: string
  nickname: string
  memberships: ActorMembership[]
  residency: ActorResidency
  /** Community ids each staff-like role reaches; a street's staff reach all its communities. */
  reach: Partial<Record<Role, string[]>>
  isAdmin: boolean
  /** Set when a bound family member acts for this resident (代办); the member is who really calls. */
  delegate?: { userId: string; nickname: string }
}

export const staffRoles = ['staff', 'streetStaff', 'admin'] as const satisfies readonly Role[]

export const hasRole = (actor: Actor, roles: readonly Role[]): boolean =>
  actor.memberships.some((m) => roles.includes(m.role))

/** Community ids the actor may act on through any of `roles`, or 'all' for an admin. */
export function communitiesInReach(actor: Actor, roles: readonly Role[] = staffRoles): string[] | 'all' {
  if (actor.isAdmin && roles.includes('admin')) return 'all'
  return [...new Set(roles.flatMap((role) => actor.reach[role] ?? []))]
}

/** A mongo filter limiting records (by `communityId`) to the actor's reach. */
export function scopeFilter(actor: Actor, roles: readonly Role[] = staffRoles): Record<string, unknown> {
  const ids = communitiesInReach(actor, roles)
  return ids === 'all' ? {} : { communityId: { $in: ids } }
}

/** A record outside the actor's reach answers 404, exactly like a missing one: no leak. */
export function assertInReach(
  actor: Actor,
  communityId: Types.ObjectId | string | null | undefined,
  roles: readonly Role[] = staffRoles,
): void {
  const ids = communitiesInReach(actor, roles)
  if (ids === 'all') return
  if (!communityId || !ids.includes(String(communityId))) throw new AppError('NOT_FOUND')
}

const reachRoles = {
  staff: staffRoles,
  handler: [...staffRoles, 'gridWorker'],
  member: [...staffRoles, 'gridWorker', 'resident'],
  owner: [],
} as const satisfies Record<Reach, readonly Role[]>

/**
 * Whether the actor reaches a community at a level (see `Reach` in shared-types): staff-like roles
 * by their scope (a street's staff reach all its communities), a grid worker its grid's community,
 * a verified resident their own community.
 */
export function reaches(actor: Actor, communityId: unknown, reach: Reach): boolean {
  if (!communityId) return false
  const id = String(communityId)
  const ids = communitiesInReach(actor, reachRoles[reach])
  if (ids === 'all' || ids.includes(id)) return true
  return reach === 'member' && actor.residency.status === 'verified' && actor.residency.communityId === id
}

/** Whether the actor holds any role at all besides being a (possibly unverified) resident. */
export const isNewcomer = (actor: Actor): boolean =>
  actor.residency.status !== 'verified' && !actor.memberships.some((m) => m.role !== 'resident')

export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!hasRole(actor, roles)) throw new AppError('FORBIDDEN')
}

/** Only verified residents book, vote and redeem. Returns the residency with its community. */
export function requireVerifiedResident(actor: Actor): ActorResidency & { communityId: string } {
  const r = actor.residency
  if (r.status !== 'verified' || !r.communityId) throw new AppError('RESIDENT_NOT_VERIFIED')
  return r as ActorResidency & { communityId: string }
}
