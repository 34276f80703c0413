import { z } from 'zod'
import { Id, Instant, LocalDate } from './common'
import { DepartmentKind } from './grid'
import { op } from './http'
import { NeedLevel, NeedTimer } from './needs'

const Rate = z.number().nullable()

export const CockpitQuery = z.strictObject({ streetId: Id, from: LocalDate, to: LocalDate })
export type CockpitQuery = z.infer<typeof CockpitQuery>

/** Need figures: counts and 响应率 / 解决率 / 满意率 derived from them (null when nothing to divide). */
export const NeedFigures = z.object({
  total: z.number().int(),
  counted: z.number().int(),
  acceptedOnTime: z.number().int(),
  resolvedKept: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
  responseRate: Rate,
  resolveRate: Rate,
  satisfactionRate: Rate,
})
export type NeedFigures = z.infer<typeof NeedFigures>

/** One week (starting Monday, in the street's zone) of need figures. */
export const CockpitWeek = NeedFigures.extend({ week: LocalDate })

export const CommunityCockpit = z.object({
  id: Id,
  name: z.string(),
  needs: NeedFigures,
  weeks: z.array(CockpitWeek),
  /** Open needs past their running timer now. */
  overdue: z.number().int(),
  deliberation: z.object({
    /** Topics whose vote closed in the period. */
    voted: z.number().int(),
    ballots: z.number().int(),
    eligible: z.number().int(),
    turnoutRate: Rate,
    passed: z.number().int(),
    /** Passed topics fully carried out (落实完成). */
    carriedOut: z.number().int(),
  }),
  points: z.object({ issued: z.number().int(), redeemed: z.number().int() }),
  /** Bookings checked in or completed, starting in the period. */
  bookingsUsed: z.number().int(),
})
export type CommunityCockpit = z.infer<typeof CommunityCockpit>

export const DepartmentCockpit = z.object({
  id: Id,
  name: z.string(),
  kind: DepartmentKind,
  whistles: z.number().int(),
  reportedIn: z.number().int(),
  reportedOnTime: z.number().int(),
  resolved: z.number().int(),
  handedBack: z.number().int(),
  /** Reported in by the deadline, of the whistles whose deadline has passed or that were reported. */
  reportInRate: Rate,
  resolveRate: Rate,
})
export type DepartmentCockpit = z.infer<typeof DepartmentCockpit>

export const OverdueNeed = z.object({
  id: Id,
  no: z.string(),
  communityName: z.string(),
  title: z.string(),
  level: NeedLevel,
  timer: NeedTimer.nullable(),
  deadlineAt: Instant,
  secondsLeft: z.number().int(),
})

export const StreetCockpit = z.object({
  streetId: Id,
  streetName: z.string(),
  from: LocalDate,
  to: LocalDate,
  needs: NeedFigures,
  weeks: z.array(CockpitWeek),
  communities: z.array(CommunityCockpit),
  departments: z.array(DepartmentCockpit),
  /** The most overdue open needs of the street, most overdue first (at most 50). */
  overdue: z.array(OverdueNeed),
})
export type StreetCockpit = z.infer<typeof StreetCockpit>

export const cockpitOps = {
  getStreetCockpit: op({
    method: 'get',
    path: '/api/v1/street-cockpit',
    summary:
      '街道驾驶舱：各社区、各部门的反映量、响应率/解决率/满意率周趋势、超时清单、报到率、议事、积分、预约',
    tag: 'cockpit',
    access: ['streetStaff', 'admin'],
    scope: { kind: 'own' },
    query: CockpitQuery,
    response: StreetCockpit,
  }),
  exportStreetCockpit: op({
    method: 'get',
    path: '/api/v1/street-cockpit/export',
    summary: '导出街道驾驶舱（Excel .xlsx，不含个人信息）',
    tag: 'cockpit',
    access: ['streetStaff', 'admin'],
    scope: { kind: 'own' },
    query: CockpitQuery,
  }),
} as const
