import type { ResidencyClaim, ResidencyStatus } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { api, call, goLogin } from '../../../api'
import { residencyStatusLabels, statusTone } from '../../../lib/labels'
import { Page, Skeleton, Tag } from '../../../ui'
import { ClaimForm } from './claim-form'
import { ClaimRows } from './claim-summary'

interface State {
  status: ResidencyStatus
  claim: ResidencyClaim | null
}

const hints: Record<ResidencyStatus, string> = {
  none: '认证后可预约空间、参与议事投票、兑换积分',
  pending: '社区工作人员将尽快审核，请耐心等待',
  verified: '您已是认证居民，可使用全部社区服务',
  rejected: '请根据原因修改后重新提交',
}

export default function Residency() {
  const [state, setState] = useState<State | null>(null)

  useDidShow(() => {
    if (!api.hasSession()) return goLogin()
    call('getMyResidency').then(setState, () => {})
  })

  if (!state) return <Page>{<Skeleton />}</Page>
  const { status, claim } = state
  // A refused claim comes back to the form with what the resident typed, minus the picks.
  const initial =
    status === 'rejected' && claim
      ? { unit: claim.unit, room: claim.room, realName: claim.realName, phone: claim.phone }
      : {}

  return (
    <Page>
      <View className="card residency-status">
        <View className="row">
          <Text className="card__title">认证状态</Text>
          <Tag tone={statusTone(status)}>{residencyStatusLabels[status]}</Tag>
        </View>
        <Text className="muted">{hints[status]}</Text>
        {status === 'rejected' && claim?.reviewReason && (
          <Text className="error-text residency-reason">未通过原因：{claim.reviewReason}</Text>
        )}
      </View>

      {claim && (status === 'pending' || status === 'verified') && (
        <View className="card">
          <Text className="card__title">{status === 'pending' ? '已提交的申请' : '认证信息'}</Text>
          <ClaimRows claim={claim} />
        </View>
      )}

      {(status === 'none' || status === 'rejected') && (
        <ClaimForm
          title={status === 'rejected' ? '重新提交认证' : '填写认证信息'}
          initial={initial}
          onSubmitted={(c) => setState({ status: 'pending', claim: c })}
        />
      )}
    </Page>
  )
}
