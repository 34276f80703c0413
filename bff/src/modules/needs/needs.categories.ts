import type {
  CreateNeedCategoryBody,
  NeedCategory as NeedCategoryDto,
  NeedLevel,
  NeedSla,
  UpdateNeedCategoryBody,
} from '@linli/shared-types'
import { AppError, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { type CategoryDoc, NeedCategory } from './need.model'

const t = (acceptMinutes: number, replyMinutes: number, resolveMinutes: number) => ({
  acceptMinutes,
  replyMinutes,
  resolveMinutes,
})
const h = 60
const d = 24 * h

/** The catalogue every community starts with (minutes: accept, first reply, resolve). */
export const defaultCategories: {
  key: string
  name: string
  description: string
  defaultLevel: NeedLevel
  sla: NeedSla
}[] = [
  {
    key: 'utilities',
    name: '水电气维修',
    description: '停水停电、燃气、管道漏水、公共照明',
    defaultLevel: 'courtyard',
    sla: { normal: t(2 * h, 4 * h, 2 * d), urgent: t(30, h, 12 * h), emergency: t(10, 30, 4 * h) },
  },
  {
    key: 'sanitation',
    name: '环境卫生',
    description: '垃圾清运、楼道卫生、绿化、病媒',
    defaultLevel: 'courtyard',
    sla: { normal: t(4 * h, 8 * h, 3 * d), urgent: t(h, 2 * h, d), emergency: t(30, h, 8 * h) },
  },
  {
    key: 'safety',
    name: '安全隐患',
    description: '消防通道、电动车充电、高空坠物、危房',
    defaultLevel: 'courtyard',
    sla: { normal: t(h, 2 * h, d), urgent: t(20, h, 8 * h), emergency: t(10, 20, 2 * h) },
  },
  {
    key: 'dispute',
    name: '邻里纠纷',
    description: '噪音、漏水、占道、宠物等邻里矛盾调解',
    defaultLevel: 'courtyard',
    sla: { normal: t(4 * h, 8 * h, 7 * d), urgent: t(h, 4 * h, 2 * d), emergency: t(30, h, d) },
  },
  {
    key: 'elderly',
    name: '为老助残',
    description: '独居老人、残障人士的生活帮扶',
    defaultLevel: 'courtyard',
    sla: { normal: t(2 * h, 4 * h, 2 * d), urgent: t(30, h, 8 * h), emergency: t(10, 20, 2 * h) },
  },
  {
    key: 'other',
    name: '其他',
    description: '其他需要社区帮助解决的事',
    defaultLevel: 'courtyard',
    sla: { normal: t(8 * h, d, 7 * d), urgent: t(2 * h, 4 * h, 2 * d), emergency: t(h, 2 * h, d) },
  },
]

/** Creates the default catalogue of a community if it has none yet; safe to run concurrently. */
export async function ensureDefaultCategories(communityId: string): Promise<void> {
  if (await NeedCategory.exists({ communityId })) return
  for (const [i, c] of defaultCategories.entries()) {
    try {
      await NeedCategory.create({ ...c, communityId, sortOrder: i })
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
}

export function categoryDto(c: CategoryDoc): NeedCategoryDto {
  return {
    id: String(c._id),
    communityId: String(c.communityId),
    key: c.key,
    name: c.name,
    description: c.description ?? '',
    defaultLevel: c.defaultLevel as NeedLevel,
    sla: c.sla as NeedSla,
    active: c.active ?? true,
  }
}

/** A new category of the community's catalogue; staff of that community only. Audited. */
export async function createCategory(actor: Actor, body: CreateNeedCategoryBody): Promise<NeedCategoryDto> {
  assertInReach(actor, body.communityId)
  await ensureDefaultCategories(body.communityId)
  let created: CategoryDoc
  try {
    created = (await NeedCategory.create(body)).toObject() as CategoryDoc
  } catch (error) {
    if (isDuplicateKey(error)) throw new AppError('DUPLICATE', '该社区已有同一标识的分类')
    throw error
  }
  await audit(
    actor,
    'need.category.create',
    { type: 'needCategory', id: String(created._id), communityId: body.communityId, name: body.name },
    { key: body.key, sla: body.sla },
  )
  return categoryDto(created)
}

/**
 * Edits a category. Needs already submitted keep the timers they were given (their SLA snapshot);
 * the new timers apply from the next submission. Audited with the fields changed.
 */
export async function updateCategory(
  actor: Actor,
  id: string,
  body: UpdateNeedCategoryBody,
): Promise<NeedCategoryDto> {
  const existing = found((await NeedCategory.findById(id).lean()) as CategoryDoc | null)
  assertInReach(actor, existing.communityId)
  const updated = (await NeedCategory.findOneAndUpdate(
    { _id: id },
    { $set: body },
    { new: true },
  ).lean()) as CategoryDoc | null
  await audit(
    actor,
    'need.category.update',
    { type: 'needCategory', id, communityId: existing.communityId, name: updated?.name ?? existing.name },
    { fields: Object.keys(body), ...(body.sla ? { sla: body.sla } : {}) },
  )
  return categoryDto(found(updated))
}
