import {
  type DeliberationDay,
  type DeliberationSettings,
  defaultDeliberationSettings,
  formatClock,
  formatTime,
  localDate,
  localToInstant,
  type TopicSummary,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../../api'
import { TopicTag, topicUrl } from '../../../components/topic-tag'
import { hasRole, staffRoles } from '../../../lib/labels'
import { useMe } from '../../../session/use-me'
import '../deliberation.css'
import '../meeting.css'
import {
  ActionButton,
  Cell,
  CellGroup,
  Field,
  Page,
  PickerField,
  TextField,
  toast,
  useFieldErrors,
} from '../../../ui'

type Day = DeliberationDay & { agenda?: TopicSummary[] }
type Window = { openDate: string; openTime: string; closeDate: string; closeTime: string }

const DAY_MS = 86_400_000

/** The community's default window for a day: opens days before the meeting, closes at its end. */
function defaultWindow(day: Day, s: DeliberationSettings): Window {
  const start = new Date(day.startsAt)
  const opens = new Date(Math.max(Date.now(), start.getTime() - s.votingOpensDaysBefore * DAY_MS))
  const closes = new Date(start.getTime() + s.meetingMinutes * 60_000)
  return {
    openDate: localDate(opens),
    openTime: formatClock(opens),
    closeDate: localDate(closes),
    closeTime: formatClock(closes),
  }
}

/** One accepted topic waiting for the day: the voting window, prefilled with the defaults. */
function ScheduleItem(props: {
  topic: TopicSummary
  day: Day
  settings: DeliberationSettings
  onDone: () => unknown
}) {
  const [w, setW] = useState<Window>(() => defaultWindow(props.day, props.settings))
  const { errors, fromServer, setErrors } = useFieldErrors()
  const set = (patch: Partial<Window>) => setW((prev) => ({ ...prev, ...patch }))
  const schedule = async () => {
    setErrors({})
    try {
      await call(
        'scheduleTopic',
        {
          params: { id: props.topic.id },
          body: {
            dayId: props.day.id,
            voting: {
              opensAt: localToInstant(w.openDate, w.openTime).toISOString(),
              closesAt: localToInstant(w.closeDate, w.closeTime).toISOString(),
            },
          },
        },
        { quiet: true },
      )
      toast.ok('已排入议程')
      await props.onDone()
    } catch (e) {
      if (!fromServer(e)) toast.say((e as { title?: string }).title ?? '排期失败')
    }
  }
  // The server names the field `voting.closesAt`; its message belongs under the closing time.
  const closeError = errors.voting
  return (
    <View className="card schedule-item">
      <Text className="delib-topic__title">{props.topic.title}</Text>
      <Text className="muted">
        线上投票时间（默认在会前 {props.settings.votingOpensDaysBefore} 天开始、会议结束时截止）
      </Text>
      <View className="btn-row">
        <PickerField
          className="window-open-date"
          label="开始日期"
          mode="date"
          value={w.openDate}
          onChange={(openDate) => set({ openDate })}
        />
        <PickerField
          className="window-open-time"
          label="开始时间"
          mode="time"
          value={w.openTime}
          onChange={(openTime) => set({ openTime })}
        />
      </View>
      <View className="btn-row">
        <PickerField
          className="window-close-date"
          label="截止日期"
          mode="date"
          value={w.closeDate}
          onChange={(closeDate) => set({ closeDate })}
          error={closeError}
        />
        <PickerField
          className="window-close-time"
          label="截止时间"
          mode="time"
          value={w.closeTime}
          onChange={(closeTime) => set({ closeTime })}
        />
      </View>
      <ActionButton className="schedule-topic" onTap={schedule}>
        排入本次议事日
      </ActionButton>
    </View>
  )
}

/** Day planner: plan the day (the 20th by default), schedule topics with their windows, run the meeting. */
export default function Planner() {
  const { me } = useMe()
  const { id: dayParam = '' } = useRouter().params
  const [days, setDays] = useState<Day[]>([])
  const [nextDate, setNextDate] = useState('')
  const [day, setDay] = useState<Day | null>(null)
  /** Until the first load answers, whether a day is planned is unknown: offer no form yet. */
  const [loaded, setLoaded] = useState(false)
  const [accepted, setAccepted] = useState<TopicSummary[]>([])
  const [settings, setSettings] = useState<DeliberationSettings>(defaultDeliberationSettings)
  const [place, setPlace] = useState('社区党群服务中心')
  const [minutes, setMinutes] = useState('')
  const [decisions, setDecisions] = useState<Record<string, string>>({})
  const staff = hasRole(me, staffRoles)
  const load = useCallback(async () => {
    const list = await call('listDeliberationDays', { query: { upcoming: 'true' } })
    setDays(list.items)
    setNextDate(list.nextDate)
    const id = dayParam || list.items[0]?.id
    if (id) {
      const d = await call('getDeliberationDay', { params: { id } })
      setDay(d)
      setSettings((await call('getDeliberationRules', { params: { id: d.communityId } })).settings)
    }
    setAccepted((await call('listTopics', { query: { status: 'accepted' } })).items)
    setLoaded(true)
  }, [dayParam])
  useDidShow(() => {
    void load().catch(() => {})
  })
  const act = async (run: () => Promise<unknown>, done: string) => {
    await run()
    toast.ok(done)
    await load()
  }
  const go = (url: string) => () => Taro.navigateTo({ url })
  const voting = day?.agenda?.some((t) => t.status === 'voting')
  return (
    <Page className="planner">
      {loaded && !day && staff && (
        <View className="card">
          <Text className="card__title">安排议事日（默认 {nextDate}）</Text>
          <Field
            className="day-place"
            label="地点"
            hint="最多 60 个字"
            value={place}
            onInput={setPlace}
            maxlength={60}
          />
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
          <Text className="muted">
            {formatTime(day.startsAt)} · {day.place} · 签到 {day.attendanceCount} 人 ·{' '}
            {{ planned: '筹备中', inSession: '进行中', concluded: '已结束' }[day.status]}
          </Text>
          {day.minutes && <Text>纪要：{day.minutes.text}</Text>}
        </View>
      )}
      {day && staff && (
        <CellGroup title="议事日当天">
          <Cell
            className="go-door"
            title="现场签到二维码"
            note="放在会场门口，居民扫码签到"
            onClick={go(`/packages/deliberation/door/index?id=${day.id}`)}
          />
          <Cell
            className="go-board"
            title="会场大屏"
            note="议程、签到人数、投票进度与结果"
            onClick={go(`/packages/deliberation/board/index?id=${day.id}`)}
          />
          {voting && (
            <Cell
              className="go-ballots"
              title="录入现场票"
              note="按姓名、楼栋单元或手机尾号查找投票人"
              onClick={go(`/packages/deliberation/ballots/index?dayId=${day.id}`)}
            />
          )}
        </CellGroup>
      )}
      {day && <Text className="section-label">议程</Text>}
      {day?.agenda?.map((t) => (
        <View key={t.id} className="card agenda-item">
          <View className="row">
            <Text className="delib-topic__title" onClick={go(topicUrl(t.id))}>
              {t.title}
            </Text>
            <TopicTag status={t.status} />
          </View>
          {t.votingClosesAt && <Text className="muted">投票截止 {formatTime(t.votingClosesAt)}</Text>}
          {staff && t.status === 'scheduled' && (
            <ActionButton
              className="vote-open"
              confirm={{
                title: '现在开始投票？',
                content: '开始后将按投票资格名单通知居民',
                confirmText: '开始投票',
              }}
              onTap={() => act(() => call('openVoting', { params: { id: t.id } }), '投票已开始')}
            >
              提前开始投票
            </ActionButton>
          )}
          {staff && t.status === 'voting' && (
            <ActionButton
              kind="danger"
              className="vote-close"
              confirm={{
                title: '结束投票并公布结果？',
                content: '结束后不能再投票或录入现场票，结果将立即公布',
                confirmText: '结束投票',
              }}
              onTap={() => act(() => call('closeVoting', { params: { id: t.id } }), '结果已公布')}
            >
              结束投票并公布结果
            </ActionButton>
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
            <ScheduleItem key={t.id} topic={t} day={day} settings={settings} onDone={load} />
          ))}
        </>
      )}
      {staff && day && day.status !== 'concluded' && (
        <View className="card">
          <Text className="card__title">会议纪要</Text>
          <TextField
            className="minutes-text"
            label="纪要"
            value={minutes}
            onInput={setMinutes}
            maxlength={5000}
          />
          {day.agenda?.map((t) => (
            <Field
              key={t.id}
              className="minutes-decision"
              label={`议定事项：${t.title}`}
              hint="最多 500 个字，可不填"
              value={decisions[t.id] ?? ''}
              onInput={(v) => setDecisions((prev) => ({ ...prev, [t.id]: v }))}
              maxlength={500}
            />
          ))}
          <ActionButton
            kind="danger"
            className="minutes-conclude"
            confirm={{
              title: '保存纪要并结束议事日？',
              content: '结束后不能再签到或修改纪要',
              confirmText: '结束议事日',
            }}
            onTap={() =>
              act(
                () =>
                  call('recordMinutes', {
                    params: { id: day.id },
                    body: {
                      text: minutes,
                      decisions: Object.entries(decisions)
                        .filter(([, text]) => text.trim())
                        .map(([topicId, text]) => ({ topicId, text })),
                      conclude: true,
                    },
                  }),
                '议事日已结束',
              )
            }
          >
            保存纪要并结束议事日
          </ActionButton>
        </View>
      )}
      {days.length > 1 && <Text className="muted">另有 {days.length - 1} 个已安排的议事日</Text>}
    </Page>
  )
}
