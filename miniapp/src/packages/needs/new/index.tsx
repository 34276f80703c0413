import { CreateNeedInput, type NeedCategory, type NeedUrgency, needUrgencyLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { ApiError, call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import { useMe } from '../../../session/use-me'
import { MY_NEEDS_PAGE, NEED_PAGE, uploadPhoto } from '../shared'
import '../needs.css'
import { subscribe } from '../../../lib/subscribe'
import { RESIDENCY_PAGE } from '../../../session/routes'
import { ActionButton, Chips, Field, Page, Result, TextField, useCare, useFieldErrors } from '../../../ui'

const labels = {
  categoryId: '分类',
  title: '标题',
  description: '情况描述',
  contactPhone: '联系电话',
  location: '位置',
}
const urgencies = (['normal', 'urgent', 'emergency'] as NeedUrgency[]).map((u) => ({
  value: u,
  label: needUrgencyLabels[u],
}))

export default function NewNeed() {
  const { me } = useMe()
  const [categories, setCategories] = useState<NeedCategory[]>([])
  const [categoryId, setCategoryId] = useState('')
  const [urgency, setUrgency] = useState<NeedUrgency>('normal')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [location, setLocation] = useState('')
  const [phone, setPhone] = useState('')
  const [photos, setPhotos] = useState<{ id: string; path: string }[]>([])
  const [similar, setSimilar] = useState<string[]>([])
  const form = useFieldErrors(labels, ['categoryId'])
  const care = useCare()

  useEffect(() => {
    call('listNeedCategories', { query: {} }).then(
      (r) => setCategories(r.items),
      () => {},
    )
  }, [])

  const category = categories.find((c) => c.id === categoryId)
  const addPhotos = async () => {
    const picked = await Taro.chooseImage({ count: 9 - photos.length, sizeType: ['compressed'] })
    for (const path of picked.tempFilePaths) {
      try {
        const id = await uploadPhoto(path)
        setPhotos((p) => [...p, { id, path }])
      } catch (error) {
        await Taro.showToast({ title: (error as Error).message, icon: 'none' })
      }
    }
  }

  // WeChat's map picker (weapp); on H5 the place is typed.
  const chooseLocation = async () => {
    try {
      const place = await Taro.chooseLocation({})
      setLocation([place.name, place.address].filter(Boolean).join(' ').slice(0, 100))
    } catch {
      // Cancelled or not authorised: the field stays as typed.
    }
  }

  const submit = async (ignoreDuplicates = false) => {
    const input = {
      categoryId,
      title: title.trim(),
      description: description.trim(),
      urgency,
      ...(location.trim() ? { location: location.trim() } : {}),
      ...(phone.trim() ? { contactPhone: phone.trim() } : {}),
      photoIds: photos.map((p) => p.id),
      ignoreDuplicates,
    }
    const parsed = CreateNeedInput.safeParse(input)
    if (!form.check(parsed) && !parsed.success)
      return Taro.showToast({ title: firstIssueMessage(parsed.error, labels, ['categoryId']), icon: 'none' })
    try {
      const need = await call('createNeed', { body: input }, { quiet: true })
      await subscribe(['need'])
      await Taro.showToast({ title: '已提交', icon: 'success' })
      await Taro.redirectTo({ url: `${NEED_PAGE}?id=${need.id}` })
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NEED_POSSIBLE_DUPLICATE')
        return setSimilar((error.problem.errors ?? []).map((e) => e.message))
      if (error instanceof ApiError && !form.fromServer(error))
        await Taro.showToast({ title: error.title, icon: 'none' })
    }
  }

  if (me && me.residencyStatus !== 'verified')
    return (
      <Page>
        <Result ok={false} title="完成居民认证后才能反映问题" text="认证后，您的反映会按住址派给所在网格处理">
          <ActionButton onTap={() => Taro.navigateTo({ url: RESIDENCY_PAGE })}>去认证</ActionButton>
        </Result>
      </Page>
    )

  return (
    <Page className="need-new">
      <View className="card">
        <View className="row">
          <Text className="card__title">遇到什么事？</Text>
          <Text className="link need-mine-link" onClick={() => Taro.navigateTo({ url: MY_NEEDS_PAGE })}>
            我的反映
          </Text>
        </View>
        <Text className="section-label">分类</Text>
        <Chips
          className="pick-category"
          options={categories.map((c) => ({ value: c.id, label: c.name }))}
          value={categoryId}
          onChange={setCategoryId}
        />
        {form.errors.categoryId && <Text className="error-text">{form.errors.categoryId}</Text>}
        {category && <Text className="muted">{category.description}</Text>}
        <Text className="section-label">紧急程度</Text>
        <Chips
          className="pick-urgency"
          options={urgencies}
          value={urgency}
          onChange={(v) => setUrgency(v as NeedUrgency)}
        />
        {category && (
          <Text className="muted">
            {`承诺${category.sla[urgency].acceptMinutes}分钟内受理，逾时自动上报上一级`}
          </Text>
        )}
      </View>
      <View className="card">
        <Field
          className="need-title"
          label="标题"
          hint="一句话说明，最多40个字"
          error={form.errors.title}
          value={title}
          onInput={(v) => {
            setTitle(v)
            form.clear('title')
          }}
          maxlength={40}
          placeholder="例如：3栋楼道灯坏了"
        />
        <TextField
          className="need-description"
          label="情况描述"
          // Voice: WeChat's own speech input is the WechatSI plugin, which needs the plugin added to
          // the mini-program's account (an appid); until then the phone keyboard's microphone (WeChat's
          // keyboard and the system ones all have it) is the way, and 关怀模式 says so.
          hint={
            care
              ? '最多1000个字。不方便打字？点输入框后，按键盘上的话筒直接说话'
              : '什么时候、在哪里、发生了什么，最多1000个字'
          }
          error={form.errors.description}
          value={description}
          maxlength={1000}
          placeholder="请描述情况"
          onInput={(v) => {
            setDescription(v)
            form.clear('description')
          }}
        />
        <Field
          className="need-location"
          label="位置补充"
          hint="选填，最多100个字"
          error={form.errors.location}
          value={location}
          onInput={setLocation}
          maxlength={100}
          placeholder="院落与楼栋按认证地址自动填写"
        />
        {process.env.TARO_ENV === 'weapp' && (
          <View className="link need-choose-location" onClick={chooseLocation}>
            在地图上选择位置
          </View>
        )}
        <Field
          className="need-phone"
          label="联系电话"
          hint="选填，11位手机号，仅处理人员可见"
          error={form.errors.contactPhone}
          value={phone}
          onInput={setPhone}
          type="number"
          maxlength={11}
          placeholder="请输入手机号"
        />
        <Text className="section-label">照片（最多9张）</Text>
        <View>
          {photos.map((p) => (
            <View
              key={p.id}
              className="need-photo need-photo--new"
              style={{ backgroundImage: `url(${p.path})`, backgroundSize: 'cover' }}
            />
          ))}
          {photos.length < 9 && (
            <View className="need-photo center need-add-photo" onClick={addPhotos}>
              ＋
            </View>
          )}
        </View>
      </View>
      {similar.length > 0 && (
        <View className="card similar">
          <Text className="card__title">同楼栋近7天已有同类反映</Text>
          {similar.map((s) => (
            <Text key={s} className="muted" style={{ display: 'block' }}>
              · {s}
            </Text>
          ))}
          <ActionButton kind="ghost" className="need-submit-anyway" onTap={() => submit(true)}>
            不是同一件事，仍然提交
          </ActionButton>
        </View>
      )}
      <ActionButton className="need-submit" onTap={() => submit(false)}>
        提交反映
      </ActionButton>
    </Page>
  )
}
