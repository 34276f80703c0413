import { type Me, zoneDate, zoneMidnight } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'
import { hasRole, staffRoles } from '../../lib/labels'
import { useManagedCommunities } from '../../lib/use-managed-communities'
import { useMe } from '../../session/use-me'
import { Page, Skeleton } from '../../ui'

export const ADMIN = '/packages/points-admin'

/** Staff-only page frame: the signed-in user and the community being managed. */
export function StaffPage(props: {
  children: (ctx: { me: Me; communityId: string; picker: ReactNode }) => ReactNode
}) {
  const { me } = useMe()
  const { communityId, picker } = useManagedCommunities(me)
  if (!me) return <Page>{<Skeleton />}</Page>
  if (!hasRole(me, staffRoles))
    return (
      <Page>
        <View className="card muted center">仅对社区、街道工作人员开放</View>
      </Page>
    )
  return <Page className="admin">{props.children({ me, communityId, picker })}</Page>
}

export const toast = (title: string, icon: 'success' | 'none' = 'none') => Taro.showToast({ title, icon })

/** A whole number from a form field, or null when empty or not a number. */
export function intOf(value: string): number | null {
  const t = value.trim()
  if (!/^-?\d+$/.test(t)) return null
  return Number(t)
}

/** 'YYYY-MM-DD' in the community's zone, its start of day as an API instant. */
export const dayStart = (date: string): string => zoneMidnight(date).toISOString()
/** The community's calendar date of an instant, 'YYYY-MM-DD'. */
export const localDay = (instant: string): string => zoneDate(new Date(instant))

export function Row(props: { label: string; children: ReactNode }) {
  return (
    <View className="row">
      <Text className="row__label">{props.label}</Text>
      <Text className="row__value">{props.children}</Text>
    </View>
  )
}
