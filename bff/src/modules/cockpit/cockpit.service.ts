import {
  type CockpitQuery,
  type CommunityCockpit,
  type DepartmentCockpit,
  type DepartmentKind,
  type NeedFigures,
  type NeedLevel,
  type NeedStatSums,
  type NeedTimer,
  needDayRange,
  needRates,
  needSecondsLeft,
  openNeedStatuses,
  type StreetCockpit,
} from '@linli/shared-types'
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import mongoose, { type Types } from 'mongoose'
import { AppError } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { Booking } from '../booking/booking.model'
import { Topic } from '../deliberation/deliberation.model'
import { Need, NeedFact, NeedWhistle, type WhistleDoc } from '../needs/need.model'
import { statKeys } from '../needs/needs.claims'
import { OrgUnit } from '../org/org-unit.model'
import { LedgerEntry } from '../points/points.model'

dayjs.extend(utc)
dayjs.extend(timezone)

const MAX_DAYS = 366
const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : null)

type Sums = NeedStatSums
const zero = (): Sums => ({ total: 0, ...Object.fromEntries(statKeys.map((k) => [k, 0])) }) as Sums
const add = (s: Sums, f: Record<string, unknown>) => {
  s.total++
  for (const k of statKeys) s[k] += Number(f[k] ?? 0)
}
function figures(s: Sums): NeedFigures {
  const r = needRates(s)
  return {
    total: s.total,
    counted: s.counted,
    acceptedOnTime: s.acceptedOnTime,
    resolvedKept: s.resolvedKept,
    rated: s.rated,
    satisfied: s.satisfied,
    responseRate: r.responseRate,
    resolveRate: r.resolveRate,
    satisfactionRate: r.satisfactionRate,
  }
}

/** Monday of the week of `at` in `tz`, as YYYY-MM-DD. */
export function weekOf(at: Date, tz: string): string {
  const d = dayjs(at).tz(tz).startOf('day')
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD')
}

function weeksBetween(from: string, to: string, tz: string): string[] {
  const out: string[] = []
  let w = dayjs.tz(weekOf(dayjs.tz(from, tz).toDate(), tz), tz)
  const end = dayjs.tz(to, tz)
  while (!w.isAfter(end)) {
    out.push(w.format('YYYY-MM-DD'))
    w = w.add(7, 'day')
  }
  return out
}

async function streetFor(actor: Actor, streetId: string) {
  const street = await OrgUnit.findOne({ _id: streetId, level: 'street' }).lean()
  const mine = actor.memberships.some((m) => m.role === 'streetStaff' && m.scopeId === streetId)
  if (!street || !(actor.isAdmin || mine)) throw new AppError('NOT_FOUND')
  return street
}

/** `$sum` of one field per community: one accumulator per `$group`, as FerretDB v1 needs. */
async function sumBy(
  model: mongoose.Model<never>,
  match: Record<string, unknown>,
  field: string | 1,
): Promise<Map<string, number>> {
  const rows = (await model.aggregate([
    { $match: match },
    { $group: { _id: '$communityId', n: { $sum: field === 1 ? 1 : `$${field}` } } },
  ])) as { _id: Types.ObjectId; n: number }[]
  return new Map(rows.map((r) => [String(r._id), r.n]))
}

/**
 * The street's cockpit. Every read is index-backed and compact: need facts by (streetId,
 * createdAt), whistles by (streetId, createdAt), open overdue needs by (streetId, status,
 * deadlineAt), topics by (communityId, status), ledger and bookings as per-community `$sum`s.
 */
