import { useCallback, useState } from 'react'

/** An issue as zod reports it and as the server's problem+json `errors[]` carries it. */
export interface Issue {
  path: readonly PropertyKey[]
  message: string
}

export type FieldErrors = Record<string, string>

/**
 * Issues by field: the first message of each top-level field (the server's paths may start with
 * 'body' or 'query'), and of each nested one by its dotted path ('rules.2.points'). Fields chosen from a list
 * (`picked`) read 请选择… instead of a format message.
 */
export function issuesByField(
  issues: readonly Issue[],
  labels: Record<string, string> = {},
  picked: readonly string[] = [],
): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of issues) {
    const part = issue.path[0]
    const path = part === 'body' || part === 'query' ? issue.path.slice(1) : issue.path
    const field = String(path[0] ?? '')
    const nested = path.map(String).join('.')
    if (path.length > 1 && !out[nested]) out[nested] = issue.message
    if (out[field]) continue
    const label = labels[field]
    out[field] = label && picked.includes(field) ? `请选择${label}` : issue.message
  }
  return out
}

/** The server's field issues of a failed call, or none (then the client has toasted the title). */
export function problemIssues(error: unknown): readonly Issue[] {
  const problem = (error as { problem?: { errors?: Issue[] } })?.problem
  return problem?.errors ?? []
}

/**
 * Field-level errors for a form: `check` runs a zod safeParse result, `fromServer` a failed call;
 * each returns whether there were field errors; `clear(field)` as the resident edits it.
 */
export function useFieldErrors(labels: Record<string, string> = {}, picked: readonly string[] = []) {
  const [errors, setErrors] = useState<FieldErrors>({})
  const check = useCallback(
    (result: { success: true } | { success: false; error: { issues: readonly Issue[] } }) => {
      const next = result.success ? {} : issuesByField(result.error.issues, labels, picked)
      setErrors(next)
      return result.success
    },
    [labels, picked],
  )
  const fromServer = useCallback(
    (error: unknown) => {
      const next = issuesByField(problemIssues(error), labels, picked)
      setErrors(next)
      return Object.keys(next).length > 0
    },
    [labels, picked],
  )
  const clear = useCallback((field: string) => {
    setErrors((prev) => {
      if (!prev[field]) return prev
      const { [field]: _gone, ...rest } = prev
      return rest
    })
  }, [])
  /** A Field's `error` and `onInput` (which clears the message as the resident edits). */
  const bind = (field: string, onInput: (value: string) => void) => ({
    error: errors[field],
    onInput: (value: string) => {
      onInput(value)
      clear(field)
    },
  })
  /** A create/update call's result, or undefined when it failed (its field messages then shown). */
  const submit = async <T>(pending: Promise<T>): Promise<T | undefined> => {
    try {
      return await pending
    } catch (error) {
      fromServer(error) // the client has toasted the first message or the title
      return undefined
    }
  }
  return { errors, check, fromServer, clear, setErrors, bind, submit }
}

/** What a zod string or number schema exposes of its limits (read without importing zod). */
interface Limits {
  minLength?: number | null
  maxLength?: number | null
  minValue?: number | null
  maxValue?: number | null
  _zod?: { def?: { innerType?: Limits } }
}

/**
 * A field's limits from the shared schema, stated before typing: 「最多40个字」「2–20个字」
 * 「1–1000人」; `extra` follows, e.g. 「，可不填」.
 */
export function limitHint(schema: unknown, unit = '', extra = ''): string {
  let s = schema as Limits
  while (s?._zod?.def?.innerType) s = s._zod.def.innerType
  const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n)
  let text = ''
  if (finite(s?.maxLength))
    text = (s.minLength ?? 0) > 1 ? `${s.minLength}–${s.maxLength}个字` : `最多${s.maxLength}个字`
  else if (finite(s?.maxValue))
    text = finite(s.minValue) ? `${s.minValue}–${s.maxValue}${unit}` : `最多${s.maxValue}${unit}`
  else if (finite(s?.minValue)) text = `至少${s.minValue}${unit}`
  return text + extra
}
