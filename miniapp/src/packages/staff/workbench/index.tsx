import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { membershipLabel, staffRoles } from '../../../lib/labels'
import {
  AUDIT_PAGE,
  CLAIMS_PAGE,
  NEEDS_QUEUE_PAGE,
  NEEDS_STATS_PAGE,
  SCREENING_PAGE,
} from '../../../session/routes'
import { useMe } from '../../../session/use-me'
import './index.css'
import { Page } from '../../../ui'

export default function Workbench() {
  const { me } = useMe()
  const [pending, setPending] = useState<string>('')

  useDidShow(() => {
    call('listResidencyClaims', { query: { status: 'pending', limit: 100 } }, { quiet: true }).then(
      (r) => setPending(r.nextCursor ? '99+' : String(r.items.length)),
      () => setPending(''),
    )
  })

  const scopes = me?.roles.filter((m) => staffRoles.includes(m.role)).map(membershipLabel) ?? []
  const tiles = [
    {
      id: 'tile-claims',
      mark: '审',
      title: '认证审核',
      hint: pending ? `${pending} 条待审核` : '居民住址认证',
      url: CLAIMS_PAGE,
    },
    {
      id: 'tile-bookings',
      mark: '约',
      title: '预约审核',
      hint: '空间预约审核与日程',
      url: '/packages/booking/review/index',
    },
    {
      id: 'tile-spaces',
      mark: '室',
      title: '空间管理',
      hint: '空间、暂停开放、代社区预约',
      url: '/packages/booking/spaces/index',
    },
    { id: 'tile-needs', mark: '急', title: '反映处理', hint: '按时限排序的待办', url: NEEDS_QUEUE_PAGE },
    {
      id: 'tile-needs-stats',
      mark: '统',
      title: '反映统计',
      hint: '响应率 · 解决率 · 满意率',
      url: NEEDS_STATS_PAGE,
    },
    {
      id: 'tile-screening',
      mark: '议',
      title: '议题审查',
      hint: '议/不议审查与议事日安排',
      url: SCREENING_PAGE,
    },
    {
      id: 'tile-activities',
      mark: '活',
      title: '活动与借用',
      hint: '发布活动、名单签到、借还登记',
      url: '/packages/activities/desk/index',
    },
    { id: 'tile-audit', mark: '志', title: '操作日志', hint: '工作人员操作留痕', url: AUDIT_PAGE },
    {
      id: 'tile-points',
      mark: '积',
      title: '积分管理',
      hint: '商户、礼遇、审核与对账',
      url: '/packages/points-admin/index/index',
    },
  ]

  return (
    <StaffOnly me={me} what="工作台">
      <Page>
        <View className="card">
          <Text className="card__title">社区工作台</Text>
          {scopes.map((s) => (
            <Text key={s} className="muted workbench__scope">
              {s}
            </Text>
          ))}
        </View>
        <View className="workbench__tiles">
          {tiles.map((t) => (
            <View
              key={t.id}
              className={`workbench__tile ${t.id}`}
              onClick={() => Taro.navigateTo({ url: t.url })}
            >
              <View className="workbench__mark">{t.mark}</View>
              <Text className="workbench__title">{t.title}</Text>
              <Text className="muted">{t.hint}</Text>
            </View>
          ))}
        </View>
      </Page>
    </StaffOnly>
  )
}
