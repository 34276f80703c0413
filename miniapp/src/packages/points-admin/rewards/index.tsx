import type { RewardDto } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import '../admin.css'
import { ADMIN, localDay, StaffPage } from '../shared'

/** Every reward in reach (open or not); tap one to edit, or add a new one. */
export default function Rewards() {
  const [items, setItems] = useState<RewardDto[] | null>(null)
  useDidShow(() => {
    call('listRewards', { query: { all: 'true', limit: 100 } }).then(
      (r) => setItems(r.items),
      () => setItems([]),
    )
  })
  return (
    <StaffPage>
      {() => (
        <>
          <View className="btn reward-new" onClick={() => Taro.navigateTo({ url: `${ADMIN}/reward/index` })}>
            新增礼遇
          </View>
          {items?.length === 0 && <View className="card muted">暂无礼遇</View>}
          {(items ?? []).map((r) => (
            <View
              key={r.id}
              className="card admin__item reward-item"
              onClick={() => Taro.navigateTo({ url: `${ADMIN}/reward/index?id=${r.id}` })}
            >
              <Text className="card__title">{r.title}</Text>
              <Text className="muted">
                {r.merchantName} · {r.cost} 分 · 库存 {r.stock} · {r.active ? '上架' : '下架'}
              </Text>
              <Text className="muted">
                {localDay(r.validFrom)} 至 {localDay(r.validUntil)}
              </Text>
            </View>
          ))}
        </>
      )}
    </StaffPage>
  )
}
