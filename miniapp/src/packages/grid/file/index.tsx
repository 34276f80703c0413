import {
  type ConsentMethod,
  CreateNeedInput,
  CreateNeedOnBehalfInput,
  consentMethodLabels,
  type NeedSource,
  needSourceLabels,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import { useMe } from '../../../session/use-me'
import { GRID_PAGES } from '../shared'
import '../grid.css'
import {
  ActionButton,
  Chips,
  type Choice,
  Field,
  limitHint,
  Page,
  Skeleton,
  TextField,
  useFieldErrors,
} from '../../../ui'

const sources = Object.entries(needSourceLabels).map(([value, label]) => ({ value, label }))
const consents = Object.entries(consentMethodLabels).map(([value, label]) => ({ value, label }))
const picked = ['residentId', 'courtyardId', 'categoryId']
const labels = {
  title: '标题',
  description: '情况描述',
  residentId: '居民',
  consent: '同意方式',
  courtyardId: '院落',
  categoryId: '分类',
}

/** A grid worker files what they found for a resident (with the consent given) or as a public matter. */
export default function FileOnBehalfPage() {
  const { me } = useMe()
  const [source, setSource] = useState<NeedSource>('patrol')
  const [forWhom, setForWhom] = useState<'resident' | 'public'>('resident')
  const [residents, setResidents] = useState<Choice[] | null>(null)
  const [courtyards, setCourtyards] = useState<Choice[]>([])
  const [categories, setCategories] = useState<Choice[]>([])
  const [residentId, setResidentId] = useState('')
  const [courtyardId, setCourtyardId] = useState('')
  const [consent, setConsent] = useState<ConsentMethod>('inPerson')
  const [categoryId, setCategoryId] = useState('')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [error, setError] = useState('')
  const form = useFieldErrors(labels, picked)

  useEffect(() => {
    call('listResidentsInReach', { query: {} }).then(
      (r) => setResidents(r.items.map((p) => ({ value: p.id, label: `${p.name} ${p.household}` }))),
      () => setResidents([]),
    )
    call('listNeedCategories', { query: {} }).then(
      (r) => {
        setCategories(r.items.map((c) => ({ value: c.id, label: c.name })))
        setCategoryId(r.items[0]?.id ?? '')
      },
      () => {},
    )
  }, [])
  useEffect(() => {
    if (!me) return
    const scopes = new Set(me.roles.map((m) => m.scopeId))
    call('listCommunities', { query: {} }).then(
      async (r) => {
        const found: Choice[] = []
        for (const c of r.items) {
          const staff = scopes.has(c.id)
          const tree = await call('getCommunity', { params: { id: c.id } })
          for (const g of tree.grids)
            for (const cy of g.courtyards)
              if (staff || scopes.has(g.id) || scopes.has(cy.id)) found.push({ value: cy.id, label: cy.name })
        }
        setCourtyards(found)
      },
      () => {},
    )
  }, [me])

  if (!residents) return <Page>{<Skeleton />}</Page>

  const submit = async () => {
    const parsed = CreateNeedOnBehalfInput.safeParse({
      categoryId,
      title,
      description,
      source,
      ...(forWhom === 'resident'
        ? { residentId: residentId || undefined, consent: { method: consent } }
        : {}),
      ...(forWhom === 'public' ? { courtyardId: courtyardId || undefined } : {}),
    })
    form.check(parsed)
    if (!parsed.success) return setError(firstIssueMessage(parsed.error, labels, picked))
    setError('')
    const need = await form.submit(call('createNeedOnBehalf', { body: parsed.data }))
    if (!need) return
    await Taro.showToast({ title: '已提交', icon: 'success' })
    await Taro.redirectTo({ url: `${GRID_PAGES.need}?id=${need.id}` })
  }

  return (
    <Page className="file-on-behalf">
      <View className="card">
        <Text className="section-label">怎么发现的</Text>
        <Chips
          className="file-source"
          options={sources}
          value={source}
          onChange={(v) => setSource(v as NeedSource)}
        />
        <Text className="section-label">为谁反映</Text>
        <Chips
          className="file-for"
          options={[
            { value: 'resident', label: '代居民反映' },
            { value: 'public', label: '院落公共事项' },
          ]}
          value={forWhom}
          onChange={(v) => setForWhom(v as 'resident' | 'public')}
        />
        {forWhom === 'resident' ? (
          <>
            <Text className="section-label">居民</Text>
            {residents.length ? (
              <Chips
                className="file-resident"
                options={residents}
                value={residentId}
                onChange={setResidentId}
              />
            ) : (
              <Text className="muted">您负责的范围内还没有已认证居民</Text>
            )}
            <Text className="section-label">居民如何同意代为反映</Text>
            <Chips
              className="file-consent"
              options={consents}
              value={consent}
              onChange={(v) => setConsent(v as ConsentMethod)}
            />
          </>
        ) : (
          <>
            <Text className="section-label">院落</Text>
            <Chips
              className="file-courtyard"
              options={courtyards}
              value={courtyardId}
              onChange={setCourtyardId}
            />
          </>
        )}
        <Text className="section-label">分类</Text>
        <Chips className="file-category" options={categories} value={categoryId} onChange={setCategoryId} />
        <Field
          className="file-title"
          label="标题"
          value={title}
          {...form.bind('title', setTitle)}
          maxlength={40}
          hint={limitHint(CreateNeedInput.shape.title)}
          placeholder="一句话说明"
        />
        <TextField
          className="file-description"
          label="情况描述"
          value={description}
          maxlength={1000}
          placeholder="看到了什么、在哪里、居民怎么说"
          hint={limitHint(CreateNeedInput.shape.description)}
          {...form.bind('description', setDescription)}
        />
        {error && <Text className="error-text file-error">{error}</Text>}
      </View>
      <ActionButton className="file-submit" onTap={submit}>
        提交反映
      </ActionButton>
    </Page>
  )
}
