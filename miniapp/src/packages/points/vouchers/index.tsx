import { formatDay, type VoucherDto, voucherStatusLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import '../points.css'
import { Page } from '../../../ui'

export default function Vouchers() {
  const [items, setItems] = useState<VoucherDto[] | null>(null)
  useDidShow(() => {
    call('listMyVouchers', { query: { limit: 50 } }).then(
      (r) => setItems(r.items),
      () => setItems([]),
    )
  })
  return (
    <Page>
      {items?.length === 0 && <View className="card muted">还没有券，去积分页兑换礼遇吧</View>}
      {(items ?? []).map((v) => (
        <View
          key={v.id}
          className="card voucher-item"
          onClick={() => Taro.navigateTo({ url: `/packages/points/voucher/index?id=${v.id}` })}
        >
          <Text className="card__title">{v.title}</Text>
          <Text className="muted">
            {v.merchantName} · {voucherStatusLabels[v.status]} · 有效期至 {formatDay(v.expiresAt)}
          </Text>
        </View>
      ))}
    </Page>
  )
}
