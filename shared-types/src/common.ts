import { z } from 'zod'

export const Id = z.string().regex(/^[0-9a-f]{24}$/, '编号格式不正确')
export type Id = z.infer<typeof Id>

/**
 * A calendar date `YYYY-MM-DD` of the years 1900–2199, real days only (no 2026-02-30, no 0000-00-00;
 * 29 February in leap years). The one date schema of the API: every operation taking a date uses it,
 * and being a plain pattern it appears as is in the OpenAPI document.
 */
export const LocalDate = z
  .string()
  .regex(
    /^(?:(?:19|20|21)(?:0[48]|[2468][048]|[13579][26])-02-29|2000-02-29|(?:19|20|21)\d\d-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8])))$/,
    '请输入有效日期（YYYY-MM-DD）',
  )

/** ISO-8601 UTC instant, as every timestamp crosses the API. */
export const Instant = z.iso.datetime({ offset: false })

/**
 * A character that `String.prototype.trim` keeps: the whitespace it strips, spelled out as literal
 * characters (`\\S` means different things in JavaScript's and JSON Schema tools' regex dialects).
 */
const kept = `[^${'\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'}]`

/**
 * Free text, trimmed, of `min` to `max` characters after trimming. The lower bound is also a
 * `pattern` (two kept characters at least `min - 1` apart, or one for `min` 1), so the OpenAPI
 * document refuses text of blanks only exactly as the server does.
 */
export const text = (max: number, min = 1) => {
  const message = min === 1 ? '不能为空' : `至少${min}个字`
  const string =
    min === 1
      ? z.string().regex(new RegExp(kept), message)
      : min > 1
        ? z.string().regex(new RegExp(`${kept}[\\s\\S]{${min - 2},}${kept}`), message)
        : z.string()
  return string.trim().min(min, message).max(max, `不能超过${max}个字`)
}

export const Phone = z.string().regex(/^1[3-9]\d{9}$/, '请输入11位手机号')

export const IdParams = z.strictObject({ id: Id })

/**
 * A page cursor: the last row's key in milliseconds since 1970 and its id, `<ms>_<id>`. Opaque to
 * clients; any value of this pattern is one the server can read, so the pattern is the whole rule.
 */
export const Cursor = z.string().regex(/^\d{1,15}_[0-9a-f]{24}$/, 'cursor 无效')

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: Cursor.optional(),
})
export type PageQuery = z.infer<typeof PageQuery>

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() })

export const Empty = z.strictObject({})

/**
 * A boolean query flag: `true` or `false` exactly, so the OpenAPI document lists what the server
 * takes (an empty `?flag=` is refused, and says so).
 */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true')

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

/** 张三 → 张*, 欧阳小明 → 欧***; keeps the first character only. */
export function maskName(name: string): string {
  const chars = Array.from(name)
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`
}
