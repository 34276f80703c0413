import { formatDay, type MyPoints, type PointEntry, type RewardDto } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../api'
import { RESIDENCY_PAGE } from '../../session/routes'
import { useMe } from '../../session/use-me'
import './index.css'
import { ActionButton, Empty, Loadable, Page, useLoad } from '../../ui'

const VOUCHERS_PAGE = '/packages/points/vouchers/index'
const VOUCHER_PAGE = '/packages/points/voucher/index'
const MERCHANT_PAGE = '/packages/points/merchant/index'

/** 积分 tab: both balances, the rewards catalogue with redeem, and the latest ledger entries. */
export default function Points() {
  const { me } = useMe()
  const load = useLoad(
    useCallback(async () => {
      const [points, rewards, entries] = await Promise.all([
        call('getMyPoints', undefined, { quiet: true }),
        call('listRewards', { query: { limit: 50 } }, { quiet: true }),
        call('listMyPointEntries', { query: { limit: 20 } }, { quiet: true }),
      ])
      return { points, rewards: rewards.items, entries: entries.items }
    }, []),
  )
  const isMerchant = me?.roles.some((r) => r.role === 'merchant')

  return (
    <Page className="points">
      {me && me.residencyStatus !== 'verified' && (
        <View className="card" onClick={() => Taro.navigateTo({ url: RESIDENCY_PAGE })}>
          <Text className="card__title">完成居民认证后即可兑换礼遇</Text>
          <Text className="link">去认证 ›</Text>
        </View>
      )}
      <Loadable load={load}>
        {({ points, rewards, entries }) => (
          <PointsBody
            points={points}
            rewards={rewards}
            entries={entries}
            isMerchant={!!isMerchant}
            reload={load.reload}
          />
        )}
      </Loadable>
    </Page>
  )
}

function PointsBody(props: {
  points: MyPoints
  rewards: RewardDto[]
  entries: PointEntry[]
  isMerchant: boolean
  reload: () => Promise<void>
}) {
  const { points, rewards, entries } = props
  const names = Object.fromEntries(points.accounts.map((a) => [a.account, a.name]))

  const redeem = async (r: RewardDto) => {
    const voucher = await call('redeemReward', { params: { id: r.id }, body: {} })
    void props.reload()
    await Taro.navigateTo({ url: `${VOUCHER_PAGE}?id=${voucher.id}` })
  }

  return (
    <>
      <View className="card points__balances">
        {points.accounts.map((a) => (
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
        {props.isMerchant && (
          <View
            className="btn btn--ghost points__merchant"
            onClick={() => Taro.navigateTo({ url: MERCHANT_PAGE })}
          >
            商户核销工作台
          </View>
        )}
      </View>
      <Text className="section-label">礼遇资源库</Text>
      {rewards.length === 0 && <Empty text="暂无可兑换的礼遇" note="合作商户上架礼遇后会在这里显示" />}
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
            <ActionButton
              className="reward__redeem"
              confirm={{
                title: '确认兑换',
                content: `用 ${r.cost} ${names[r.account] ?? '积分'} 兑换「${r.title}」？`,
                confirmText: '兑换',
              }}
              onTap={() => redeem(r)}
            >
              兑换
            </ActionButton>
          </View>
        </View>
      ))}
      <Text className="section-label">积分明细</Text>
      {entries.length === 0 && <Empty text="还没有积分记录" note="参与议事投票、志愿服务等可获得积分" />}
      {entries.map((e) => (
        <View key={e.id} className="card entry">
          <Text>{e.reason}</Text>
          <Text className="muted">
            {names[e.account] ?? e.account} {e.delta > 0 ? `+${e.delta}` : e.delta} · 余额 {e.balanceAfter} ·{' '}
            {formatDay(e.createdAt)}
          </Text>
        </View>
      ))}
    </>
  )
}
