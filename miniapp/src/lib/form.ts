/** What zod's safeParse reports, reduced to what the forms read. */
interface Issues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[]
}

/**
 * The first issue as one line for a toast: '手机号：请输入11位手机号'. Fields chosen from a list
 * (ids) read '请选择院落' instead of the schema's format message.
 */
export function firstIssueMessage(
  error: Issues,
  labels: Record<string, string>,
  picked: readonly string[] = [],
) {
  const issue = error.issues[0]
  if (!issue) return '请检查填写的内容'
  const field = String(issue.path[0] ?? '')
  const label = labels[field]
  if (!label) return issue.message
  return picked.includes(field) ? `请选择${label}` : `${label}：${issue.message}`
}
