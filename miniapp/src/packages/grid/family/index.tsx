import type { FamilyBinding } from '@linli/shared-types'
import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { useMe } from '../../../session/use-me'
import { confirm, GRID_PAGES } from '../shared'
import '../grid.css'
import { ActionButton, Field, Page, Skeleton, useFieldErrors } from '../../../ui'

/**
 * 家人绑定 (代办): one side asks and gets a code, the other types it; both have then confirmed. The
 * family member may then report needs, book and view points for the elder — never vote.
 */
export default function FamilyPage() {
  const { me } = useMe()
  const [items, setItems] = useState<FamilyBinding[] | null>(null)
  const [code, setCode] = useState('')
  const form = useFieldErrors({ code: '绑定码' })
  const load = () =>
    call('listFamily').then(
      (r) => setItems(r.items),
      () => setItems([]),
    )
  useDidShow(() => {
    void load()
  })
  if (!items || !me) return <Page>{<Skeleton />}</Page>

  const ask = async (as: 'elder' | 'member') => {
    await call('requestFamilyBinding', { body: { as } })
    await load()
  }
  const enter = async () => {
    if (!/^[A-Za-z2-9]{10}$/.test(code.trim())) return form.setErrors({ code: '请输入对方给您的10位绑定码' })
    if (!(await form.submit(call('confirmFamilyBinding', { body: { code: code.trim() } })))) return
    setCode('')
    await Taro.showToast({ title: '已绑定', icon: 'success' })
    await load()
  }
  const revoke = async (b: FamilyBinding) => {
    if (!(await confirm('解除绑定', '解除后对方不能再代您办理，也看不到您的记录'))) return
    await call('revokeFamilyBinding', { params: { id: b.id } })
    await load()
  }

  return (
    <Page className="family">
      <View className="card muted">
        绑定后，家人可以代您反映问题、预约场地、查看积分；投票必须本人参加。任一方可随时解除。
      </View>
      {items.length === 0 && <View className="card muted center">还没有绑定家人</View>}
      {items.map((b) => {
        const other = b.myRole === 'elder' ? b.member : b.elder
        return (
          <View key={b.id} className="card family-item">
            <View className="row">
              <Text className="grid-item__title">
                {b.myRole === 'elder' ? '帮我办理的家人' : '我帮助的家人'}：{other?.name ?? '等待对方确认'}
              </Text>
              <Text className={`tag ${b.status === 'active' ? 'tag--ok' : 'tag--wait'}`}>
                {b.status === 'active' ? '已绑定' : '待确认'}
              </Text>
            </View>
            {b.code && (
              <>
                <Text className="muted">请让对方在“家人绑定”中输入以下绑定码：</Text>
                <Text className="grid-code family-code">{b.code}</Text>
                {b.codeExpiresAt && <Text className="muted">有效期至 {formatTime(b.codeExpiresAt)}</Text>}
              </>
            )}
            <View className="btn-row">
              {b.status === 'active' && b.myRole === 'member' && b.elder && (
                <ActionButton
                  className="family-needs"
                  onTap={() =>
                    Taro.navigateTo({
                      url: `${GRID_PAGES.familyNeeds}?elder=${b.elder!.id}&name=${encodeURIComponent(b.elder!.name)}`,
                    })
                  }
                >
                  查看TA的反映
                </ActionButton>
              )}
              <ActionButton kind="danger" className="family-revoke" onTap={() => revoke(b)}>
                {b.status === 'active' ? '解除绑定' : '取消'}
              </ActionButton>
            </View>
          </View>
        )
      })}
      <View className="card">
        <Text className="card__title">输入绑定码</Text>
        <Field
          className="family-code-input"
          label="对方给您的10位绑定码"
          value={code}
          {...form.bind('code', setCode)}
          maxlength={10}
          hint="10位字母或数字，由对方在本页生成"
        />
        <ActionButton className="family-confirm" onTap={enter}>
          确认绑定
        </ActionButton>
      </View>
      <View className="btn-row">
        {me.residencyStatus === 'verified' && (
          <ActionButton kind="ghost" className="family-ask-elder" onTap={() => ask('elder')}>
            让家人帮我办
          </ActionButton>
        )}
        <ActionButton kind="ghost" className="family-ask-member" onTap={() => ask('member')}>
          我来帮家人办
        </ActionButton>
      </View>
    </Page>
  )
}
