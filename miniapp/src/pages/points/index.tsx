import type { MyPoints, PointEntry, RewardDto } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../api'
import { formatDateTime } from '../../lib/time'
import { useMe } from '../../session/use-me'
import './index.css'
import { ActionButton, Page } from '../../ui'

const VOUCHERS_PAGE = '/packages/points/vouchers/index'
const VOUCHER_PAGE = '/packages/points/voucher/index'
const MERCHANT_PAGE = '/packages/points/merchant/index'

/** 积分 tab: both balances, the rewards catalogue with redeem, and the latest ledger entries. */
export default function Points() {
  const { me } = useMe()
  const [points, setPoints] = useState<MyPoints | null>(null)
  const [rewards, setRewards] = useState<RewardDto[]>([])
  const [entries, setEntries] = useState<PointEntry[]>([])

  const load = () => {
    call('getMyPoints').then(setPoints, () => undefined)
    call('listRewards', { query: { limit: 50 } }, { quiet: true }).then(
      (r) => setRewards(r.items),
      () => undefined,
    )
    call('listMyPointEntries', { query: { limit: 20 } }, { quiet: true }).then(
      (r) => setEntries(r.items),
      () => undefined,
    )
  }
  useDidShow(load)

  const names = Object.fromEntries((points?.accounts ?? []).map((a) => [a.account, a.name]))
  const isMerchant = me?.roles.some((r) => r.role === 'merchant')

  const redeem = async (r: RewardDto) => {
    const ok = await Taro.showModal({
      title: '确认兑换',
      content: `用 ${r.cost} ${names[r.account] ?? '积分'} 兑换「${r.title}」？`,
      confirmText: '兑换',
    })
    if (!ok.confirm) return
    const voucher = await call('redeemReward', { params: { id: r.id }, body: {} })
    load()
    await Taro.navigateTo({ url: `${VOUCHER_PAGE}?id=${voucher.id}` })
  }

  return (
    <Page className="points">
      <View className="card points__balances">
        {(points?.accounts ?? []).map((a) => (
          <View key={a.account} className={`points__balance points__balance--${a.account}`}>
            <Text className="muted">{a.name}</Text>
            <Text className="points__number">{a.balance}</Text>
          </View>
        ))}
      </View>
      <View className="card points__links">
        <View
          className="btn btn--ghost points__my-vouchers"
          onClick={() => Taro.navigateTo({ url: VOUCHERS_PAGE })}
        >
          我的券
        </View>
        {isMerchant && (
          <View
            className="btn btn--ghost points__merchant"
            onClick={() => Taro.navigateTo({ url: MERCHANT_PAGE })}
          >
            商户核销工作台
          </View>
        )}
      </View>
      <Text className="section-label">礼遇资源库</Text>
      {rewards.length === 0 && <View className="card muted">暂无可兑换的礼遇</View>}
      {rewards.map((r) => (
        <View key={r.id} className="card reward">
          <Text className="card__title">{r.title}</Text>
          <Text className="muted">
            {r.merchantName} · 剩余 {r.stock} · 每人限 {r.perResidentLimit} 次
          </Text>
          {r.description ? <Text className="muted">{r.description}</Text> : null}
          <View className="reward__foot">
            <Text className="reward__cost">
              {r.cost} {names[r.account] ?? ''}
            </Text>
            <ActionButton className="reward__redeem" onTap={() => redeem(r)}>
              兑换
            </ActionButton>
          </View>
        </View>
      ))}
      <Text className="section-label">积分明细</Text>
      {entries.map((e) => (
        <View key={e.id} className="card entry">
          <Text>{e.reason}</Text>
          <Text className="muted">
            {names[e.account] ?? e.account} {e.delta > 0 ? `+${e.delta}` : e.delta} · 余额 {e.balanceAfter} ·{' '}
            {formatDateTime(e.createdAt).slice(0, 10)}
          </Text>
        </View>
      ))}
    </Page>
  )
}
