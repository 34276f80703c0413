import type { Me } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { api, call } from '../../api'
import { ActionButton } from '../../components/action-button'
import { Loading } from '../../components/loading'
import { Tag } from '../../components/tag'
import { hasRole, membershipLabel, residencyStatusLabels, staffRoles, statusTone } from '../../lib/labels'
import { LOGIN_PAGE, MERCHANT_DESK_PAGE, RESIDENCY_PAGE, WORKBENCH_PAGE } from '../../session/routes'
import { forgetMe, useMe } from '../../session/use-me'
import './index.css'

const residencyAction = {
  none: '去认证',
  pending: '查看申请',
  verified: '查看',
  rejected: '重新提交',
} as const

export default function MePage() {
  const { me } = useMe()
  const [reason, setReason] = useState<string | null>(null)

  // Only a refused claim has something to add to the status: the reason.
  useEffect(() => {
    if (me?.residencyStatus !== 'rejected') return setReason(null)
    call('getMyResidency', undefined, { quiet: true })
      .then((r) => setReason(r.claim?.reviewReason ?? null))
      .catch(() => setReason(null))
  }, [me])

  if (!me) return <View className="page">{<Loading />}</View>

  const logout = async () => {
    await api.logout()
    forgetMe()
    await Taro.reLaunch({ url: LOGIN_PAGE })
  }
  const open = (url: string) => () => Taro.navigateTo({ url })

  return (
    <View className="page me">
      <View className="card profile">
        <View className="profile__avatar">{Array.from(me.nickname)[0] ?? '邻'}</View>
        <View className="profile__main">
          <Text className="profile__name me-nickname">{me.nickname}</Text>
          <View className="profile__roles">
            {me.roles.length ? (
              me.roles.map((m) => (
                <Text key={`${m.role}:${m.scopeId}`} className="tag tag--none profile__role">
                  {membershipLabel(m)}
                </Text>
              ))
            ) : (
              <Text className="muted">暂无角色，完成居民认证后成为居民</Text>
            )}
          </View>
        </View>
      </View>

      <View className="card me-residency" onClick={open(RESIDENCY_PAGE)}>
        <View className="row">
          <Text>居民认证</Text>
          <View className="me__status">
            <Tag tone={statusTone(me.residencyStatus)}>{residencyStatusLabels[me.residencyStatus]}</Tag>
            <Text className="link me__action">{residencyAction[me.residencyStatus]} ›</Text>
          </View>
        </View>
        {reason && <Text className="error-text">未通过原因：{reason}</Text>}
      </View>

      <View className="card me-links">
        <View className="row me-notices" onClick={open('/packages/grid/notices/index')}>
          <Text>通知公告</Text>
          <Text className="muted">社区、网格、楼栋通知 ›</Text>
        </View>
        <View className="row me-family" onClick={open('/packages/grid/family/index')}>
          <Text>家人绑定</Text>
          <Text className="muted">家人代办 ›</Text>
        </View>
      </View>

      <Workbenches me={me} open={open} />

      <ActionButton className="logout" kind="danger" onTap={logout}>
        退出登录
      </ActionButton>
    </View>
  )
}

function Workbenches({ me, open }: { me: Me; open: (url: string) => () => void }) {
  const rows = [
    hasRole(me, staffRoles) && {
      title: '社区工作台',
      hint: '审核 · 反映 · 议事 · 积分',
      onClick: open(WORKBENCH_PAGE),
    },
    hasRole(me, ['gridWorker']) && {
      title: '网格员工作台',
      hint: '今日待办 · 代为反映 · 走访',
      onClick: open('/packages/grid/day/index'),
    },
    hasRole(me, ['deptStaff']) && {
      title: '部门待办',
      hint: '吹哨报到',
      onClick: open('/packages/grid/dept-queue/index'),
    },
    hasRole(me, ['streetStaff', 'admin']) && {
      title: '街道驾驶舱',
      hint: '各社区、各部门一览',
      onClick: open('/packages/grid/cockpit/index'),
    },
    hasRole(me, ['merchant']) && { title: '商户工作台', hint: '扫码核销', onClick: open(MERCHANT_DESK_PAGE) },
  ].filter((r) => !!r)
  if (!rows.length) return null
  return (
    <View className="card me-workbench">
      {rows.map((r) => (
        <View key={r.title} className="row" onClick={r.onClick}>
          <Text>{r.title}</Text>
          <Text className="muted">{r.hint} ›</Text>
        </View>
      ))}
    </View>
  )
}
