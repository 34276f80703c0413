import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { membershipLabel, staffRoles } from '../../../lib/labels'
import { AUDIT_PAGE, CLAIMS_PAGE } from '../../../session/routes'
import { useMe } from '../../../session/use-me'
import './index.css'

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
      <View className="page">
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
        <Text className="section-label">空间预约、急难愁盼、议事日与积分的管理即将开放</Text>
      </View>
    </StaffOnly>
  )
}
