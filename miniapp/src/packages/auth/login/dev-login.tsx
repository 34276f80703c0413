import {
  type CommunitySummary,
  type DevLoginBody,
  type DevScopes,
  type Role,
  roleLabels,
  type TokenPair,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { ActionButton, Chips, Field, useFieldErrors } from '../../../ui'

// The sign-in page loads without the contract's schemas (zod): the server checks the form and
// its field messages show under the fields.
const roleChoices = (Object.keys(roleLabels) as Role[]).map((r) => ({ value: r, label: roleLabels[r] }))
const labels = { role: '角色', scopeId: '所属范围', handle: '登录标识', nickname: '昵称' }

/** Development sign-in on H5 (the BFF offers it outside production): any role in any scope. */
export function DevLogin(props: { onDone: (pair: TokenPair) => Promise<void> }) {
  const [role, setRole] = useState<Role>('resident')
  const [communities, setCommunities] = useState<CommunitySummary[]>([])
  const [communityId, setCommunityId] = useState('')
  const [grids, setGrids] = useState<{ value: string; label: string }[]>([])
  const [gridId, setGridId] = useState('')
  const [merchantId, setMerchantId] = useState('')
  const [scopes, setScopes] = useState<DevScopes>({ merchants: [], departments: [] })
  const [handle, setHandle] = useState('')
  const [nickname, setNickname] = useState('')
  const fields = useFieldErrors(labels)

  useEffect(() => {
    call('listCommunities', { query: {} }).then(
      (r) => setCommunities(r.items),
      () => {},
    )
    call('listDevScopes', undefined, { quiet: true }).then(setScopes, () => {})
  }, [])
  useEffect(() => {
    setGridId('')
    if (role !== 'gridWorker' || !communityId) return setGrids([])
    call('getCommunity', { params: { id: communityId } }).then(
      (c) => setGrids(c.grids.map((g) => ({ value: g.id, label: g.name }))),
      () => {},
    )
  }, [role, communityId])

  const pickRole = (v: string) => {
    setRole(v as Role)
    setMerchantId('')
  }
  const community = communities.find((c) => c.id === communityId)
  const scopeId = {
    resident: undefined,
    admin: undefined,
    staff: community?.id,
    streetStaff: community?.streetId,
    gridWorker: gridId || undefined,
    merchant: merchantId || undefined,
    deptStaff: merchantId || undefined,
  }[role]
  const needsCommunity = role === 'staff' || role === 'streetStaff' || role === 'gridWorker'

  const submit = async () => {
    const missing = needsCommunity
      ? '请选择所属社区'
      : ({ merchant: '请选择所属商户', deptStaff: '请选择所属部门' } as Partial<Record<Role, string>>)[role]
    if (missing && !scopeId) {
      await Taro.showToast({ title: missing, icon: 'none' })
      return
    }
    const body = {
      role,
      scopeId,
      handle: handle.trim() || undefined,
      nickname: nickname.trim() || undefined,
    } as DevLoginBody // the server checks it; a scope missing was caught above
    try {
      await props.onDone(await call('devLogin', { body }, { quiet: true }))
    } catch (error) {
      if (!fields.fromServer(error))
        await Taro.showToast({ title: (error as Error).message || '登录失败', icon: 'none' })
    }
  }

  return (
    <View className="card dev-login">
      <Text className="card__title">开发登录</Text>
      <Text className="muted">仅在开发与测试环境提供，正式环境请在微信中打开</Text>

      <Text className="section-label">角色</Text>
      <Chips className="dev-role" options={roleChoices} value={role} onChange={pickRole} />

      {needsCommunity && (
        <>
          <Text className="section-label">
            {role === 'streetStaff' ? '所属街道（按社区选择）' : '所属社区'}
          </Text>
          <Chips
            className="dev-community"
            options={communities.map((c) => ({ value: c.id, label: c.name }))}
            value={communityId}
            onChange={setCommunityId}
          />
        </>
      )}
      {role === 'gridWorker' && grids.length > 0 && (
        <>
          <Text className="section-label">所属网格</Text>
          <Chips className="dev-grid" options={grids} value={gridId} onChange={setGridId} />
        </>
      )}
      {role === 'merchant' && (
        <>
          <Text className="section-label">所属商户</Text>
          <Chips
            className="dev-merchant"
            options={scopes.merchants.map((m) => ({ value: m.id, label: `${m.name}（${m.communityName}）` }))}
            value={merchantId}
            onChange={setMerchantId}
          />
        </>
      )}
      {role === 'deptStaff' && (
        <>
          <Text className="section-label">所属部门</Text>
          <Chips
            className="dev-department"
            options={scopes.departments.map((d) => ({ value: d.id, label: d.name }))}
            value={merchantId}
            onChange={setMerchantId}
          />
        </>
      )}

      <Field
        className="dev-handle"
        label="登录标识（同一标识再次登录为同一人）"
        hint="2–32 位小写字母、数字或 -"
        value={handle}
        onInput={(v) => {
          setHandle(v)
          fields.clear('handle')
        }}
        placeholder="例如 resident-1"
        maxlength={32}
        error={fields.errors.handle}
      />
      <Field
        className="dev-nickname"
        label="昵称（可选）"
        hint="最多 20 个字"
        value={nickname}
        onInput={(v) => {
          setNickname(v)
          fields.clear('nickname')
        }}
        placeholder="例如 张阿姨"
        error={fields.errors.nickname}
      />

      <ActionButton className="dev-submit" onTap={submit}>
        {`以${roleLabels[role]}身份登录`}
      </ActionButton>
    </View>
  )
}
