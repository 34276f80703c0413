import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { communityName, hasRole, residencyStatusLabels, staffRoles, statusTone } from '../../lib/labels'
import { greeting } from '../../lib/time'
import { RESIDENCY_PAGE, WORKBENCH_PAGE } from '../../session/routes'
import { useMe } from '../../session/use-me'
import './index.css'
import { Page, Skeleton, Tag } from '../../ui'

interface Entry {
  mark: string
  title: string
  hint: string
  open: () => void
}

const tab = (url: string) => () => Taro.switchTab({ url })
const page = (url: string) => () => Taro.navigateTo({ url })

export default function Home() {
  const { me } = useMe()
  if (!me) return <Page>{<Skeleton />}</Page>

  const entries: Entry[] = [
    { mark: '约', title: '空间预约', hint: '会议室 · 球场 · 厨房', open: tab('/pages/booking/index') },
    { mark: '急', title: '我要反映', hint: '急难愁盼 件件有着落', open: page('/packages/needs/new/index') },
    { mark: '议', title: '爱邻议事', hint: '每月20日', open: tab('/pages/deliberation/index') },
    { mark: '积', title: '积分兑换', hint: '双积分双兑换', open: tab('/pages/points/index') },
    {
      mark: '认',
      title: '居民认证',
      hint: residencyStatusLabels[me.residencyStatus],
      open: page(RESIDENCY_PAGE),
    },
  ]
  if (hasRole(me, ['gridWorker', 'staff', 'streetStaff', 'admin']))
    entries.push({
      mark: '办',
      title: '反映处理',
      hint: '待办与统计',
      open: page('/packages/needs/queue/index'),
    })
  if (hasRole(me, staffRoles))
    entries.push({ mark: '工', title: '工作台', hint: '审核与管理', open: page(WORKBENCH_PAGE) })

  return (
    <Page className="home">
      <View className="hero">
        <Text className="hero__greet">
          {greeting()}，{me.nickname}
        </Text>
        <View className="hero__meta">
          <Text className="hero__community">{communityName(me) ?? '尚未加入社区'}</Text>
          <Tag tone={statusTone(me.residencyStatus)}>{residencyStatusLabels[me.residencyStatus]}</Tag>
        </View>
      </View>

      {me.residencyStatus !== 'verified' && (
        <View className="card notice" onClick={page(RESIDENCY_PAGE)}>
          <Text className="notice__text">
            {me.residencyStatus === 'pending'
              ? '认证申请审核中，社区工作人员会尽快处理'
              : '完成居民认证后，即可预约空间、参与议事投票和兑换积分'}
          </Text>
          <Text className="link">{me.residencyStatus === 'pending' ? '查看' : '去认证'}</Text>
        </View>
      )}

      <View className="entries">
        {entries.map((e) => (
          <View key={e.title} className="entry" onClick={e.open}>
            <View className="entry__mark">{e.mark}</View>
            <Text className="entry__title">{e.title}</Text>
            <Text className="entry__hint">{e.hint}</Text>
          </View>
        ))}
      </View>
    </Page>
  )
}
