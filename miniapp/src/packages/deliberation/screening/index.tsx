import { type DeliberationRules, ScreenTopicBody, type TopicSummary } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../../api'
import { topicUrl } from '../../../components/topic-tag'
import { useMe } from '../../../session/use-me'
import '../deliberation.css'
import { ActionButton, Chips, limitHint, Page, TextField, useFieldErrors } from '../../../ui'

/** 工作台: the screening queue with the 不议 rule picker, and the way to the day planner. */
export default function Screening() {
  const { me } = useMe()
  const [queue, setQueue] = useState<TopicSummary[]>([])
  const [rules, setRules] = useState<DeliberationRules | null>(null)
  const [open, setOpen] = useState('')
  const [ruleId, setRuleId] = useState('')
  const [reason, setReason] = useState('')
  const form = useFieldErrors()
  const load = useCallback(async () => {
    const list = await call('listTopics', { query: { stage: 'collecting' } })
    setQueue(list.items.filter((t) => t.status === 'proposed'))
    const communityId = list.items[0]?.communityId ?? me?.communityId
    if (communityId) setRules(await call('getDeliberationRules', { params: { id: communityId } }))
  }, [me])
  useDidShow(() => {
    void load().catch(() => {})
  })
  const screen = async (
    id: string,
    body: { decision: 'accept' | 'refuse'; ruleId?: string; reason?: string },
  ) => {
    if (!(await form.submit(call('screenTopic', { params: { id }, body })))) return
    await Taro.showToast({ title: body.decision === 'accept' ? '已受理' : '已不予受理', icon: 'none' })
    setOpen('')
    await load()
  }
  return (
    <Page className="screening">
      <ActionButton
        kind="ghost"
        onTap={() => Taro.navigateTo({ url: '/packages/deliberation/planner/index' })}
      >
        议事日安排
      </ActionButton>
      <Text className="section-label">待审核议题（{queue.length}）</Text>
      {queue.map((t) => (
        <View key={t.id} className="card screening-item">
          <Text className="delib-topic__title" onClick={() => Taro.navigateTo({ url: topicUrl(t.id) })}>
            {t.title}
          </Text>
          <Text className="muted">
            {t.proposerName} · 附议 {t.secondsCount}
          </Text>
          <View className="btn-row">
            <ActionButton className="screen-accept" onTap={() => screen(t.id, { decision: 'accept' })}>
              受理
            </ActionButton>
            <ActionButton
              kind="danger"
              className="screen-refuse"
              onTap={() => {
                setOpen(open === t.id ? '' : t.id)
                form.setErrors({})
              }}
            >
              不予受理
            </ActionButton>
          </View>
          {open === t.id && rules && (
            <View>
              <Text className="muted">依据哪条“不议”规则：</Text>
              <Chips
                className="rule-picker"
                options={rules.exclude.map((r) => ({
                  value: r.id,
                  label: r.example ? `${r.name}（示例）` : r.name,
                }))}
                value={ruleId}
                onChange={(v) => {
                  setRuleId(v)
                  form.clear('ruleId')
                }}
              />
              {form.errors.ruleId && <Text className="error-text field__error">{form.errors.ruleId}</Text>}
              <TextField
                className="screen-reason"
                label="理由"
                value={reason}
                {...form.bind('reason', setReason)}
                maxlength={300}
                hint={limitHint(ScreenTopicBody.shape.reason, '', '，提议人将看到')}
              />
              <ActionButton
                kind="danger"
                onTap={() =>
                  screen(t.id, {
                    decision: 'refuse',
                    ...(ruleId ? { ruleId } : {}),
                    ...(reason.trim() ? { reason: reason.trim() } : {}),
                  })
                }
              >
                确认不予受理
              </ActionButton>
            </View>
          )}
        </View>
      ))}
    </Page>
  )
}
