import {
  type CreateDepartmentInput,
  type Department,
  type DepartmentKind,
  departmentKindLabels,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError, fail } from '../../platform/errors'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { OrgUnit, type OrgUnitDoc } from '../org/org-unit.model'

type Oid = Types.ObjectId | string | null | undefined

/** The departments whose staff the actor is (role `deptStaff`, scoped to one department each). */
export const departmentStaff = (actor: Actor): string[] =>
  actor.memberships.filter((m) => m.role === 'deptStaff' && m.scopeId).map((m) => m.scopeId as string)

/** Streets the actor holds street staff in. */
const streetsOf = (actor: Actor) =>
  actor.memberships.filter((m) => m.role === 'streetStaff' && m.scopeId).map((m) => m.scopeId as string)

const reachRoles = ['gridWorker', 'staff', 'streetStaff', 'admin'] as const

export function departmentDto(d: OrgUnitDoc, attachedTo: string): Department {
  return {
    id: String(d._id),
    name: d.name,
    kind: (d.kind ?? 'other') as DepartmentKind,
    streetId: String(d.streetId),
    communityId: d.communityId ? String(d.communityId) : null,
    attachedTo,
  }
}

async function withAttachedNames(rows: OrgUnitDoc[]): Promise<Department[]> {
  const parents = await OrgUnit.find(
    { _id: { $in: [...new Set(rows.map((r) => String(r.parentId)))] } },
    {
      name: 1,
    },
  ).lean()
  const name = new Map(parents.map((p) => [String(p._id), p.name]))
  return rows.map((r) => departmentDto(r, name.get(String(r.parentId)) ?? ''))
}

/**
 * A department a need may be whistled to: one of the need's street (not of one community), or of
 * the need's own community. Anything else — another street's, another community's 物业 — is refused.
 */
export async function assertWhistleTarget(
  departmentId: string,
  need: { streetId?: Oid; communityId: Oid },
): Promise<OrgUnitDoc> {
  const d = (await OrgUnit.findOne({ _id: departmentId, level: 'department' }).lean()) as OrgUnitDoc | null
  const ok =
    !!d &&
    String(d.streetId) === String(need.streetId) &&
    (!d.communityId || String(d.communityId) === String(need.communityId))
  if (!ok) fail('DEPARTMENT_INVALID')
  return d as OrgUnitDoc
}

export async function listDepartments(
  actor: Actor,
  q: { communityId?: string | undefined; streetId?: string | undefined },
): Promise<{ items: Department[] }> {
  let filter: Record<string, unknown>
  if (q.communityId) {
    assertInReach(actor, q.communityId, reachRoles)
    const community = await OrgUnit.findOne({ _id: q.communityId, level: 'community' }).lean()
    if (!community) throw new AppError('NOT_FOUND')
    filter = {
      level: 'department',
      streetId: community.streetId,
      communityId: { $in: [null, community._id] },
    }
  } else if (q.streetId) {
    if (!actor.isAdmin && !streetsOf(actor).includes(q.streetId)) throw new AppError('NOT_FOUND')
    filter = { level: 'department', streetId: q.streetId }
  } else {
    filter = { level: 'department', _id: { $in: departmentStaff(actor) } }
  }
  const rows = (await OrgUnit.find(filter).sort({ sortOrder: 1, name: 1 }).limit(200).lean()) as OrgUnitDoc[]
  return { items: await withAttachedNames(rows) }
}

export async function createDepartment(actor: Actor, input: CreateDepartmentInput): Promise<Department> {
  let parent: OrgUnitDoc | null
  if (input.streetId) {
    if (!actor.isAdmin && !streetsOf(actor).includes(input.streetId)) throw new AppError('NOT_FOUND')
    parent = (await OrgUnit.findOne({ _id: input.streetId, level: 'street' }).lean()) as OrgUnitDoc | null
  } else {
    assertInReach(actor, input.communityId)
    parent = (await OrgUnit.findOne({
      _id: input.communityId,
      level: 'community',
    }).lean()) as OrgUnitDoc | null
  }
  if (!parent) throw new AppError('NOT_FOUND')
  const created = await OrgUnit.create({
    level: 'department',
    kind: input.kind,
    name: input.name,
    parentId: parent._id,
    streetId: parent.level === 'street' ? parent._id : parent.streetId,
    communityId: parent.level === 'community' ? parent._id : null,
  })
  await audit(
    actor,
    'department.create',
    { type: 'department', id: String(created._id), communityId: created.communityId },
    { name: input.name, kind: departmentKindLabels[input.kind] },
  )
  return departmentDto(created.toObject() as OrgUnitDoc, parent.name)
}
