import { randomBytes } from 'node:crypto'
import {
  type DeliberationRule,
  type DeliberationRules,
  type DeliberationSettings,
  defaultDeliberationSettings,
  type UpdateRulesBody,
} from '@linli/shared-types'
import { AppError, fail } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { type Actor, assertInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { loadCommunity } from './access'
import { RuleSet } from './deliberation.model'

const note = '（示例，请替换为本社区的规则）'

/** Seeded examples, clearly labelled, for staff to replace with their community's own lists. */
export const exampleRules: { deliberate: DeliberationRule[]; exclude: DeliberationRule[] } = {
  deliberate: [
    ['yi-facilities', '公共设施', '小区道路、照明、充电桩、健身器材等公共设施的增设与维护'],
    ['yi-environment', '环境卫生', '垃圾分类、绿化、噪声、楼道堆物等人居环境问题'],
    ['yi-safety', '安全隐患', '消防通道、高空坠物、电动车入户等公共安全事项'],
    ['yi-property', '物业服务', '物业服务质量、收费公示、停车管理等'],
    ['yi-funds', '公共资金使用', '公共收益、党组织服务群众经费、维修资金等的使用'],
  ].map(([id, name, explanation]) => ({
    id: id!,
    name: name!,
    explanation: `${explanation}${note}`,
    example: true,
  })),
  exclude: [
    ['buyi-illegal', '违反法律政策', '违反法律法规和政策规定的事项'],
    ['buyi-private', '私人纠纷', '应通过调解或诉讼解决的邻里、家庭等私人纠纷'],
    ['buyi-privacy', '涉及个人隐私', '涉及他人个人隐私、个人信息的事项'],
    ['buyi-authority', '超出社区职权', '超出社区自治范围、须由上级部门决定的事项'],
    ['buyi-decided', '已有决定', '已经议定或已由有关部门作出决定的事项'],
  ].map(([id, name, explanation]) => ({
    id: id!,
    name: name!,
    explanation: `${explanation}${note}`,
    example: true,
  })),
}

type RuleSetLean = {
  communityId: unknown
  settings?: Partial<DeliberationSettings> | null
  deliberate: DeliberationRule[]
  exclude: DeliberationRule[]
  updatedAt?: Date | null
  updatedBy?: unknown
}

/** The community's rule lists, created from the examples on first use (an upsert, safe to race). */
export async function ensureRules(communityId: string): Promise<RuleSetLean> {
  const upsert = () =>
    RuleSet.findOneAndUpdate(
      { communityId },
      { $setOnInsert: { deliberate: exampleRules.deliberate, exclude: exampleRules.exclude } },
      { upsert: true, new: true },
    ).lean()
  try {
    return (await upsert()) as RuleSetLean
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return (await upsert()) as RuleSetLean
  }
}

export async function getRules(communityId: string): Promise<DeliberationRules> {
  await loadCommunity(communityId)
  return toDto(await ensureRules(communityId))
}

export async function updateRules(
  actor: Actor,
  communityId: string,
  body: UpdateRulesBody,
): Promise<DeliberationRules> {
  await loadCommunity(communityId)
  assertInReach(actor, communityId)
  const current = await ensureRules(communityId)
  const previous = new Map([...current.deliberate, ...current.exclude].map((r) => [r.id, r]))
  const seen = new Set<string>()
  const build = (list: UpdateRulesBody['deliberate'], prefix: string): DeliberationRule[] =>
    list.map((r) => {
      const id = r.id ?? `${prefix}-${randomBytes(4).toString('hex')}`
      if (seen.has(id)) fail('DELIBERATION_RULE_DUPLICATE', `规则编号 ${id} 重复`)
      seen.add(id)
      const old = previous.get(id)
      const unchanged = old && old.name === r.name && old.explanation === r.explanation
      return { id, name: r.name, explanation: r.explanation, example: Boolean(unchanged && old.example) }
    })
  const deliberate = build(body.deliberate, 'yi')
  const exclude = build(body.exclude, 'buyi')
  const updated = await RuleSet.findOneAndUpdate(
    { communityId },
    {
      $set: {
        deliberate,
        exclude,
        updatedBy: actor.userId,
        ...(body.settings ? { settings: body.settings } : {}),
      },
    },
    { new: true },
  ).lean()
  if (!updated) throw new AppError('NOT_FOUND')
  await audit(
    actor,
    'deliberation.rules.update',
    { type: 'deliberationRules', id: communityId, communityId },
    { deliberate: deliberate.length, exclude: exclude.length, ...(body.settings ?? {}) },
  )
  return toDto(updated as RuleSetLean)
}

/** The community's 附议 threshold and default voting window. */
export async function settingsOf(communityId: string): Promise<DeliberationSettings> {
  return settingsFrom(await ensureRules(communityId))
}

const settingsFrom = (r: RuleSetLean): DeliberationSettings => ({
  ...defaultDeliberationSettings,
  ...r.settings,
})

function toDto(r: RuleSetLean): DeliberationRules {
  const rule = (x: DeliberationRule) => ({
    id: x.id,
    name: x.name,
    explanation: x.explanation,
    example: Boolean(x.example),
  })
  return {
    communityId: String(r.communityId),
    settings: settingsFrom(r),
    deliberate: r.deliberate.map(rule),
    exclude: r.exclude.map(rule),
    updatedAt: r.updatedBy && r.updatedAt ? r.updatedAt.toISOString() : null,
  }
}
