import { ageGroupLabels, type Session } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { hasRole, staffRoles } from '../../../lib/labels'
import { useMe } from '../../../session/use-me'
import {
  clockRange,
  DESK_PAGE,
  DETAIL_PAGE,
  dayLabel,
  ITEMS_PAGE,
  LOANS_PAGE,
  MINE_PAGE,
  placesLabel,
  SignUpTag,
} from '../shared'
import '../activities.css'
import { ActionButton, Chips, Skeleton, Tag } from '../../../ui'

const go = (url: string) => () => Taro.navigateTo({ url })
const kinds = [
  { value: 'all', label: '全部活动' },
  { value: 'volunteer', label: '志愿服务' },
]

/** 活动: the next two weeks of sessions, by local date, with the reader's own sign-up on each. */
export default function Activities() {
  const { me } = useMe()
  const [sessions, setSessions] = useState<Session[] | null>(null)
  const [failed, setFailed] = useState(false)
  const [kind, setKind] = useState('all')

  const load = async (which = kind) => {
    setFailed(false)
    try {
      const res = await call('listSessions', {
        query: { days: 14, ...(which === 'volunteer' ? { volunteer: 'true' } : {}) },
      })
      setSessions(res.items)
    } catch {
      setFailed(true)
    }
  }
  useDidShow(() => {
    void load()
  })

  const byDate = new Map<string, Session[]>()
  for (const s of sessions ?? []) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s])

  return (
    <View className="page act">
      <View className="act-links">
        <ActionButton kind="ghost" className="to-mine" onTap={go(MINE_PAGE)}>
          我的报名
        </ActionButton>
        <ActionButton kind="ghost" className="to-items" onTap={go(ITEMS_PAGE)}>
          共享物品
        </ActionButton>
        <ActionButton kind="ghost" className="to-loans" onTap={go(LOANS_PAGE)}>
          我的借用
        </ActionButton>
        {hasRole(me, staffRoles) && (
          <ActionButton kind="ghost" className="to-desk" onTap={go(DESK_PAGE)}>
            工作台
          </ActionButton>
        )}
      </View>
      <Chips
        className="act-kinds"
        options={kinds}
        value={kind}
        onChange={(v) => {
          setKind(v)
          void load(v)
        }}
      />
      {failed && (
        <View className="card center">
          <Text className="muted">活动没有加载出来</Text>
          <ActionButton kind="ghost" onTap={() => load()}>
            重试
          </ActionButton>
        </View>
      )}
      {!sessions && !failed && <Skeleton />}
      {sessions?.length === 0 && (
        <View className="card muted center">近两周还没有活动，过几天再来看看吧</View>
      )}
      {[...byDate].map(([date, list]) => (
        <View key={date}>
          <Text className="act-day">{dayLabel(date)}</Text>
          {list.map((s) => (
            <View key={s.id} className="card session-card" onClick={go(`${DETAIL_PAGE}?id=${s.activityId}`)}>
              <Text className="act-card__title">{s.title}</Text>
              <Text className="act-card__line">
                {clockRange(s.start, s.end)} · {s.location}
              </Text>
              <View className="act-tags">
                {s.volunteer && <Tag tone="ok">{`志愿服务 · 每小时${s.pointsPerHour}积分`}</Tag>}
                {s.ageGroup !== 'all' && <Tag tone="none">{ageGroupLabels[s.ageGroup]}</Tag>}
                {s.mySignUp && <SignUpTag status={s.mySignUp.status} position={s.mySignUp.position} />}
              </View>
              <Text className="act-card__line">{placesLabel(s)}</Text>
            </View>
          ))}
        </View>
      ))}
    </View>
  )
}
