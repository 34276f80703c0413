import { type NeedLevel, type NeedSummary, needLevelLabels, needLevels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { NEED_STATS_PAGE, NeedCard, useTick } from '../shared'
import '../needs.css'
import { Chips, Page, Skeleton } from '../../../ui'

const levelChoices = [
  { value: '', label: '全部' },
  ...needLevels.map((l) => ({ value: l, label: needLevelLabels[l] })),
]

/** The handling queue: nearest deadline first, each with a live countdown. */
export default function NeedQueue() {
  const [items, setItems] = useState<NeedSummary[] | null>(null)
  const [loadedAt, setLoadedAt] = useState(Date.now())
  const [level, setLevel] = useState('')
  const now = useTick()
  const load = (l = level) =>
    call('listNeedsForHandling', { query: { limit: 100, ...(l ? { level: l as NeedLevel } : {}) } }).then(
      (r) => {
        setItems(r.items)
        setLoadedAt(Date.now())
      },
      () => setItems([]),
    )
  useDidShow(() => {
    void load()
  })
  return (
    <Page className="need-queue">
      <View className="card">
        <View className="row">
          <Text className="card__title">待办反映</Text>
          <Text className="link need-stats-link" onClick={() => Taro.navigateTo({ url: NEED_STATS_PAGE })}>
            统计
          </Text>
        </View>
        <Chips
          className="pick-level"
          options={levelChoices}
          value={level}
          onChange={(v) => {
            setLevel(v)
            void load(v)
          }}
        />
      </View>
      {!items && <Skeleton />}
      {items?.length === 0 && <View className="card muted center">暂无待办，辛苦了</View>}
      {items?.map((n) => (
        <NeedCard key={n.id} need={n} loadedAt={loadedAt} now={now} countdown />
      ))}
    </Page>
  )
}
