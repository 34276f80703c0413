import { timingSafeEqual } from 'node:crypto'
import type { Open311CreateInput, Open311Request, Open311RequestsQuery } from '@linli/shared-types'
import {
  maskPhone,
  type NeedLevel,
  type NeedStatus,
  needLevelLabels,
  needStatusLabels,
  openNeedStatuses,
} from '@linli/shared-types'
import type { z } from 'zod'
import type { Config } from '../../platform/config'
import { AppError, fail } from '../../platform/errors'
import { OrgUnit } from '../org/org-unit.model'
import { type CategoryDoc, Need, NeedCategory, type NeedDoc } from './need.model'
import { openNeed } from './needs.intake'
import { tellHandlers } from './needs.service'

type RequestOut = z.infer<typeof Open311Request>

const folded = (s: string): 'open' | 'closed' =>
  (openNeedStatuses as readonly string[]).includes(s) ? 'open' : 'closed'

/** Mobile numbers a resident typed into free text are masked before anything leaves for a city platform. */
const scrub = (text: string) => text.replace(/1[3-9]\d{9}/g, (m) => maskPhone(m))

export async function listServices(jurisdictionId?: string) {
  const filter = jurisdictionId ? { communityId: jurisdictionId, active: true } : { active: true }
  const rows = (await NeedCategory.find(filter)
    .sort({ communityId: 1, sortOrder: 1 })
    .lean()) as CategoryDoc[]
  const communities = await OrgUnit.find({ _id: { $in: rows.map((r) => r.communityId) } }).lean()
  const names = new Map(communities.map((c) => [String(c._id), c.name]))
  return rows.map((c) => ({
    service_code: String(c._id),
    service_name: c.name,
    description: c.description ?? '',
    metadata: false,
    type: 'realtime' as const,
    keywords: c.key,
    group: names.get(String(c.communityId)) ?? '',
  }))
}

/**
 * Only public facts: category, title + description (phones scrubbed), courtyard/building names,
 * status folded to open/closed with its label. Never the reporter, contact phone, unit/room text,
 * photos or any timeline note.
 */
async function toRequests(needs: NeedDoc[]): Promise<RequestOut[]> {
  const ids = new Set<string>()
  for (const n of needs)
    for (const id of [n.communityId, n.courtyardId, n.buildingId]) if (id) ids.add(String(id))
  const units = await OrgUnit.find({ _id: { $in: [...ids] } }).lean()
  const name = new Map(units.map((u) => [String(u._id), u.name]))
  return needs.map((n) => ({
    service_request_id: String(n._id),
    status: folded(n.status),
    status_notes: `${needStatusLabels[n.status as NeedStatus]}${n.status === 'referred' && n.referredTo ? `，转办至${n.referredTo}` : ''}`,
    service_name: n.categoryName,
    service_code: String(n.categoryId),
    description: scrub(`${n.title}：${n.description}`),
    agency_responsible: `${name.get(String(n.communityId)) ?? ''}${needLevelLabels[n.level as NeedLevel]}`,
    service_notice: null,
    requested_datetime: n.createdAt.toISOString(),
    updated_datetime: n.updatedAt.toISOString(),
    expected_datetime: n.resolveDueAt ? n.resolveDueAt.toISOString() : null,
    address: [
      name.get(String(n.communityId)),
      name.get(String(n.courtyardId)),
      name.get(String(n.buildingId)),
    ]
      .filter(Boolean)
      .join(' '),
    address_id: n.buildingId ? String(n.buildingId) : n.courtyardId ? String(n.courtyardId) : null,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  }))
}

const csv = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : []

export async function listRequests(q: z.infer<typeof Open311RequestsQuery>) {
  const filter: Record<string, unknown> = {}
  if (q.jurisdiction_id) filter.communityId = q.jurisdiction_id
  const ids = csv(q.service_request_id)
  // Both lists are ids, checked by the query's schema (and so in the OpenAPI document).
  if (ids.length) {
    filter._id = { $in: ids }
  } else {
    const codes = csv(q.service_code)
    if (codes.length) filter.categoryId = { $in: codes }
    // GeoReport v2: without dates, the last 90 days.
    const end = q.end_date ? new Date(q.end_date) : new Date()
    const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * 86_400_000)
    filter.createdAt = { $gte: start, $lte: end }
    const statuses = csv(q.status)
    if (statuses.length === 1)
      filter.status =
        statuses[0] === 'open' ? { $in: [...openNeedStatuses] } : { $nin: [...openNeedStatuses] }
  }
  const needs = (await Need.find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(1000)
    .lean()) as unknown as NeedDoc[]
  return toRequests(needs)
}

export async function getRequest(id: string) {
  const need = (await Need.findById(id).lean()) as NeedDoc | null
  if (!need) throw new AppError('NOT_FOUND')
  return toRequests([need])
}

function keyAllowed(config: Config, key: string): boolean {
  const given = Buffer.from(key)
  return config.OPEN311_API_KEYS.split(',')
    .map((k) => k.trim())
    .filter((k) => k.length >= 8)
    .some((k) => {
      const want = Buffer.from(k)
      return want.length === given.length && timingSafeEqual(want, given)
    })
}

/** A request from a city platform becomes a need of the category's community, routed like any other. */
export async function createRequest(config: Config, input: z.infer<typeof Open311CreateInput>) {
  if (!keyAllowed(config, input.api_key)) fail('OPEN311_API_KEY_INVALID')
  const category = (await NeedCategory.findOne({
    _id: input.service_code,
    active: true,
  }).lean()) as CategoryDoc | null
  if (!category || (input.jurisdiction_id && String(category.communityId) !== input.jurisdiction_id))
    throw new AppError('NOT_FOUND', 'service_code 不存在')
  const unit = input.address_id
    ? await OrgUnit.findOne({
        _id: input.address_id,
        communityId: category.communityId,
        level: { $in: ['courtyard', 'building'] },
      }).lean()
    : null
  if (input.address_id && !unit) fail('RULE_VIOLATED', 'address_id 不属于该社区')
  const place = {
    communityId: category.communityId,
    gridId: unit?.gridId ?? null,
    courtyardId: unit ? (unit.level === 'courtyard' ? unit._id : unit.courtyardId) : null,
    buildingId: unit?.level === 'building' ? unit._id : null,
  }
  const { need, level, handlers, acceptDueAt } = await openNeed({
    place,
    category,
    // Without a courtyard nobody below the community can take it.
    level: place.courtyardId ? (category.defaultLevel as NeedLevel) : 'community',
    title: input.description.slice(0, 40),
    description: input.description,
    location: input.address_string,
    urgency: 'normal',
    reporter: {
      id: null,
      name: [input.last_name, input.first_name].filter(Boolean).join(''),
      phone: input.phone,
    },
    submitted: { actorRole: 'system', actorName: '城市平台', note: input.description },
    extra: { source: 'open311' },
  })
  await tellHandlers(need, level, handlers, '城市平台转来的反映')
  return [
    {
      service_request_id: String(need._id),
      service_notice: `已受理登记，将于${acceptDueAt.toISOString()}前受理`,
      account_id: input.account_id ?? null,
    },
  ]
}
