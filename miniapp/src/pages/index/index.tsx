import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { greeting } from '../../lib/greeting'
import { communityName, hasRole, residencyStatusLabels, staffRoles, statusTone } from '../../lib/labels'
import { RESIDENCY_PAGE } from '../../session/routes'
import { useMe } from '../../session/use-me'
import { careOfferPending, dismissCareOffer, Page, Skeleton, setCare, Tag, useCare } from '../../ui'
import { Desk } from './desk'
import { LiveCards } from './live-cards'
import './index.css'

const tab = (url: string) => () => Taro.switchTab({ url })
const page = (url: string) => () => Taro.navigateTo({ url })

/** The four big actions every resident has; in 关怀模式 they are the whole home page. */
const actions = [
  {
    id: 'act-booking',
    mark: '约',
    title: '空间预约',
    hint: '会议室 · 球场 · 厨房',
    open: tab('/pages/booking/index'),
  },
  {
    id: 'act-need',
    mark: '急',
    title: '我要反映',
    hint: '急难愁盼 件件有着落',
    open: page('/packages/needs/new/index'),
  },
  {
    id: 'act-topic',
    mark: '议',
    title: '爱邻议事',
    hint: '每月20日议事日',
    open: tab('/pages/deliberation/index'),
  },
  {
    id: 'act-points',
    mark: '积',
    title: '积分兑换',
    hint: '双积分 双兑换',
    open: tab('/pages/points/index'),
  },
]

/** Beyond the four: shown on the normal home, left out of 关怀模式's simplified one. */
const more = [
  {
    id: 'act-activities',
    mark: '活',
    title: '社区活动',
    hint: '志愿服务 · 共享物品',
    open: page('/packages/activities/list/index'),
  },
]

export default function Home() {
  const { me } = useMe()
  const care = useCare()
  const [offer, setOffer] = useState(careOfferPending)
  if (!me) return <Page>{<Skeleton />}</Page>

  // Staff, grid workers and merchants land on their desk; residents (and everyone else) on their cards.
  const deskRole = hasRole(me, [...staffRoles, 'gridWorker', 'merchant'])
  const community = communityName(me)

  return (
    <Page className="home">
      <View className="hero">
        <Text className="hero__greet">
          {greeting()}，{me.nickname}
        </Text>
        <View className="hero__meta">
          <Text className="hero__community">{community ?? (deskRole ? '工作人员' : '尚未加入社区')}</Text>
          {!deskRole && (
            <Tag tone={statusTone(me.residencyStatus)}>{residencyStatusLabels[me.residencyStatus]}</Tag>
          )}
        </View>
      </View>

      {offer && !care && (
        <View className="card care-offer">
          <Text className="card__title">字太小、看不清？</Text>
          <Text className="muted">
            关怀模式字更大、按钮更大，首页只留最常用的四件事。可随时在“我的 › 设置”里更改。
          </Text>
          <View className="btn-row">
            <View
              className="btn care-offer__on"
              onClick={() => {
                setCare(true)
                setOffer(false)
              }}
            >
              开启关怀模式
            </View>
            <View
              className="btn btn--ghost care-offer__off"
              onClick={() => {
                dismissCareOffer()
                setOffer(false)
              }}
            >
              暂不需要
            </View>
          </View>
        </View>
      )}

      {!deskRole && me.residencyStatus !== 'verified' && (
        <View className="card notice" onClick={page(RESIDENCY_PAGE)}>
          <Text className="notice__text">
            {me.residencyStatus === 'pending'
              ? '认证申请审核中，社区工作人员会尽快处理'
              : '完成居民认证后，即可预约空间、参与议事投票和兑换积分'}
          </Text>
          <Text className="link">{me.residencyStatus === 'pending' ? '查看' : '去认证'}</Text>
        </View>
      )}

      {deskRole && <Desk me={me} />}
      {!deskRole && (
        <View className={care ? 'entries entries--care' : 'entries'}>
          {(care ? actions : [...actions, ...more]).map((a) => (
            <View key={a.id} className={`entry ${a.id}`} role="link" onClick={a.open}>
              <View className="entry__mark">{a.mark}</View>
              <Text className="entry__title">{a.title}</Text>
              {!care && <Text className="entry__hint">{a.hint}</Text>}
            </View>
          ))}
        </View>
      )}
      {/* Below the actions: its cards arrive after the page shows and must not push them. */}
      {!deskRole && !care && me.residencyStatus === 'verified' && <LiveCards />}
    </Page>
  )
}
