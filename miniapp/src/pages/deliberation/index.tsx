import {
  type DeliberationDay,
  formatTime,
  stageLabels,
  type TopicStage,
  type TopicSummary,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../api'
import { TopicTag, topicUrl } from '../../components/topic-tag'
import { hasRole, staffRoles } from '../../lib/labels'
import { useMe } from '../../session/use-me'
import './index.css'
import { ActionButton, Chips, Page } from '../../ui'

const stages: TopicStage[] = ['collecting', 'scheduled', 'voting', 'decided', 'implementing']
const filters = [{ value: '', label: '全部' }, ...stages.map((s) => ({ value: s, label: stageLabels[s] }))]

export default function Deliberation() {
  const { me } = useMe()
  const [stage, setStage] = useState('')
  const [topics, setTopics] = useState<TopicSummary[] | null>(null)
  const [next, setNext] = useState<{ day: DeliberationDay | null; date: string } | null>(null)
  const load = useCallback(async (s: string) => {
    const [list, days] = await Promise.all([
      call('listTopics', { query: s ? { stage: s as TopicStage } : {} }),
      call('listDeliberationDays', { query: { upcoming: 'true' } }),
    ])
    setTopics(list.items)
    setNext({ day: days.items[0] ?? null, date: days.nextDate })
  }, [])
  useDidShow(() => {
    if (me?.communityId || (me && hasRole(me, staffRoles))) void load(stage).catch(() => {})
  })
  if (me && !me.communityId && !hasRole(me, [...staffRoles, 'gridWorker']))
    return (
      <Page>
        <View className="card">
          <Text className="card__title">爱邻议事日</Text>
          <Text className="muted">完成居民认证后，即可提议题、附议和投票。</Text>
        </View>
      </Page>
    )
  const staff = hasRole(me, staffRoles)
  return (
    <Page className="delib-home">
      <View className="card delib-day">
        <Text className="muted">下一个爱邻议事日</Text>
        <Text className="delib-day__date">{next?.day?.date ?? next?.date ?? '每月20日'}</Text>
        {next?.day ? (
          <>
            <Text className="muted" style={{ display: 'block' }}>
              {formatTime(next.day.startsAt)} · {next.day.place}
            </Text>
            <View
              className="link"
              onClick={() =>
                Taro.navigateTo({ url: `/packages/deliberation/planner/index?id=${next.day!.id}` })
              }
            >
              查看议程
            </View>
          </>
        ) : (
          <Text className="muted">议程待社区公布</Text>
        )}
      </View>
      <View className="btn-row">
        <ActionButton onTap={() => Taro.navigateTo({ url: '/packages/deliberation/propose/index' })}>
          我要提议题
        </ActionButton>
        {staff && (
          <ActionButton
            kind="ghost"
            onTap={() => Taro.navigateTo({ url: '/packages/deliberation/screening/index' })}
          >
            议事工作台
          </ActionButton>
        )}
      </View>
      <View className="btn-row">
        <ActionButton
          kind="ghost"
          className="delib-checkin"
          onTap={() => Taro.navigateTo({ url: '/packages/deliberation/checkin/index' })}
        >
          现场签到
        </ActionButton>
        {staff && (
          <ActionButton
            kind="ghost"
            className="delib-settings"
            onTap={() => Taro.navigateTo({ url: '/packages/deliberation/settings/index' })}
          >
            议事规则与设置
          </ActionButton>
        )}
      </View>
      <Chips
        className="delib-filter"
        options={filters}
        value={stage}
        onChange={(s) => {
          setStage(s)
          void load(s).catch(() => {})
        }}
      />
      {topics?.length === 0 && <View className="card muted center">暂无议题</View>}
      {topics?.map((t) => (
        <View
          key={t.id}
          className="card delib-topic"
          onClick={() => Taro.navigateTo({ url: topicUrl(t.id) })}
        >
          <View className="row">
            <Text className="delib-topic__title">{t.title}</Text>
            <TopicTag status={t.status} />
          </View>
          <Text className="muted">
            {t.proposerName} · 附议 {t.secondsCount} · 议论 {t.commentsCount}
            {t.dayDate ? ` · 议事日 ${t.dayDate}` : ''}
          </Text>
        </View>
      ))}
    </Page>
  )
}
