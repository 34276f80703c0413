import { type ResidencyClaim, ReviewClaimBody } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { claimStatusLabels, statusTone } from '../../../lib/labels'
import { useMe } from '../../../session/use-me'
import { ActionButton, limitHint, Page, Skeleton, Tag, TextField, useFieldErrors } from '../../../ui'
import { ClaimRows } from '../../me/residency/claim-summary'

const templates = ['住址信息与登记不符', '姓名或手机号有误', '无法核实居住情况，请携带证件到社区办理']

export default function ClaimReview() {
  const { me } = useMe()
  const { id = '' } = useRouter().params
  const [claim, setClaim] = useState<ResidencyClaim | null>(null)
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  const form = useFieldErrors()

  useEffect(() => {
    if (id) call('getResidencyClaim', { params: { id } }).then(setClaim, () => {})
  }, [id])

  const review = async (decision: 'approve' | 'reject') => {
    const t = reason.trim()
    // No reason is the server's to refuse (驳回须填写原因, shown under the field).
    const reviewed = await form.submit(
      call('reviewResidencyClaim', {
        params: { id },
        body: decision === 'approve' || !t ? { decision } : { decision, reason: t },
      }),
    )
    if (!reviewed) return
    setClaim(reviewed)
    setRejecting(false)
    await Taro.showToast({ title: decision === 'approve' ? '已通过认证' : '已驳回', icon: 'success' })
  }
  const approve = async () => {
    const { confirm } = await Taro.showModal({
      title: '通过认证',
      content: '确认该居民的住址与身份信息无误？',
      confirmText: '确认通过',
      confirmColor: '#1f9d74',
    })
    if (confirm) await review('approve')
  }

  return (
    <StaffOnly me={me} what="工作台">
      <Page>
        {!claim && <Skeleton />}
        {claim && (
          <>
            <View className="card claim-detail">
              <View className="row">
                <Text className="card__title">认证申请</Text>
                <Tag tone={statusTone(claim.status)}>{claimStatusLabels[claim.status]}</Tag>
              </View>
              <ClaimRows claim={claim} />
              {claim.reviewReason && <Text className="error-text">驳回原因：{claim.reviewReason}</Text>}
            </View>

            {claim.status === 'pending' && !rejecting && (
              <View className="btn-row">
                <ActionButton className="claim-reject" kind="danger" onTap={() => setRejecting(true)}>
                  驳回
                </ActionButton>
                <ActionButton className="claim-approve" onTap={approve}>
                  通过
                </ActionButton>
              </View>
            )}

            {claim.status === 'pending' && rejecting && (
              <View className="card reject-form">
                <Text className="card__title">驳回原因</Text>
                <View className="chips">
                  {templates.map((t) => (
                    <View
                      key={t}
                      className={t === reason ? 'chip chip--on' : 'chip'}
                      onClick={() => {
                        setReason(t)
                        form.clear('reason')
                      }}
                    >
                      {t}
                    </View>
                  ))}
                </View>
                <TextField
                  className="reject-reason"
                  label="原因（可点选上方常用原因再修改）"
                  value={reason}
                  {...form.bind('reason', setReason)}
                  maxlength={200}
                  hint={limitHint(ReviewClaimBody.shape.reason, '', '，居民将看到并据此修改')}
                />
                <View className="btn-row">
                  <ActionButton kind="ghost" onTap={() => setRejecting(false)}>
                    取消
                  </ActionButton>
                  <ActionButton className="claim-reject-confirm" kind="danger" onTap={() => review('reject')}>
                    确认驳回
                  </ActionButton>
                </View>
              </View>
            )}
          </>
        )}
      </Page>
    </StaffOnly>
  )
}
