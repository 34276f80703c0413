import {
  DEFAULT_TZ,
  type NeedLevel,
  type NeedStats,
  type NeedStatsQuery,
  type NeedStatus,
  type NeedUrgency,
  needDayRange,
  needLevelLabels,
  needRates,
  needStatuses,
  needStatusLabels,
  needUrgencyLabels,
} from '@linli/shared-types'
import mongoose from 'mongoose'
import { AppError } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { communityInfo } from '../org/org.service'
import { OrgUnit } from '../org/org-unit.model'
import { Need, NeedCategory, type NeedDoc } from './need.model'
import { statKeys } from './needs.claims'
import { addInto, daysReady, emptySums, type Sums, sumDays } from './needs.days'
import { factsIn } from './needs.facts'

const oid = (id: unknown) => new mongoose.Types.ObjectId(String(id))

/** The org unit of the stats scope, if the actor may read it (404 otherwise, never a leak). */
async function scopeUnit(actor: Actor, q: NeedStatsQuery) {
  const unit = await OrgUnit.findOne({ _id: q.scopeId, level: q.scope }).lean()
  if (!unit) throw new AppError('NOT_FOUND')
  if (actor.isAdmin) return unit
  const community = String(q.scope === 'community' ? unit._id : (unit.communityId ?? ''))
  const street = String(q.scope === 'street' ? unit._id : (unit.streetId ?? ''))
  const ok =
    q.scope === 'street'
      ? actor.memberships.some((m) => m.role === 'streetStaff' && m.scopeId === street)
      : (actor.reach.staff ?? []).includes(community) ||
        (actor.reach.streetStaff ?? []).includes(community) ||
        (q.scope === 'grid' &&
          actor.memberships.some(
            (m) => m.role === 'gridWorker' && m.scopeType === 'grid' && m.scopeId === q.scopeId,
          ))
  if (!ok) throw new AppError('NOT_FOUND')
  return unit
}

async function matchFor(actor: Actor, q: NeedStatsQuery) {
  const unit = await scopeUnit(actor, q)
  const communityId =
    q.scope === 'street' ? null : String(q.scope === 'community' ? unit._id : unit.communityId)
  const tz = communityId ? (await communityInfo(communityId)).timezone : DEFAULT_TZ
  const { start, end } = needDayRange(q.from, q.to, tz)
  if (end <= start) throw new AppError('RULE_VIOLATED', '结束日期不能早于开始日期')
  const field = ({ grid: 'gridId', community: 'communityId', street: 'streetId' } as const)[q.scope]
  return {
    unit,
    communityId,
    field,
    start,
    end,
    match: { [field]: oid(unit._id), createdAt: { $gte: start, $lt: end } },
  }
}

/**
 * Adds up the scope's whole days: a community's or grid's from its community's day sums (a few
 * month documents), a street's from the compact `need_facts` of its days (never whole needs with
 * their timelines), read projected one month at a time; rates and averages are derived from the
 * sums. On FerretDB v1.24 both beat `$group`s, which get only one accumulator each right (measured
 * by `npm run bench:needs`).
 */
async function sumsOf(q: NeedStatsQuery, scope: Awaited<ReturnType<typeof matchFor>>): Promise<Sums> {
  const { unit, communityId, field, start, end } = scope
  // Day sums once they are backfilled (needs.days.ts); facts until then.
  if (communityId && (await daysReady()))
    return sumDays(communityId, q.scope === 'grid' ? String(unit._id) : 'all', q.from, q.to)
  const fields = ['status', 'categoryId', ...statKeys] as const
  const facts = await factsIn(
    field,
    oid(unit._id),
    start,
    end,
    Object.fromEntries(fields.map((f) => [f, 1 as const])),
  )
  const sums = emptySums()
  for (const f of facts) addInto(sums, f, true)
  return sums
}

/** The scope's figures over whole local days [from, to]. */
export async function needStats(actor: Actor, q: NeedStatsQuery): Promise<NeedStats> {
  const scope = await matchFor(actor, q)
  const { unit, communityId } = scope
  // The catalogue is a handful of documents per community: one read, not one per category; by the
  // community's equality, beside its sums, where there is one (FerretDB v1 reads the whole
  // collection for an `$in`), else by the ids the street's sums name.
  const [sums, catalogue] = await Promise.all([
    sumsOf(q, scope),
    communityId ? NeedCategory.find({ communityId }, { name: 1 }).lean() : null,
  ])
  const byStatus = new Map(Object.entries(sums.status))
  const byCategory = new Map(Object.entries(sums.category))
  const cats =
    catalogue ?? (await NeedCategory.find({ _id: { $in: [...byCategory.keys()] } }, { name: 1 }).lean())
  const catName = new Map(cats.map((c) => [String(c._id), c.name]))
  return {
    scope: q.scope,
    scopeId: q.scopeId,
    scopeName: unit.name,
    from: q.from,
    to: q.to,
    total: sums.total,
    counted: sums.counted,
    acceptedOnTime: sums.acceptedOnTime,
    resolvedKept: sums.resolvedKept,
    rated: sums.rated,
    satisfied: sums.satisfied,
    ...needRates(sums),
    byStatus: needStatuses
      .filter((s) => byStatus.has(s))
      .map((s) => ({ key: s, label: needStatusLabels[s], count: byStatus.get(s) ?? 0 })),
    byCategory: [...byCategory.entries()]
      .map(([key, count]) => ({ key, label: catName.get(key) ?? '', count }))
      .sort((a, b) => b.count - a.count),
  }
}

/** Guards spreadsheet formula injection and quotes as RFC 4180 asks. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 1000) / 10}%`)

/** The figures and one row per need, with no names, phones or notes. */
export async function exportStatsCsv(actor: Actor, q: NeedStatsQuery): Promise<string> {
  const stats = await needStats(actor, q)
  const { match } = await matchFor(actor, q)
  const needs = (await Need.find(match)
    .sort({ createdAt: 1, _id: 1 })
    .limit(10_000)
    .lean()) as unknown as NeedDoc[]
  const lines: unknown[][] = [
    ['范围', stats.scopeName, '日期', `${q.from}至${q.to}`],
    ['反映总数', stats.total, '有效件数', stats.counted],
    ['响应率', pct(stats.responseRate), '解决率', pct(stats.resolveRate)],
    ['满意率', pct(stats.satisfactionRate), '评价件数', stats.rated],
    ['平均受理用时(分钟)', stats.avgAcceptMinutes ?? '', '平均办结用时(分钟)', stats.avgResolveMinutes ?? ''],
    [],
    [
      '编号',
      '分类',
      '标题',
      '状态',
      '层级',
      '紧急程度',
      '提交时间',
      '受理用时(分钟)',
      '办结用时(分钟)',
      '评分',
      '重启次数',
    ],
    ...needs.map((n) => [
      n.no,
      n.categoryName,
      n.title,
      needStatusLabels[n.status as NeedStatus],
      needLevelLabels[n.level as NeedLevel],
      needUrgencyLabels[n.urgency as NeedUrgency],
      n.createdAt.toISOString(),
      n.stat?.acceptCount ? n.stat.acceptMinutes : '',
      n.stat?.resolveCount ? n.stat.resolveMinutes : '',
      n.rating ?? '',
      n.reopenCount ?? 0,
    ]),
  ]
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`
}
