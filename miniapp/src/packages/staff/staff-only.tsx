import type { Me } from '@linli/shared-types'
import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Loading } from '../../components/loading'
import { hasRole, staffRoles } from '../../lib/labels'

/** Renders its children for community, street staff and admins; others see why not. */
export function StaffOnly(props: { me: Me | null; children: ReactNode }) {
  if (!props.me) return <View className="page">{<Loading />}</View>
  if (!hasRole(props.me, staffRoles))
    return (
      <View className="page">
        <View className="card muted center">工作台仅对社区、街道工作人员开放</View>
      </View>
    )
  return <>{props.children}</>
}
