import type { CommunitySummary, Me } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { type ReactNode, useEffect, useState } from 'react'
import { call } from '../../api'
import { Chips } from '../../components/chips'
import { Loading } from '../../components/loading'
import { hasRole, staffRoles } from '../../lib/labels'
import { useMe } from '../../session/use-me'

export const ADMIN = '/packages/points-admin'

/** The communities a staff member works in: their community, their street's, or all for admins. */
export function useStaffCommunities(me: Me | null) {
  const [all, setAll] = useState<CommunitySummary[]>([])
  const [communityId, setCommunityId] = useState('')
  useEffect(() => {
    call('listCommunities', { query: {} }).then(
      (r) => setAll(r.items),
      () => {},
    )
  }, [])
  const roles = me?.roles.filter((m) => staffRoles.includes(m.role)) ?? []
  const communities = all.filter((c) =>
    roles.some(
      (m) =>
        m.role === 'admin' ||
        (m.scopeType === 'community' && m.scopeId === c.id) ||
        (m.scopeType === 'street' && m.scopeId === c.streetId),
    ),
  )
  const chosen = communities.find((c) => c.id === communityId)?.id ?? communities[0]?.id ?? ''
  const picker =
    communities.length > 1 ? (
      <Chips
        className="pick-community"
        options={communities.map((c) => ({ value: c.id, label: c.name }))}
        value={chosen}
        onChange={setCommunityId}
      />
    ) : null
  return { communityId: chosen, picker }
}

/** Staff-only page frame: the signed-in user and the community being managed. */
export function StaffPage(props: {
  children: (ctx: { me: Me; communityId: string; picker: ReactNode }) => ReactNode
}) {
  const { me } = useMe()
  const { communityId, picker } = useStaffCommunities(me)
  if (!me) return <View className="page">{<Loading />}</View>
  if (!hasRole(me, staffRoles))
    return (
      <View className="page">
        <View className="card muted center">仅对社区、街道工作人员开放</View>
      </View>
    )
  return <View className="page admin">{props.children({ me, communityId, picker })}</View>
}

export const toast = (title: string, icon: 'success' | 'none' = 'none') => Taro.showToast({ title, icon })

/** A whole number from a form field, or null when empty or not a number. */
export function intOf(value: string): number | null {
  const t = value.trim()
  if (!/^-?\d+$/.test(t)) return null
  return Number(t)
}

/** 'YYYY-MM-DD' local (Asia/Shanghai) start of day as an API instant. */
export function dayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString()
}
export function localDay(instant: string): string {
  return new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

export function Row(props: { label: string; children: ReactNode }) {
  return (
    <View className="row">
      <Text className="row__label">{props.label}</Text>
      <Text className="row__value">{props.children}</Text>
    </View>
  )
}
