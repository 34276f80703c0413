import type { Me } from '@linli/shared-types'
import { Switch, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { api, call } from '../../api'
import { hasRole, membershipLabel, residencyStatusLabels, staffRoles, statusTone } from '../../lib/labels'
import { subscribe } from '../../lib/subscribe'
import {
  LOGIN_PAGE,
  MERCHANT_DESK_PAGE,
  NEEDS_QUEUE_PAGE,
  PRIVACY_PAGE,
  RESIDENCY_PAGE,
  WORKBENCH_PAGE,
} from '../../session/routes'
import { forgetMe, useMe } from '../../session/use-me'
import { ActionButton, Cell, CellGroup, Page, Skeleton, setCare, Tag, useCare } from '../../ui'
import './index.css'

const residencyAction = {
  none: '去认证',
  pending: '查看申请',
  verified: '查看',
  rejected: '重新提交',
} as const

const open = (url: string) => () => Taro.navigateTo({ url })

/** 我的: the resident's hub of their own records, settings and privacy; desks for those who have one. */
export default function MePage() {
  const { me } = useMe()
  const care = useCare()
  const [reason, setReason] = useState<string | null>(null)
  const [unread, setUnread] = useState(0)

  // Only a refused claim has something to add to the status: the reason.
  useEffect(() => {
    if (me?.residencyStatus !== 'rejected') return setReason(null)
    call('getMyResidency', undefined, { quiet: true })
      .then((r) => setReason(r.claim?.reviewReason ?? null))
      .catch(() => setReason(null))
  }, [me])
  useDidShow(() => {
    call('listNotifications', { query: { limit: 1 } }, { quiet: true }).then(
      (r) => setUnread(r.unread),
      () => setUnread(0),
    )
  })

  if (!me) return <Page>{<Skeleton />}</Page>

  const logout = async () => {
    await api.logout()
    forgetMe()
    await Taro.reLaunch({ url: LOGIN_PAGE })
  }

  return (
    <Page className="me">
      <View className="card profile">
        <View className="profile__avatar" aria-hidden="true">
          {Array.from(me.nickname)[0] ?? '邻'}
        </View>
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
              <Text className="muted">完成居民认证后成为本社区居民</Text>
            )}
          </View>
        </View>
      </View>

      <CellGroup className="me-residency">
        <Cell
          title="居民认证"
          note={reason ? `未通过原因：${reason}` : null}
          extra={
            <View className="me__status">
              <Tag tone={statusTone(me.residencyStatus)}>{residencyStatusLabels[me.residencyStatus]}</Tag>
              <Text className="me__action">{residencyAction[me.residencyStatus]}</Text>
            </View>
          }
          onClick={open(RESIDENCY_PAGE)}
        />
      </CellGroup>

      <CellGroup title="我的事务" className="me-records">
        <Cell className="me-bookings" title="我的预约" onClick={open('/packages/booking/mine/index')} />
        <Cell
          className="me-needs"
          title="我的反映"
          note="办理进度一目了然"
          onClick={open('/packages/needs/mine/index')}
        />
        <Cell
          className="me-topics"
          title="我的议题与投票"
          onClick={open('/packages/deliberation/mine/index')}
        />
        <Cell className="me-vouchers" title="我的券" onClick={open('/packages/points/vouchers/index')} />
        <Cell
          className="me-notices"
          title="通知公告"
          note="社区、网格、楼栋的通知"
          onClick={open('/packages/grid/notices/index')}
        />
        <Cell
          className="me-family"
          title="家人绑定"
          note="家人代办：反映、预约、查看积分"
          onClick={open('/packages/grid/family/index')}
        />
        <Cell
          className="me-points"
          title="积分明细"
          onClick={() => Taro.switchTab({ url: '/pages/points/index' })}
        />
        <Cell
          className="me-inbox"
          title="消息"
          badge={unread}
          onClick={open('/packages/booking/inbox/index')}
        />
      </CellGroup>

      <Workbenches me={me} />

      <CellGroup title="设置" className="me-settings">
        {/* The whole row is the switch (a 48 px target); the native switch only shows the state. */}
        <View
          className="cell me-care"
          role="switch"
          aria-checked={care}
          aria-label="关怀模式"
          onClick={() => setCare(!care)}
        >
          <View className="cell__main">
            <Text className="cell__title">关怀模式</Text>
            <Text className="cell__note">字更大、按钮更大、首页更简洁</Text>
          </View>
          <Switch className="me-care__switch" checked={care} color="#0b7a57" />
        </View>
        <Cell
          className="me-subscribe"
          title="消息订阅"
          note="预约结果、反映进展、投票开始时通知我"
          onClick={() => void subscribe(['booking', 'need', 'vote'], { explain: true })}
        />
      </CellGroup>

      <CellGroup title="隐私" className="me-privacy">
        <Cell
          className="me-privacy-link"
          title="隐私与个人信息"
          note="授权记录 · 导出我的数据 · 注销账号"
          onClick={open(PRIVACY_PAGE)}
        />
      </CellGroup>

      <ActionButton
        className="logout"
        kind="ghost"
        confirm={{ title: '退出登录', content: '退出后需重新登录才能使用', confirmText: '退出' }}
        onTap={logout}
      >
        退出登录
      </ActionButton>
    </Page>
  )
}

function Workbenches({ me }: { me: Me }) {
  const rows = [
    hasRole(me, staffRoles) && {
      title: '社区工作台',
      note: '审核 · 反映 · 议事 · 积分',
      url: WORKBENCH_PAGE,
    },
    hasRole(me, ['gridWorker']) && {
      title: '网格员工作台',
      note: '今日待办 · 代为反映 · 走访',
      url: '/packages/grid/day/index',
    },
    hasRole(me, ['gridWorker']) && { title: '反映处理', note: '待办与统计', url: NEEDS_QUEUE_PAGE },
    hasRole(me, ['deptStaff']) && {
      title: '部门待办',
      note: '吹哨报到',
      url: '/packages/grid/dept-queue/index',
    },
    hasRole(me, ['streetStaff', 'admin']) && {
      title: '街道驾驶舱',
      note: '各社区、各部门一览',
      url: '/packages/grid/cockpit/index',
    },
    hasRole(me, ['merchant']) && { title: '商户工作台', note: '扫码核销', url: MERCHANT_DESK_PAGE },
  ].filter((r) => !!r)
  if (!rows.length) return null
  return (
    <CellGroup title="工作台" className="me-workbench">
      {rows.map((r) => (
        <Cell key={r.title} className="row" title={r.title} note={r.note} onClick={open(r.url)} />
      ))}
    </CellGroup>
  )
}
