import { CreateNeedInput, type NeedCategory, type NeedUrgency, needUrgencyLabels } from '@linli/shared-types'
import { Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { ApiError, call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import { useMe } from '../../../session/use-me'
import { MY_NEEDS_PAGE, NEED_PAGE, uploadPhoto } from '../shared'
import '../needs.css'
import { ActionButton, Chips, Field, Page } from '../../../ui'

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
    if (!parsed.success)
      return Taro.showToast({ title: firstIssueMessage(parsed.error, labels, ['categoryId']), icon: 'none' })
    try {
      const need = await call('createNeed', { body: input }, { quiet: true })
      await Taro.showToast({ title: '已提交', icon: 'success' })
      await Taro.redirectTo({ url: `${NEED_PAGE}?id=${need.id}` })
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NEED_POSSIBLE_DUPLICATE')
        return setSimilar((error.problem.errors ?? []).map((e) => e.message))
      if (error instanceof ApiError) await Taro.showToast({ title: error.title, icon: 'none' })
    }
  }

  if (me && me.residencyStatus !== 'verified')
    return (
      <Page>
        <View className="card muted center">完成居民认证后才能反映问题</View>
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
          value={title}
          onInput={setTitle}
          maxlength={40}
          placeholder="一句话说明"
        />
        <Text className="section-label">情况描述</Text>
        <Textarea
          className="need-textarea need-description"
          value={description}
          maxlength={1000}
          placeholder="什么时候、在哪里、发生了什么"
          onInput={(e) => setDescription(e.detail.value)}
        />
        <Field
          className="need-location"
          label="位置补充"
          value={location}
          onInput={setLocation}
          maxlength={100}
          placeholder="院落与楼栋按认证地址自动填写"
        />
        <Field
          className="need-phone"
          label="联系电话"
          value={phone}
          onInput={setPhone}
          type="number"
          maxlength={11}
          placeholder="选填，仅处理人员可见"
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
