import { CreateMerchantBody, type MerchantDto, type ResidentMatch } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { PeoplePicker } from '../../../components/people-picker'
import { firstIssueMessage } from '../../../lib/form'
import '../admin.css'
import { ActionButton, Chips, Field, limitHint, useFieldErrors } from '../../../ui'
import { StaffPage, toast } from '../shared'

const labels = {
  name: '商户名称',
  address: '地址',
  phone: '电话',
  description: '简介',
  staffUserIds: '店员',
}

/** Partner merchants in reach, and the form that onboards one with its staff accounts. */
export default function Merchants() {
  const [items, setItems] = useState<MerchantDto[]>([])
  const [form, setForm] = useState({ name: '', address: '', phone: '', description: '' })
  const [clerks, setClerks] = useState<ResidentMatch[]>([])
  const [target, setTarget] = useState('')
  const [added, setAdded] = useState<Record<string, true>>({})
  const load = () =>
    call('listMerchants', { query: { limit: 100 } }).then(
      (r) => setItems(r.items),
      () => {},
    )
  useDidShow(() => void load())
  const fields = useFieldErrors(labels)
  const set = (k: keyof typeof form) => fields.bind(k, (v) => setForm((f) => ({ ...f, [k]: v })))

  const create = async (communityId: string) => {
    const staff = clerks.map((c) => c.userId)
    const parsed = CreateMerchantBody.safeParse({
      communityId,
      name: form.name,
      address: form.address.trim() || undefined,
      phone: form.phone.trim() || undefined,
      description: form.description.trim() || undefined,
      staffUserIds: staff.length ? staff : undefined,
    })
    fields.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels))
    if (!(await fields.submit(call('createMerchant', { body: parsed.data })))) return
    setForm({ name: '', address: '', phone: '', description: '' })
    setClerks([])
    void toast('已登记', 'success')
    await load()
  }

  const addClerk = async (m: ResidentMatch) => {
    const merchant = await call('addMerchantStaff', { params: { id: target }, body: { userId: m.userId } })
    setAdded((all) => ({ ...all, [m.userId]: true }))
    void toast(`已添加到${merchant.name}`, 'success')
    await load()
  }

  return (
    <StaffPage>
      {({ communityId, picker }) => (
        <>
          {items.map((m) => (
            <View key={m.id} className="card admin__item merchant-item">
              <Text className="card__title">{m.name}</Text>
              <Text className="muted">
                {m.address || '未填地址'} · 店员 {m.staffCount} 人{m.active ? '' : ' · 已停用'}
              </Text>
            </View>
          ))}
          {items.length === 0 && <View className="card muted">暂无合作商户</View>}
          {items.length > 0 && (
            <View className="card merchant-staff-add">
              <Text className="card__title">为商户添加店员</Text>
              <Text className="section-label">选择商户</Text>
              <Chips
                className="merchant-target"
                options={items.map((m) => ({ value: m.id, label: m.name }))}
                value={target}
                onChange={(id) => {
                  setTarget(id)
                  setAdded({})
                }}
              />
              {target && (
                <PeoplePicker
                  className="merchant-staff-people"
                  label="查找店员"
                  communityId={items.find((m) => m.id === target)?.communityId}
                >
                  {(m) =>
                    added[m.userId] ? (
                      <Text className="muted">已添加为店员</Text>
                    ) : (
                      <ActionButton
                        kind="ghost"
                        className="merchant-staff-add-one"
                        confirm={{
                          title: `添加${m.name}为店员？`,
                          content: '添加后可在商户端查券、核销',
                          confirmText: '添加',
                        }}
                        onTap={() => addClerk(m)}
                      >
                        添加为店员
                      </ActionButton>
                    )
                  }
                </PeoplePicker>
              )}
            </View>
          )}
          <View className="card">
            <Text className="card__title">登记合作商户</Text>
            {picker}
            <Field
              className="merchant-name"
              label="商户名称"
              value={form.name}
              {...set('name')}
              maxlength={40}
              hint={limitHint(CreateMerchantBody.shape.name)}
            />
            <Field
              className="merchant-address"
              label="地址"
              value={form.address}
              {...set('address')}
              maxlength={100}
              hint={limitHint(CreateMerchantBody.shape.address, '', '，可不填')}
            />
            <Field
              className="merchant-phone"
              label="电话"
              value={form.phone}
              {...set('phone')}
              hint="7–20位数字或 -，可不填"
            />
            <Field
              className="merchant-description"
              label="简介"
              value={form.description}
              {...set('description')}
              maxlength={300}
              hint={limitHint(CreateMerchantBody.shape.description, '', '，可不填')}
            />
            <Text className="section-label">店员（从本社区已认证居民中查找）</Text>
            {clerks.map((c) => (
              <View key={c.userId} className="row merchant-clerk">
                <Text>
                  {c.name} · {c.phone}
                </Text>
                <ActionButton
                  kind="ghost"
                  className="merchant-clerk-remove"
                  onTap={() => setClerks((all) => all.filter((x) => x.userId !== c.userId))}
                >
                  移除
                </ActionButton>
              </View>
            ))}
            <PeoplePicker className="merchant-people" label="查找店员" communityId={communityId}>
              {(m) =>
                clerks.some((c) => c.userId === m.userId) ? (
                  <Text className="muted">已添加</Text>
                ) : (
                  <ActionButton
                    kind="ghost"
                    className="merchant-clerk-add"
                    onTap={() => setClerks((all) => [...all, m])}
                  >
                    添加为店员
                  </ActionButton>
                )
              }
            </PeoplePicker>
            <ActionButton className="merchant-create" onTap={() => create(communityId)}>
              登记
            </ActionButton>
          </View>
        </>
      )}
    </StaffPage>
  )
}
