import { type Activity, ageGroupLabels, type Session } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { minutesLabel, placesLabel, ROSTER_PAGE, SignUpTag, sessionWhen, weekdayNames } from '../shared'
import '../activities.css'
import { ActionButton, Skeleton, Tag } from '../../../ui'

function scheduleLine(a: Activity): string {
  const s = a.schedule
  if (s.kind !== 'weekly') return '单次活动'
  const days = s.weekdays.map((d) => weekdayNames[d]).join('、')
  return `每${days} ${s.startTime} · 每场${minutesLabel(s.durationMinutes)}`
}

/** One activity: what, where, who for, and its coming sessions with sign-up, waitlist and cancel. */
export default function ActivityDetail() {
  const { params } = useRouter()
  const [activity, setActivity] = useState<Activity | null>(null)
  const [failed, setFailed] = useState(false)

  const load = async () => {
    setFailed(false)
    try {
      setActivity(await call('getActivity', { params: { id: params.id ?? '' } }))
    } catch {
      setFailed(true)
    }
  }
  useDidShow(() => {
    void load()
  })

  const signUp = async (s: Session) => {
    const full = s.places - s.confirmed <= 0
    const { confirm } = await Taro.showModal({
      title: full ? '加入候补' : '确认报名',
      content: `${sessionWhen(s.start, s.end)}${full ? '\n名额已满，有人取消时按先后递补并通知您' : ''}`,
    })
    if (!confirm) return
    const res = await call('signUpForSession', { params: { id: s.id } })
    await Taro.showToast({
      title: res.status === 'waitlisted' ? `已候补第${res.position}位` : '报名成功',
      icon: 'none',
    })
    await load()
  }
  const cancel = async (s: Session) => {
    if (!s.mySignUp) return
    const { confirm } = await Taro.showModal({
      title: '取消报名',
      content: `确定取消 ${sessionWhen(s.start, s.end)} 的报名吗？名额将让给候补的邻居。`,
    })
    if (!confirm) return
    await call('cancelSignUp', { params: { id: s.mySignUp.id } })
    await load()
  }

  if (failed)
    return (
      <View className="page act">
        <View className="card center">
          <Text className="muted">活动没有加载出来，可能已被删除</Text>
          <ActionButton kind="ghost" onTap={load}>
            重试
          </ActionButton>
        </View>
      </View>
    )
  if (!activity) return <View className="page act">{<Skeleton />}</View>
  const a = activity
  return (
    <View className="page act">
      <View className="card">
        <Text className="act-card__title">{a.title}</Text>
        <View className="act-tags">
          {a.status === 'cancelled' && <Tag tone="bad">已取消</Tag>}
          {a.volunteer && <Tag tone="ok">{`志愿服务 · 每小时${a.pointsPerHour}志愿积分`}</Tag>}
          <Tag tone="none">{ageGroupLabels[a.audience.ageGroup]}</Tag>
        </View>
        <Text className="act-card__line">地点：{a.location}</Text>
        <Text className="act-card__line">时间：{scheduleLine(a)}</Text>
        <Text className="act-card__line">每场名额：{a.placesPerSession}人</Text>
        <Text className="act-card__line">联系电话：{a.contactPhone}</Text>
        {a.description && <Text className="act-card__line">{a.description}</Text>}
        {a.volunteer && (
          <Text className="muted">到场扫码签到、结束时签退，按实际服务时长（不超过场次时长）计志愿积分</Text>
        )}
      </View>
      {a.sessions.length === 0 && <View className="card muted center">近期没有场次</View>}
      {a.sessions.map((s) => (
        <View key={s.id} className="card session-row">
          <Text className="act-card__title session-row__when">{sessionWhen(s.start, s.end)}</Text>
          <View className="act-tags">
            {s.mySignUp && <SignUpTag status={s.mySignUp.status} position={s.mySignUp.position} />}
            <Text className="act-card__line">{placesLabel(s)}</Text>
          </View>
          {s.status === 'scheduled' && Date.parse(s.end) > Date.now() && (
            <View className="btn-row">
              {(!s.mySignUp || s.mySignUp.status === 'cancelled') && (
                <ActionButton className="signup-btn" onTap={() => signUp(s)}>
                  {s.places - s.confirmed > 0 ? '报名' : '加入候补'}
                </ActionButton>
              )}
              {(s.mySignUp?.status === 'confirmed' || s.mySignUp?.status === 'waitlisted') && (
                <ActionButton className="cancel-signup-btn" kind="ghost" onTap={() => cancel(s)}>
                  取消报名
                </ActionButton>
              )}
              {s.checkInCode && (
                <ActionButton
                  className="roster-btn"
                  kind="ghost"
                  onTap={() => Taro.navigateTo({ url: `${ROSTER_PAGE}?id=${s.id}` })}
                >
                  名单与签到码
                </ActionButton>
              )}
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
