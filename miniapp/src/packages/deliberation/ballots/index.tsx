import { type ErrorCode, errors, type ResidentMatch, type TopicDetail } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../../api'
import { PeoplePicker } from '../../../components/people-picker'
import { ActionButton, CellGroup, Chips, Empty, Loadable, Page, toast, useLoad } from '../../../ui'
import '../meeting.css'

type Outcome = { ok: boolean; text: string }

/**
 * Staff record paper ballots at the meeting: pick the topic, find the voter on the electoral roll by
 * name, building/unit or phone tail, and tap their choice. A resident (or household) who voted online
 * is refused by the server, so nothing can be counted twice.
 */
export default function Ballots() {
  const { dayId = '' } = useRouter().params
  const day = useLoad(useCallback(() => call('getDeliberationDay', { params: { id: dayId } }), [dayId]))
  const [topicId, setTopicId] = useState('')
  const [topic, setTopic] = useState<TopicDetail | null>(null)
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({})
  const pick = async (id: string) => {
    setTopicId(id)
    setOutcomes({})
    setTopic(await call('getTopic', { params: { id } }))
  }
  const record = async (who: ResidentMatch, choice: string, label: string) => {
    const res = await call('recordOfflineBallots', {
      params: { id: topicId },
      body: { ballots: [{ userId: who.userId, choice }] },
    })
    const item = res.items[0]!
    const text = item.recorded ? `已录入：${label}` : (errors[item.code as ErrorCode]?.title ?? '未能录入')
    setOutcomes((prev) => ({ ...prev, [who.userId]: { ok: item.recorded, text } }))
    if (item.recorded) toast.ok('已录入')
  }
  return (
    <Page className="ballots">
      <Loadable load={day}>
        {(d) => {
          const open = d.agenda.filter((t) => t.status === 'voting')
          if (!open.length) return <Empty text="没有正在投票的议题" note="议题开始投票后才能录入现场票" />
          return (
            <>
              <CellGroup title="选择议题">
                <Chips
                  className="ballot-topic"
                  options={open.map((t) => ({ value: t.id, label: t.title }))}
                  value={topicId}
                  onChange={(id) => void pick(id)}
                />
              </CellGroup>
              {topic?.voting && (
                <View className="card">
                  <PeoplePicker className="roll" label="查找投票人" communityId={topic.communityId}>
                    {(m) =>
                      outcomes[m.userId] ? (
                        <Text className={outcomes[m.userId]!.ok ? 'roll-item__done' : 'error-text'}>
                          {outcomes[m.userId]!.text}
                        </Text>
                      ) : (
                        <View className="btn-row">
                          {topic.voting!.options.map((o) => (
                            <ActionButton
                              key={o.key}
                              kind="ghost"
                              className={`roll-choice roll-choice--${o.key}`}
                              confirm={{
                                title: `录入${m.name}的现场票`,
                                content: `选择「${o.label}」，录入后不能更改`,
                                confirmText: '录入',
                              }}
                              onTap={() => record(m, o.key, o.label)}
                            >
                              {o.label}
                            </ActionButton>
                          ))}
                        </View>
                      )
                    }
                  </PeoplePicker>
                </View>
              )}
            </>
          )
        }}
      </Loadable>
    </Page>
  )
}
