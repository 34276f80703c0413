import {
  defaultAccountNames,
  defaultTimezone,
  type PointAccount,
  type PointEventType,
  type PointRule,
  type PointRules,
  pointsExpiryDate,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import { OrgUnit } from '../org/org-unit.model'
import { PointRulesModel } from './points.model'

export const defaultRules: PointRule[] = [
  { eventType: 'vote.cast', account: 'community', points: 5, dailyCap: 20, monthlyCap: 100, enabled: true },
  {
    eventType: 'day.attended',
    account: 'community',
    points: 10,
    dailyCap: null,
    monthlyCap: 30,
    enabled: true,
  },
  {
    eventType: 'topic.accepted',
    account: 'community',
    points: 20,
    dailyCap: null,
    monthlyCap: 100,
    enabled: true,
  },
  { eventType: 'need.rated', account: 'community', points: 2, dailyCap: 10, monthlyCap: 50, enabled: true },
  {
    eventType: 'volunteer.approved',
    account: 'volunteer',
    points: 10,
    dailyCap: null,
    monthlyCap: 800,
    enabled: true,
  },
  /** Hours served at activity sessions (checked in and out); `points` is the default rate per hour. */
  {
    eventType: 'volunteer.served',
    account: 'volunteer',
    points: 10,
    dailyCap: null,
    monthlyCap: 2000,
    enabled: true,
  },
]

/** The community's rules, with defaults for anything not configured. */
export async function loadRules(communityId: string | Types.ObjectId): Promise<PointRules> {
  const doc = await PointRulesModel.findOne({ communityId }).lean()
  const configured = (doc?.rules ?? []) as PointRule[]
  return {
    communityId: String(communityId),
    accountNames: {
      volunteer: doc?.accountNames?.volunteer ?? defaultAccountNames.volunteer,
      community: doc?.accountNames?.community ?? defaultAccountNames.community,
    },
    expiryYears: doc?.expiryYears ?? 1,
    rules: defaultRules.map((d) => {
      const c = configured.find((r) => r.eventType === d.eventType)
      return c
        ? {
            eventType: c.eventType,
            account: c.account,
            points: c.points,
            dailyCap: c.dailyCap ?? null,
            monthlyCap: c.monthlyCap ?? null,
            enabled: c.enabled,
          }
        : d
    }),
  }
}

const RULES_TTL_MS = 10_000
const cached = new Map<string, { until: number; rules: Promise<PointRules> }>()

/**
 * The community's rules as the earning paths apply them, read at most every 10 s per instance. An
 * update through this instance clears its copy at once; other instances apply the old rules for up
 * to 10 s more (points earned in that window follow the rules as they were). Not to be mutated.
 */
export function appliedRules(communityId: string | Types.ObjectId): Promise<PointRules> {
  const id = String(communityId)
  const now = Date.now()
  const hit = cached.get(id)
  if (hit && hit.until > now) return hit.rules
  const rules = loadRules(id)
  cached.set(id, { until: now + RULES_TTL_MS, rules })
  rules.catch(() => {
    if (cached.get(id)?.rules === rules) cached.delete(id)
  })
  return rules
}

/** After a community's rules changed: this instance reads them afresh. */
export function forgetRules(communityId: string): void {
  cached.delete(communityId)
}

export function ruleFor(rules: PointRules, type: PointEventType): PointRule | undefined {
  return rules.rules.find((r) => r.eventType === type)
}

const zones = new Map<string, string>()
export async function communityTimezone(communityId: string | Types.ObjectId | null): Promise<string> {
  if (!communityId) return defaultTimezone
  const id = String(communityId)
  let tz = zones.get(id)
  if (!tz) {
    tz = (await OrgUnit.findById(id).lean())?.timezone ?? defaultTimezone
    zones.set(id, tz)
  }
  return tz
}

/** When a credit made now in this community expires. */
export async function creditExpiry(
  communityId: string | Types.ObjectId | null,
  at = new Date(),
): Promise<Date> {
  const [tz, rules] = await Promise.all([
    communityTimezone(communityId),
    communityId ? appliedRules(communityId) : Promise.resolve(null),
  ])
  return pointsExpiryDate(at, tz, rules?.expiryYears ?? 1)
}

export const accountName = (rules: PointRules, account: PointAccount) => rules.accountNames[account]
