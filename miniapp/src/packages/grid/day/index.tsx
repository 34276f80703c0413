import type { HomeVisit, NeedSummary, Notice } from '@linli/shared-types'
import { zoneDate } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { formatLeft, GRID_PAGES } from '../shared'
import '../grid.css'
import { Page, Skeleton } from '../../../ui'

const NEEDS_QUEUE = '/packages/needs/queue/index'

/** The grid worker's day: timers running out, visits planned for today, notices still to deliver. */
export default function GridDayPage() {
  const [needs, setNeeds] = useState<NeedSummary[] | null>(null)
  const [visits, setVisits] = useState<HomeVisit[]>([])
  const [notices, setNotices] = useState<Notice[]>([])
  const today = zoneDate(new Date())

  useDidShow(() => {
    call('listNeedsForHandling', { query: { limit: 5 } }).then(
      (r) => setNeeds(r.items),
      () => setNeeds([]),
    )
    call('listHomeVisits', { query: { planned: 'true', from: today, to: today } }).then(
      (r) => setVisits(r.items),
      () => {},
    )
    call('listNotices', { query: { box: 'published' } }).then(
      (r) =>
        setNotices(
          r.items.filter((n) => n.requireConfirm && n.counts && n.counts.confirmed < n.counts.audience),
        ),
      () => {},
    )
  })
  const go = (url: string) => () => Taro.navigateTo({ url })
  const tiles = [
    { id: 'day-file', title: '代为反映', hint: '巡查、电话、走访发现的事', url: GRID_PAGES.file },
    { id: 'day-visits', title: '入户走访', hint: '登记与计划', url: GRID_PAGES.visits },
    { id: 'day-publish', title: '发布通知', hint: '网格、院落、楼栋', url: GRID_PAGES.publish },
    { id: 'day-queue', title: '反映处理', hint: '全部待办', url: NEEDS_QUEUE },
  ]

  return (
    <Page className="grid-day">
      <View className="card">
        <Text className="card__title">今日待办</Text>
        {!needs && <Skeleton />}
        {needs?.length === 0 && <Text className="muted">暂无即将到期的反映</Text>}
        {needs?.map((n) => (
          <View key={n.id} className="row day-need" onClick={go(`${GRID_PAGES.need}?id=${n.id}`)}>
            <Text className="grid-item__title">{n.title}</Text>
            <Text
              className={`grid-left ${n.secondsLeft !== null && n.secondsLeft < 0 ? 'grid-left--late' : ''}`}
            >
              {formatLeft(n.secondsLeft)}
            </Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="card__title">今日计划走访</Text>
        {visits.length === 0 && <Text className="muted">今天没有计划走访</Text>}
        {visits.map((v) => (
          <View key={v.id} className="row" onClick={go(GRID_PAGES.visits)}>
            <Text>
              {v.place} {v.household}
            </Text>
            <Text className="muted">{v.topics.join('、')}</Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="card__title">待上门告知的通知</Text>
        {notices.length === 0 && <Text className="muted">没有待确认的通知</Text>}
        {notices.map((n) => (
          <View key={n.id} className="row" onClick={go(`${GRID_PAGES.notice}?id=${n.id}`)}>
            <Text>{n.title}</Text>
            <Text className="muted">{n.counts!.audience - n.counts!.confirmed} 户未确认 ›</Text>
          </View>
        ))}
      </View>
      <View className="grid-tiles">
        {tiles.map((t) => (
          <View key={t.id} className={`card ${t.id}`} onClick={go(t.url)}>
            <Text className="card__title">{t.title}</Text>
            <Text className="muted">{t.hint}</Text>
          </View>
        ))}
      </View>
    </Page>
  )
}
