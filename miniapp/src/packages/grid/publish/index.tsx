import { PublishNoticeInput } from '@linli/shared-types'
import { Switch, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import { useMe } from '../../../session/use-me'
import { confirm, GRID_PAGES } from '../shared'
import '../grid.css'
import {
  ActionButton,
  Chips,
  type Choice,
  Field,
  limitHint,
  Page,
  TextField,
  useFieldErrors,
} from '../../../ui'

const labels = { audienceId: '发送范围', title: '标题', body: '正文' }

/** Publish a notice to a community, grid, courtyard or building the publisher works for. */
export default function PublishNoticePage() {
  const { me } = useMe()
  const [audiences, setAudiences] = useState<Choice[]>([])
  const [audienceId, setAudienceId] = useState('')
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [requireConfirm, setRequireConfirm] = useState(true)
  const [error, setError] = useState('')
  const form = useFieldErrors(labels, ['audienceId'])

  useEffect(() => {
    if (!me) return
    const scopes = new Set(me.roles.map((m) => m.scopeId))
    call('listCommunities', { query: {} }).then(
      async (r) => {
        const found: Choice[] = []
        for (const c of r.items) {
          const staff = scopes.has(c.id) || scopes.has(c.streetId)
          const tree = await call('getCommunity', { params: { id: c.id } })
          if (staff) found.push({ value: c.id, label: `${c.name}（全社区）` })
          for (const g of tree.grids) {
            if (staff || scopes.has(g.id)) found.push({ value: g.id, label: `${c.name}${g.name}` })
            for (const cy of g.courtyards)
              if (staff || scopes.has(g.id) || scopes.has(cy.id)) {
                found.push({ value: cy.id, label: cy.name })
                for (const b of cy.buildings) found.push({ value: b.id, label: `${cy.name}${b.name}` })
              }
          }
        }
        setAudiences(found)
      },
      () => {},
    )
  }, [me])

  const publish = async () => {
    const parsed = PublishNoticeInput.safeParse({ audienceId, title, body, requireConfirm })
    form.check(parsed)
    if (!parsed.success) return setError(firstIssueMessage(parsed.error, labels, ['audienceId']))
    setError('')
    if (!(await confirm('确认发布', '发布后范围内的居民会立即收到，不能撤回'))) return
    const notice = await form.submit(call('publishNotice', { body: parsed.data }))
    if (!notice) return
    await Taro.redirectTo({ url: `${GRID_PAGES.notice}?id=${notice.id}` })
  }

  return (
    <Page className="publish-notice">
      <View className="card">
        <Text className="section-label">发送范围</Text>
        <Chips className="publish-audience" options={audiences} value={audienceId} onChange={setAudienceId} />
        <Field
          className="publish-title"
          label="标题"
          value={title}
          {...form.bind('title', setTitle)}
          maxlength={40}
          hint={limitHint(PublishNoticeInput.shape.title)}
        />
        <TextField
          className="publish-body"
          label="正文"
          value={body}
          maxlength={2000}
          hint={limitHint(PublishNoticeInput.shape.body)}
          {...form.bind('body', setBody)}
        />
        <View className="row">
          <Text>需要居民确认“收到”</Text>
          <Switch checked={requireConfirm} onChange={(e) => setRequireConfirm(e.detail.value)} />
        </View>
        {error && <Text className="error-text">{error}</Text>}
      </View>
      <ActionButton className="publish-submit" onTap={publish}>
        发布
      </ActionButton>
    </Page>
  )
}
