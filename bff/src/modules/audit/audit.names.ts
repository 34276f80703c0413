import { maskName } from '@linli/shared-types'
import type { Model } from 'mongoose'
import { ActivityModel } from '../activities/activity.model'
import { User } from '../auth/user.model'
import { Booking } from '../booking/booking.model'
import { Space } from '../booking/space.model'
import { Day, Topic } from '../deliberation/deliberation.model'
import { ItemModel } from '../lending/lending.model'
import { Merchant } from '../merchants/merchant.model'
import { Need, NeedCategory } from '../needs/need.model'
import { OrgUnit } from '../org/org-unit.model'
import { Reward, Voucher } from '../points/rewards.model'
import { ResidencyClaim } from '../residency/claim.model'
import type { AuditDoc } from './audit.model'

type Row = Record<string, unknown> & { _id: unknown }

interface Source {
  find: (ids: string[]) => Promise<Row[]>
  name: (row: Row) => string
}
const from = <T>(model: Model<T>, name: (row: Row) => string): Source => ({
  find: async (ids) => (await model.find({ _id: { $in: ids } } as never).lean()) as unknown as Row[],
  name,
})

/** Where each kind of target keeps the name people call it by. */
const sources: Record<string, Source> = {
  topic: from(Topic, (r) => String(r.title)),
  need: from(Need, (r) => String(r.no ?? '')),
  booking: from(Booking, (r) => String(r.spaceName)),
  space: from(Space, (r) => String(r.name)),
  reward: from(Reward, (r) => String(r.title)),
  merchant: from(Merchant, (r) => String(r.name)),
  voucher: from(Voucher, (r) => String(r.title)),
  residencyClaim: from(ResidencyClaim, (r) => maskName(String(r.realName))),
  user: from(User, (r) => maskName(String(r.nickname))),
  deliberationDay: from(Day, (r) => String(r.date)),
  community: from(OrgUnit, (r) => String(r.name)),
  deliberationRules: from(OrgUnit, (r) => String(r.name)),
  needCategory: from(NeedCategory, (r) => String(r.name)),
  activity: from(ActivityModel, (r) => String(r.title)),
  item: from(ItemModel, (r) => String(r.name)),
}

/**
 * The human name of each entry's target, read now (one query per kind of target on the page):
 * the name stored with the entry wins; a deleted target keeps what was stored, or none.
 */
export async function subjectNames(entries: AuditDoc[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  const wanted = new Map<string, Set<string>>()
  for (const e of entries) {
    if (e.subjectName) names.set(`${e.targetType}:${e.targetId}`, e.subjectName)
    else if (sources[e.targetType] && /^[0-9a-f]{24}$/.test(e.targetId))
      wanted.set(e.targetType, (wanted.get(e.targetType) ?? new Set()).add(e.targetId))
  }
  await Promise.all(
    [...wanted].map(async ([type, ids]) => {
      const source = sources[type]!
      const rows = await source.find([...ids])
      for (const r of rows) names.set(`${type}:${String(r._id)}`, source.name(r))
    }),
  )
  return names
}