export async function streetCockpit(actor: Actor, q: CockpitQuery, now = new Date()): Promise<StreetCockpit> {
  const street = await streetFor(actor, q.streetId)
  const tz = street.timezone ?? 'Asia/Shanghai'
  const { start, end } = needDayRange(q.from, q.to, tz)
  if (end <= start) throw new AppError('RULE_VIOLATED', '结束日期不能早于开始日期')
  if (end.getTime() - start.getTime() > MAX_DAYS * 86_400_000)
    throw new AppError('RULE_VIOLATED', `日期范围不能超过${MAX_DAYS}天`)
  const sid = new mongoose.Types.ObjectId(q.streetId)
  const created = { $gte: start, $lt: end }
  const [communities, departments, facts, whistles, overdueRows] = await Promise.all([
    OrgUnit.find({ level: 'community', streetId: sid }).sort({ sortOrder: 1, name: 1 }).lean(),
    OrgUnit.find({ level: 'department', streetId: sid }).sort({ sortOrder: 1, name: 1 }).lean(),
    NeedFact.find(
      { streetId: sid, createdAt: created },
      {
        communityId: 1,
        createdAt: 1,
        ...Object.fromEntries(statKeys.map((k) => [k, 1])),
      },
    ).lean(),
    NeedWhistle.find({ streetId: sid, createdAt: created }).lean() as Promise<WhistleDoc[]>,
    Need.find(
      { streetId: sid, status: { $in: [...openNeedStatuses] }, deadlineAt: { $lt: now } },
      { no: 1, communityId: 1, title: 1, level: 1, timer: 1, deadlineAt: 1 },
    )
      .sort({ deadlineAt: 1 })
      .limit(2000)
      .lean(),
  ])
  const ids = communities.map((c) => c._id)
  const inStreet = { communityId: { $in: ids } }
  const [topics, issued, redeemed, used] = await Promise.all([
    Topic.find(
      { ...inStreet, status: { $in: ['passed', 'failed', 'implementing', 'done'] } },
      { communityId: 1, status: 1, result: 1, 'voting.closedAt': 1 },
    ).lean(),
    sumBy(
      LedgerEntry as never,
      { ...inStreet, createdAt: created, delta: { $gt: 0 }, refType: { $ne: 'redemption' } },
      'delta',
    ),
    sumBy(LedgerEntry as never, { ...inStreet, createdAt: created, refType: 'redemption' }, 'delta'),
    sumBy(Booking as never, { ...inStreet, status: { $in: ['checkedIn', 'completed'] }, start: created }, 1),
  ])

  const weeks = weeksBetween(q.from, q.to, tz)
  const streetSums = zero()
  const streetWeeks = new Map(weeks.map((w) => [w, zero()]))
  const per = new Map(
    communities.map((c) => [String(c._id), { sums: zero(), weeks: new Map(weeks.map((w) => [w, zero()])) }]),
  )
  for (const f of facts) {
    const week = weekOf(f.createdAt, tz)
    add(streetSums, f)
    const sw = streetWeeks.get(week)
    if (sw) add(sw, f)
    const c = per.get(String(f.communityId))
    if (!c) continue
    add(c.sums, f)
    const cw = c.weeks.get(week)
    if (cw) add(cw, f)
  }
  const overdueBy = new Map<string, number>()
  for (const n of overdueRows)
    overdueBy.set(String(n.communityId), (overdueBy.get(String(n.communityId)) ?? 0) + 1)
  const name = new Map(communities.map((c) => [String(c._id), c.name]))

  const voted = topics.filter((t) => {
    const closed = (t.voting as { closedAt?: Date | null } | null)?.closedAt
    return !!t.result && !!closed && closed >= start && closed < end
  })
  const communityRows: CommunityCockpit[] = communities.map((c) => {
    const id = String(c._id)
    const p = per.get(id)!
    const mine = voted.filter((t) => String(t.communityId) === id)
    const ballots = mine.reduce((s, t) => s + (t.result?.ballots ?? 0), 0)
    const eligible = mine.reduce((s, t) => s + (t.result?.eligibleUnits ?? 0), 0)
    const passed = mine.filter((t) => t.result?.passed)
    return {
      id,
      name: c.name,
      needs: figures(p.sums),
      weeks: weeks.map((w) => ({ week: w, ...figures(p.weeks.get(w)!) })),
      overdue: overdueBy.get(id) ?? 0,
      deliberation: {
        voted: mine.length,
        ballots,
        eligible,
        turnoutRate: ratio(ballots, eligible),
        passed: passed.length,
        carriedOut: passed.filter((t) => t.status === 'done').length,
      },
      points: { issued: issued.get(id) ?? 0, redeemed: 0 - (redeemed.get(id) ?? 0) },
      bookingsUsed: used.get(id) ?? 0,
    }
  })

  const departmentRows: DepartmentCockpit[] = departments.map((d) => {
    const mine = whistles.filter((w) => String(w.departmentId) === String(d._id))
    const reported = mine.filter((w) => w.reportedAt)
    const onTime = reported.filter((w) => w.reportedAt! <= w.dueAt)
    const due = mine.filter((w) => w.reportedAt || w.dueAt < now)
    const resolved = mine.filter((w) => w.state === 'resolved').length
    return {
      id: String(d._id),
      name: d.name,
      kind: (d.kind ?? 'other') as DepartmentKind,
      whistles: mine.length,
      reportedIn: reported.length,
      reportedOnTime: onTime.length,
      resolved,
      handedBack: mine.filter((w) => w.state === 'handedBack').length,
      reportInRate: ratio(onTime.length, due.length),
      resolveRate: ratio(resolved, mine.length),
    }
  })

  return {
    streetId: q.streetId,
    streetName: street.name,
    from: q.from,
    to: q.to,
    needs: figures(streetSums),
    weeks: weeks.map((w) => ({ week: w, ...figures(streetWeeks.get(w)!) })),
    communities: communityRows,
    departments: departmentRows,
    overdue: overdueRows.slice(0, 50).map((n) => ({
      id: String(n._id),
      no: n.no,
      communityName: name.get(String(n.communityId)) ?? '',
      title: n.title,
      level: n.level as NeedLevel,
      timer: (n.timer as NeedTimer | null) ?? null,
      deadlineAt: n.deadlineAt!.toISOString(),
      secondsLeft: needSecondsLeft(n.deadlineAt!, now),
    })),
  }
}
