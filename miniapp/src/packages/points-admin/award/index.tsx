import {
  AwardPointsBody,
  defaultAccountNames,
  type PointAccount,
  type ResidentMatch,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useRef, useState } from 'react'
import { call } from '../../../api'
import { PeoplePicker, PickedPerson } from '../../../components/people-picker'
import { firstIssueMessage } from '../../../lib/form'
import '../admin.css'
import { ActionButton, Chips, Field, limitHint, useFieldErrors } from '../../../ui'
import { intOf, StaffPage, toast } from '../shared'

const labels = { userId: '居民', points: '积分', reason: '原因' }
const accountChoices = (['volunteer', 'community'] as const).map((a) => ({
  value: a,
  label: defaultAccountNames[a],
}))
const newKey = () => `award-${Date.now()}-${Math.random().toString(36).slice(2)}`

/** Manual award to a verified resident, with a reason (audited). One key per intent: a retry pays once. */
export default function Award() {
  const [person, setPerson] = useState<ResidentMatch | null>(null)
  const [account, setAccount] = useState<PointAccount>('volunteer')
  const [points, setPoints] = useState('')
  const [reason, setReason] = useState('')
  const [last, setLast] = useState('')
  const key = useRef(newKey())
  const form = useFieldErrors(labels, ['userId'])

  const edit = (fn: (v: string) => void) => (v: string) => {
    key.current = newKey()
    fn(v)
  }
  const pickPerson = (m: ResidentMatch | null) => {
    key.current = newKey()
    setPerson(m)
  }

  const submit = async () => {
    const parsed = AwardPointsBody.safeParse({
      userId: person?.userId ?? '',
      account,
      points: intOf(points),
      reason,
    })
    if (!person) return toast('请先查找并选择居民')
    form.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels, ['userId']))
    const res = await form.submit(call('awardPoints', { body: parsed.data }, { idempotencyKey: key.current }))
    if (!res) return
    key.current = newKey()
    setLast(`已发放 ${res.entry.delta} 分，余额 ${res.entry.balanceAfter}`)
    setPoints('')
    setReason('')
    void toast('已发放', 'success')
  }

  return (
    <StaffPage>
      {({ communityId }) => (
        <View className="card award-form">
          <Text className="section-label">发放给</Text>
          {person ? (
            <PickedPerson className="award-picked" person={person} onClear={() => pickPerson(null)} />
          ) : (
            <PeoplePicker className="award-people" communityId={communityId}>
              {(m) => (
                <ActionButton kind="ghost" className="award-pick" onTap={() => pickPerson(m)}>
                  选择此居民
                </ActionButton>
              )}
            </PeoplePicker>
          )}
          <Text className="section-label">账户</Text>
          <Chips
            className="award-account"
            options={accountChoices}
            value={account}
            onChange={edit((v) => setAccount(v as PointAccount))}
          />
          <Field
            className="award-points"
            label="积分"
            type="number"
            value={points}
            {...form.bind('points', edit(setPoints))}
            hint={limitHint(AwardPointsBody.shape.points, '分')}
          />
          <Field
            className="award-reason"
            label="原因（必填，留痕）"
            value={reason}
            {...form.bind('reason', edit(setReason))}
            maxlength={200}
            hint={limitHint(AwardPointsBody.shape.reason)}
          />
          <ActionButton className="award-submit" onTap={submit}>
            发放
          </ActionButton>
          {last && <Text className="muted award-result">{last}</Text>}
        </View>
      )}
    </StaffPage>
  )
}
