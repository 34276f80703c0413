import type { DevLoginBody, DevScopes, Me, Role, ScopeType, TokenPair } from '@linli/shared-types'
import { DEFAULT_TZ, roleScopeTypes } from '@linli/shared-types'
import type { AppDeps } from '../../platform/deps'
import { AppError, fail } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { Merchant } from '../merchants/merchant.model'
import { communityInfo } from '../org/org.service'
import { OrgUnit } from '../org/org-unit.model'
import { loadActor } from './actor'
import { Membership } from './membership.model'
import { familyOf, issueRefreshToken, revokeFamily, rotateRefreshToken, signAccessToken } from './tokens'
import { User } from './user.model'

export async function toMe(actor: Actor): Promise<Me> {
  const communityId =
    actor.residency.communityId ?? actor.memberships.find((m) => m.scopeType === 'community')?.scopeId ?? null
  // Grid, street and department roles hold no community themselves: the first one they reach sets the zone.
  const zoneOf = communityId ?? Object.values(actor.reach).flat()[0]
  return {
    id: actor.userId,
    nickname: actor.nickname,
    roles: actor.memberships,
    residencyStatus: actor.residency.status,
    communityId,
    timezone: zoneOf ? (await communityInfo(zoneOf)).timezone : DEFAULT_TZ,
  }
}

async function issueTokens(deps: AppDeps, userId: string, familyId?: string): Promise<TokenPair> {
  const actor = await loadActor(userId)
  if (!actor) throw new AppError('TOKEN_INVALID')
  const refresh = await issueRefreshToken(deps.config, userId, familyId)
  return {
    accessToken: signAccessToken(deps.config, userId, refresh.familyId),
    refreshToken: refresh.token,
    expiresIn: deps.config.ACCESS_TOKEN_TTL_SECONDS,
    user: await toMe(actor),
  }
}

export async function loginWithWechat(deps: AppDeps, code: string): Promise<TokenPair> {
  const session = await deps.wechat.code2Session(code)
  const user = await User.findOneAndUpdate(
    { openid: session.openid },
    {
      $set: { wechatSessionKey: session.sessionKey },
      $setOnInsert: { nickname: `邻居${session.openid.slice(-4)}` },
    },
    { upsert: true, new: true },
  ).lean()
  return issueTokens(deps, String(user._id))
}

/** Signs in as a dev person holding `role` in a scope. Refused in production. */
export async function devLogin(deps: AppDeps, body: DevLoginBody): Promise<TokenPair> {
  if (deps.config.NODE_ENV === 'production') fail('DEV_LOGIN_DISABLED')
  const scope = await resolveScope(body.role, body.scopeId)
  const handle = body.handle ?? `${body.role}-${body.scopeId?.slice(-6) ?? 'all'}`
  const user = await User.findOneAndUpdate(
    { openid: `dev:${handle}` },
    { $setOnInsert: { nickname: body.nickname ?? handle } },
    { upsert: true, new: true },
  ).lean()
  // Residents get their role when staff verify their residency claim.
  if (body.role !== 'resident') {
    await Membership.updateOne(
      { userId: user._id, role: body.role, scopeId: scope.id },
      { $setOnInsert: { scopeType: scope.type, scopeName: scope.name } },
      { upsert: true },
    )
  }
  return issueTokens(deps, String(user._id))
}

/** The merchants and departments a dev person may sign in for, by name. Refused in production. */
export async function devScopes(deps: AppDeps): Promise<DevScopes> {
  if (deps.config.NODE_ENV === 'production') fail('DEV_LOGIN_DISABLED')
  const [merchants, departments] = await Promise.all([
    Merchant.find({}, { name: 1, communityId: 1 }).sort({ _id: 1 }).limit(100).lean(),
    OrgUnit.find({ level: 'department' }, { name: 1 }).sort({ _id: 1 }).limit(100).lean(),
  ])
  const communities = await OrgUnit.find(
    { _id: { $in: [...new Set(merchants.map((m) => String(m.communityId)))] } },
    { name: 1 },
  ).lean()
  const communityName = new Map(communities.map((c) => [String(c._id), c.name]))
  return {
    merchants: merchants.map((m) => ({
      id: String(m._id),
      name: m.name,
      communityName: communityName.get(String(m.communityId)) ?? '',
    })),
    departments: departments.map((d) => ({ id: String(d._id), name: d.name })),
  }
}

async function resolveScope(
  role: Role,
  scopeId: string | undefined,
): Promise<{ type: ScopeType; id: string | null; name: string }> {
  const [type] = roleScopeTypes[role]
  if (role === 'resident') return { type: 'community', id: null, name: '' }
  if (role === 'admin') return { type: 'global', id: null, name: '全部' }
  const invalid = () =>
    new AppError('VALIDATION_FAILED', undefined, [{ path: ['scopeId'], message: '请选择所属范围' }])
  // The body's schema requires a scope of every other role; one that does not exist is not found.
  if (!scopeId) throw invalid()
  if (role === 'merchant') {
    const merchant = await Merchant.findById(scopeId).lean()
    if (!merchant) throw new AppError('NOT_FOUND', '所选商户不存在')
    return { type: 'merchant', id: scopeId, name: merchant.name }
  }
  const unit = await OrgUnit.findById(scopeId).lean()
  if (!unit) throw new AppError('NOT_FOUND', '所选范围不存在')
  // An org unit of another level: well-formed, but not a scope of this role.
  if (!roleScopeTypes[role].includes(unit.level as ScopeType))
    throw new AppError('RULE_VIOLATED', undefined, [{ path: ['scopeId'], message: '所选范围与角色不符' }])
  return { type: (unit.level as ScopeType) ?? type, id: scopeId, name: unit.name }
}

export async function refresh(deps: AppDeps, refreshToken: string): Promise<TokenPair> {
  const { userId, familyId } = await rotateRefreshToken(deps.config, refreshToken)
  return issueTokens(deps, userId, familyId)
}

export async function logout(deps: AppDeps, refreshToken: string): Promise<void> {
  const family = await familyOf(refreshToken)
  if (family) await revokeFamily(deps.config, family.familyId, family.userId)
}
