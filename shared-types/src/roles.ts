import { z } from 'zod'

export const roles = [
  'resident',
  'gridWorker',
  'staff',
  'streetStaff',
  'deptStaff',
  'merchant',
  'admin',
] as const
export const Role = z.enum(roles)
export type Role = z.infer<typeof Role>

/** Levels of the org tree (微网实格), outermost first. */
export const orgLevels = ['street', 'community', 'grid', 'courtyard', 'building'] as const
export const OrgLevel = z.enum(orgLevels)
export type OrgLevel = z.infer<typeof OrgLevel>

/**
 * Scope each role is held in; a merchant's scope is its merchant record, a department's staff their
 * department (an org unit attached to a street or community), admin has none.
 */
export const ScopeType = z.enum([
  'street',
  'community',
  'grid',
  'courtyard',
  'department',
  'merchant',
  'global',
])
export type ScopeType = z.infer<typeof ScopeType>

export const roleScopeTypes: Record<Role, readonly ScopeType[]> = {
  resident: ['community'],
  gridWorker: ['grid', 'courtyard'],
  staff: ['community'],
  streetStaff: ['street'],
  deptStaff: ['department'],
  merchant: ['merchant'],
  admin: ['global'],
}
