import type { SignUp, VolunteerService } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { usePages } from '../../../lib/use-pages'
import { CodeEntry, minutesLabel, SignUpTag, sessionWhen } from '../shared'
import '../activities.css'
import { ActionButton } from '../../../ui'

/** 我的报名: my volunteer hours and the points they earned, then each sign-up with check-in/out. */
export default function MySignUps() {
  const [service, setService] = useState<VolunteerService | null>(null)
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listMySignUps', { query: { limit: 20, cursor } }),
    [],
  )
  const { items, hasMore, reload, more } = usePages<SignUp>(fetchPage)
  const refresh = async () => {
    await reload()
    setService(await call('getMyVolunteerService').catch(() => null))
  }
  useDidShow(() => {
    void refresh()
  })

  const cancel = async (s: SignUp) => {
    const { confirm } = await Taro.showModal({
      title: '取消报名',
      content: `确定取消「${s.title}」${sessionWhen(s.start, s.end)} 的报名吗？`,
    })
    if (!confirm) return
    await call('cancelSignUp', { params: { id: s.id } })
    await refresh()
  }
  const checkIn = async (s: SignUp, code: string) => {
    await call('checkInToSession', { params: { id: s.sessionId }, body: { code } })
    await Taro.showToast({ title: '签到成功', icon: 'success' })
    await refresh()
  }
  const checkOut = async (s: SignUp, code: string) => {
    const { confirm } = await Taro.showModal({
      title: '签退',
      content: '签退后本场服务时长即确定，确定签退吗？',
    })
    if (!confirm) return
    const done = await call('checkOutOfSession', { params: { id: s.sessionId }, body: { code } })
    await Taro.showToast({ title: `已签退，服务${minutesLabel(done.servedMinutes ?? 0)}`, icon: 'none' })
    await refresh()
  }
  const live = (s: SignUp) => Date.parse(s.end) > Date.now()

  return (
    <View className="page act">
      <View className="card">
        <Text className="card__title">我的志愿服务</Text>
        <View className="act-stats volunteer-stats">
          <View>
            <Text className="act-stat__number stat-sessions">{service?.sessions ?? '–'}</Text>
            <Text className="act-stat__label">场次</Text>
          </View>
          <View>
            <Text className="act-stat__number stat-hours">
              {service ? minutesLabel(service.minutes) : '–'}
            </Text>
            <Text className="act-stat__label">服务时长</Text>
          </View>
          <View>
            <Text className="act-stat__number stat-points">{service?.points ?? '–'}</Text>
            <Text className="act-stat__label">获得志愿积分</Text>
          </View>
        </View>
      </View>
      <PagedList items={items} hasMore={hasMore} more={more} empty="还没有报名活动，去「社区活动」看看吧">
        {(s) => (
          <View key={s.id} className="card signup-card">
            <Text className="act-card__title">{s.title}</Text>
            <Text className="act-card__line">
              {sessionWhen(s.start, s.end)} · {s.location}
            </Text>
            <View className="act-tags">
              <SignUpTag status={s.status} position={s.position} />
              {s.servedMinutes !== null && (
                <Text className="act-card__line">{`服务${minutesLabel(s.servedMinutes)}`}</Text>
              )}
              {s.points !== null && (
                <Text className="act-card__line signup-points">{`+${s.points}志愿积分`}</Text>
              )}
            </View>
            {s.status === 'confirmed' && live(s) && (
              <CodeEntry className="checkin" label="现场签到码" action="签到" onCode={(c) => checkIn(s, c)} />
            )}
            {s.status === 'checkedIn' && (
              <CodeEntry
                className="checkout"
                label="现场签到码"
                action="签退"
                onCode={(c) => checkOut(s, c)}
              />
            )}
            {(s.status === 'confirmed' || s.status === 'waitlisted') && live(s) && (
              <ActionButton className="cancel-signup-btn" kind="ghost" onTap={() => cancel(s)}>
                取消报名
              </ActionButton>
            )}
          </View>
        )}
      </PagedList>
    </View>
  )
}
