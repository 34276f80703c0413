import type { Item } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { LOANS_PAGE } from '../shared'
import '../activities.css'
import { ActionButton, Skeleton, Tag } from '../../../ui'

/** 共享物品: what the 生活驿站 lends, how many are on the shelf, borrow (deposit-free). */
export default function Items() {
  const [items, setItems] = useState<Item[] | null>(null)
  const [failed, setFailed] = useState(false)
  const load = async () => {
    setFailed(false)
    try {
      setItems((await call('listItems', { query: {} })).items)
    } catch {
      setFailed(true)
    }
  }
  useDidShow(() => {
    void load()
  })

  const borrow = async (item: Item) => {
    const { confirm } = await Taro.showModal({
      title: '预约借用',
      content: `借用「${item.name}」，免押金，借期${item.loanDays}天。请在48小时内凭借用码到${item.station}取用。`,
    })
    if (!confirm) return
    await call('borrowItem', { params: { id: item.id } })
    await Taro.navigateTo({ url: LOANS_PAGE })
  }

  return (
    <View className="page act">
      {failed && (
        <View className="card center">
          <Text className="muted">物品没有加载出来</Text>
          <ActionButton kind="ghost" onTap={load}>
            重试
          </ActionButton>
        </View>
      )}
      {!items && !failed && <Skeleton />}
      {items?.length === 0 && <View className="card muted center">本社区的生活驿站还没有共享物品</View>}
      {items?.map((item) => (
        <View key={item.id} className="card item-card">
          <Text className="act-card__title">{item.name}</Text>
          <Text className="act-card__line">
            {item.station} · 借期{item.loanDays}天 · 免押金
          </Text>
          {item.description && <Text className="act-card__line">{item.description}</Text>}
          <View className="act-tags">
            <Tag tone={item.available > 0 ? 'ok' : 'none'}>
              {item.available > 0 ? `可借${item.available}件（共${item.stock}件）` : '已借完'}
            </Tag>
            {!item.enabled && <Tag tone="bad">暂停借用</Tag>}
          </View>
          {item.available > 0 && item.enabled && (
            <ActionButton className="borrow-btn" onTap={() => borrow(item)}>
              借用
            </ActionButton>
          )}
        </View>
      ))}
    </View>
  )
}
