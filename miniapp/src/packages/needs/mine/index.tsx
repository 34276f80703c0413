import type { NeedSummary } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { NEW_NEED_PAGE, NeedCard } from '../shared'
import '../needs.css'
import { ActionButton, Page, Skeleton } from '../../../ui'

export default function MyNeeds() {
  const [items, setItems] = useState<NeedSummary[] | null>(null)
  const [loadedAt, setLoadedAt] = useState(Date.now())
  useDidShow(() => {
    call('listMyNeeds', { query: { limit: 50 } }).then(
      (r) => {
        setItems(r.items)
        setLoadedAt(Date.now())
      },
      () => setItems([]),
    )
  })
  if (!items) return <Page>{<Skeleton />}</Page>
  return (
    <Page className="need-mine">
      {items.length === 0 && <View className="card muted center">还没有反映过问题</View>}
      {items.map((n) => (
        <NeedCard key={n.id} need={n} loadedAt={loadedAt} now={loadedAt} steps />
      ))}
      <Text className="section-label">句句有回应，件件有着落</Text>
      <ActionButton onTap={() => Taro.navigateTo({ url: NEW_NEED_PAGE })}>我要反映</ActionButton>
    </Page>
  )
}
