import type { VolunteerHours } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { z } from 'zod'
import { call } from '../../../api'
import '../admin.css'
import { ActionButton, Field, useFieldErrors } from '../../../ui'
import { StaffPage, toast } from '../shared'

type Hours = z.infer<typeof VolunteerHours>

/** Pending volunteer-hour submissions, oldest first: approve (points by the rule) or reject with a reason. */
export default function HoursReview() {
  const [items, setItems] = useState<Hours[] | null>(null)
  const [reason, setReason] = useState('')
  const form = useFieldErrors({ reason: '驳回原因' })
  const load = () =>
    call('listVolunteerHours', { query: { status: 'pending', limit: 50 } }).then(
      (r) => setItems(r.items),
      () => setItems([]),
    )
  useDidShow(() => void load())

  const review = async (h: Hours, decision: 'approve' | 'reject') => {
    if (decision === 'reject' && !reason.trim()) {
      form.setErrors({ reason: '驳回须填写原因' })
      return toast('驳回须填写原因')
    }
    const done = await form.submit(
      call('reviewVolunteerHours', {
        params: { id: h.id },
        body: decision === 'reject' ? { decision, reason: reason.trim() } : { decision },
      }),
    )
    if (!done) return
    void toast(decision === 'approve' ? `已通过，发放 ${done.points ?? 0} 分` : '已驳回', 'none')
    setReason('')
    await load()
  }

  return (
    <StaffPage>
      {() => (
        <>
          <View className="card">
            <Field
              className="hours-reason"
              label="驳回原因（驳回时必填）"
              value={reason}
              {...form.bind('reason', setReason)}
              maxlength={200}
              hint="最多200个字"
            />
          </View>
          {items?.length === 0 && <View className="card muted">没有待审核的志愿时长</View>}
          {(items ?? []).map((h) => (
            <View key={h.id} className="card admin__item hours-item">
              <Text className="card__title">{h.activity}</Text>
              <Text className="muted">
                {h.date} · {h.hours} 小时 · 申报人 {h.userId.slice(-6)}
              </Text>
              <View className="admin__actions">
                <ActionButton className="hours-approve" onTap={() => review(h, 'approve')}>
                  通过
                </ActionButton>
                <ActionButton kind="danger" className="hours-reject" onTap={() => review(h, 'reject')}>
                  驳回
                </ActionButton>
              </View>
            </View>
          ))}
        </>
      )}
    </StaffPage>
  )
}
