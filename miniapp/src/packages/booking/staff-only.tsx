import type { Me } from '@linli/shared-types'
import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Loading } from '../../components/loading'
import { hasRole, staffRoles } from '../../lib/labels'

/** Staff pages of this subpackage (weapp subpackages cannot import packages/staff). */
export function StaffOnly(props: { me: Me | null; children: ReactNode }) {
  if (!props.me) return <View className="page">{<Loading />}</View>
  if (!hasRole(props.me, staffRoles))
    return (
      <View className="page">
        <View className="card muted center">仅对社区、街道工作人员开放</View>
      </View>
    )
  return <>{props.children}</>
}
