import type { Me } from '@linli/shared-types'
import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { hasRole, staffRoles } from '../lib/labels'
import { Page, Skeleton } from '../ui'

/**
 * Renders its children for community, street staff and admins; others see why not.
 * `what` names what is closed to them, e.g. 工作台 (the staff workbench).
 */
export function StaffOnly(props: { me: Me | null; what?: string; children: ReactNode }) {
  if (!props.me) return <Page>{<Skeleton />}</Page>
  if (!hasRole(props.me, staffRoles))
    return (
      <Page>
        <View className="card muted center">{`${props.what ?? ''}仅对社区、街道工作人员开放`}</View>
      </Page>
    )
  return <>{props.children}</>
}
