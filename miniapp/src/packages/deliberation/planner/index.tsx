import type { DeliberationDay, TopicDetail, TopicSummary } from '@linli/shared-types'
import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../../api'
import { ActionButton } from '../../../components/action-button'
import { Field } from '../../../components/field'
import { TopicTag, topicUrl } from '../../../components/topic-tag'
import { hasRole, staffRoles } from '../../../lib/labels'
import { formatDateTime } from '../../../lib/time'
import { useMe } from '../../../session/use-me'
import '../deliberation.css'

type Day = DeliberationDay & { agenda?: TopicSummary[] }

/** Day planner: plan the day (the 20th by default), schedule accepted topics, run the votes, minutes. */
export default function Planner() {
  const { me } = useMe()
  const { id: dayParam = '' } = useRouter().params
  const [days, setDays] = useState<Day[]>([])
  const [nextDate, setNextDate] = useState('')
  const [day, setDay] = useState<Day | null>(null)
  const [accepted, setAccepted] = useState<TopicSummary[]>([])
  const [place, setPlace] = useState('社区党群服务中心')
  const [minutes, setMinutes] = useState('')
  const [offline, setOffline] = useState('')
  const staff = hasRole(me, staffRoles)
  const load = useCallback(async () => {
    const list = await call('listDeliberationDays', { query: { upcoming: 'true' } })
    setDays(list.items)
    setNextDate(list.nextDate)
    const id = dayParam || list.items[0]?.id
    if (id) setDay(await call('getDeliberationDay', { params: { id } }))
    const acc = await call('listTopics', { query: { status: 'accepted' } })
    setAccepted(acc.items)
  }, [dayParam])
  useDidShow(() => {
    void load().catch(() => {})
  })
  const act = async (run: () => Promise<TopicDetail | unknown>, toast: string) => {
    await run()
    await Taro.showToast({ title: toast, icon: 'none' })
    await load()
  }
  // The community's default window: opens days before the meeting, closes at its end.
  const schedule = (t: TopicSummary) =>
    call('scheduleTopic', { params: { id: t.id }, body: { dayId: day!.id, voting: {} } })
  return (
    <View className="page planner">
      {!day && staff && (
        <View className="card">
          <Text className="card__title">安排议事日（默认 {nextDate}）</Text>
          <Field className="day-place" label="地点" value={place} onInput={setPlace} maxlength={60} />
          <ActionButton
            className="day-create"
            onTap={() => act(() => call('createDeliberationDay', { body: { place } }), '已安排')}
          >
            安排议事日
          </ActionButton>
        </View>
      )}
      {day && (
        <View className="card delib-day">
          <Text className="delib-day__date">{day.date}</Text>
          <Text className="muted" style={{ display: 'block' }}>
            {formatDateTime(day.startsAt)} · {day.place} · 签到 {day.attendanceCount} 人 ·{' '}
            {{ planned: '筹备中', inSession: '进行中', concluded: '已结束' }[day.status]}
          </Text>
          {day.checkInCode && <Text className="muted">现场签到码：{day.checkInCode}</Text>}
          {day.minutes && <Text style={{ display: 'block' }}>纪要：{day.minutes.text}</Text>}
        </View>
      )}
      {day && <Text className="section-label">议程</Text>}
      {day?.agenda?.map((t) => (
        <View key={t.id} className="card agenda-item">
          <View className="row">
            <Text className="delib-topic__title" onClick={() => Taro.navigateTo({ url: topicUrl(t.id) })}>
              {t.title}
            </Text>
            <TopicTag status={t.status} />
          </View>
          {staff && t.status === 'scheduled' && (
            <ActionButton
              className="vote-open"
              onTap={() => act(() => call('openVoting', { params: { id: t.id } }), '投票已开始')}
            >
              开始投票
            </ActionButton>
          )}
          {staff && t.status === 'voting' && (
            <>
              <Field
                className="offline-user"
                label="现场票"
                value={offline}
                onInput={setOffline}
                maxlength={24}
                placeholder="居民编号"
              />
              <View className="btn-row">
                {(['yes', 'no', 'abstain'] as const).map((c) => (
                  <ActionButton
                    key={c}
                    kind="ghost"
                    onTap={() =>
                      act(
                        () =>
                          call('recordOfflineBallots', {
                            params: { id: t.id },
                            body: { ballots: [{ userId: offline, choice: c }] },
                          }),
                        '已录入',
                      )
                    }
                  >
                    {{ yes: '同意', no: '反对', abstain: '弃权' }[c]}
                  </ActionButton>
                ))}
              </View>
              <ActionButton
                kind="danger"
                className="vote-close"
                onTap={() =>
                  act(() => call('closeVoting', { params: { id: t.id } }), '投票已结束，结果已公布')
                }
              >
                结束投票并公布结果
              </ActionButton>
            </>
          )}
          {staff && (t.status === 'passed' || t.status === 'implementing') && (
            <ActionButton
              kind="ghost"
              onTap={() =>
                act(
                  () =>
                    call('addTopicMilestone', {
                      params: { id: t.id },
                      body: { title: '落实进展', progress: Math.min(100, t.progress + 50) },
                    }),
                  '已登记进展',
                )
              }
            >
              登记进展 +50%
            </ActionButton>
          )}
        </View>
      ))}
      {staff && day && day.status !== 'concluded' && accepted.length > 0 && (
        <>
          <Text className="section-label">待排期的议题</Text>
          {accepted.map((t) => (
            <View key={t.id} className="card schedule-item">
              <Text className="delib-topic__title">{t.title}</Text>
              <ActionButton className="schedule-topic" onTap={() => act(() => schedule(t), '已排入议程')}>
                排入本次议事日
              </ActionButton>
            </View>
          ))}
        </>
      )}
      {staff && day && day.status !== 'concluded' && (
        <View className="card">
          <Text className="card__title">会议纪要</Text>
          <Textarea className="delib-textarea" value={minutes} onInput={(e) => setMinutes(e.detail.value)} />
          <ActionButton
            kind="ghost"
            onTap={() =>
              act(
                () =>
                  call('recordMinutes', { params: { id: day.id }, body: { text: minutes, conclude: true } }),
                '已保存',
              )
            }
          >
            保存纪要并结束议事日
          </ActionButton>
        </View>
      )}
      {days.length > 1 && <Text className="muted">另有 {days.length - 1} 个已安排的议事日</Text>}
    </View>
  )
}
