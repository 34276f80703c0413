import { ProposeTopicBody } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import '../deliberation.css'
import { ActionButton, Field, limitHint, Page, TextField, useFieldErrors } from '../../../ui'

export default function Propose() {
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const form = useFieldErrors()
  const submit = async () => {
    const topic = await form.submit(call('proposeTopic', { body: { title, description } }))
    if (!topic) return
    await Taro.showToast({ title: '已提交，等待社区审核', icon: 'none' })
    await Taro.redirectTo({ url: `/packages/deliberation/topic/index?id=${topic.id}` })
  }
  return (
    <Page>
      <View className="card">
        <Text className="card__title">民事民提</Text>
        <Text className="muted">说清楚是什么事、影响了谁、希望怎么办。社区会依据议事规则审核。</Text>
        <Field
          className="propose-title"
          label="议题"
          value={title}
          {...form.bind('title', setTitle)}
          maxlength={40}
          hint={limitHint(ProposeTopicBody.shape.title)}
          placeholder="如：12号院增设充电棚"
        />
        <TextField
          className="propose-description"
          label="详细说明"
          value={description}
          {...form.bind('description', setDescription)}
          maxlength={2000}
          hint={limitHint(ProposeTopicBody.shape.description)}
        />
      </View>
      <ActionButton className="propose-submit" onTap={submit}>
        提交议题
      </ActionButton>
    </Page>
  )
}
