import { bodyRequired, IDEMPOTENCY_KEY_PATTERN, type OperationDef, operations } from '@linli/shared-types'
import { z } from 'zod'

type Json = Record<string, unknown>

const schema = (s: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json
  return rest
}

/** What the server refuses in every string of a request (see `refuseDeepJson`). */
const noNul = { pattern: '\\u0000' }

/** Declares every free string of a request schema free of NUL characters, as the server enforces. */
function withoutNul(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNul)
  if (typeof node !== 'object' || node === null) return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node))
    out[key] = key === 'const' || key === 'enum' ? value : withoutNul(value)
  const free =
    out.type === 'string' &&
    !('enum' in out) &&
    !('const' in out) &&
    !('pattern' in out && /^\^\[/.test(String(out.pattern)))
  return free ? { ...out, not: noNul } : out
}

function parameters(s: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!s) return []
  const json = schema(s, 'input') as { properties?: Record<string, Json>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: withoutNul(prop),
  }))
}

const problem = {
  description: '错误（application/problem+json，code 为稳定错误码）',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
}

function operation(id: string, def: OperationDef): Json {
  const status = String(def.status ?? 200)
  return {
    operationId: id,
    summary: def.summary,
    tags: [def.tag],
    ...(def.access === 'public' ? { security: [] } : {}),
    ...(Array.isArray(def.access) ? { 'x-roles': def.access } : {}),
    parameters: [
      ...parameters(def.params, 'path'),
      ...parameters(def.query, 'query'),
      ...(def.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
            },
          ]
        : []),
    ],
    ...(def.body
      ? {
          requestBody: {
            required: bodyRequired(def),
            content: { 'application/json': { schema: withoutNul(schema(def.body, 'input')) } },
          },
        }
      : {}),
    ...(def.upload
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              def.upload.map((type) => [
                type,
                {
                  schema:
                    type === 'multipart/form-data'
                      ? {
                          type: 'object',
                          required: ['file'],
                          properties: { file: { type: 'string', contentMediaType: 'image/*' } },
                        }
                      : { type: 'string', contentMediaType: type },
                },
              ]),
            ),
          },
        }
      : {}),
    responses: {
      [status]: def.response
        ? { description: '成功', content: { 'application/json': { schema: schema(def.response, 'output') } } }
        : { description: '成功，无内容' },
      default: problem,
    },
  }
}

/** OpenAPI 3.1 for every operation, generated from the same zod schemas that validate requests. */
export function buildOpenApi(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {}
  for (const [id, def] of Object.entries(operations) as [string, OperationDef][]) {
    const path = def.path.replace(/:([A-Za-z]+)/g, '{$1}')
    paths[path] = { ...paths[path], [def.method]: operation(id, def) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '邻里 Linli API',
      version,
      description: '社区空间预约、急难愁盼、爱邻议事日与双积分的后端接口',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            errors: { type: 'array', items: { type: 'object' } },
            traceId: { type: 'string' },
          },
        },
      },
    },
  }
}

const html = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** A self-contained docs page (no CDN: it must work offline), one section per tag. */
export function renderDocs(spec: Json): string {
  const paths = spec.paths as Record<string, Record<string, Json>>
  const rows = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  )
  const tags = [...new Set(rows.map((r) => (r.op.tags as string[])[0]))]
  const section = (tag: string | undefined) =>
    `<h2>${html(tag ?? '')}</h2>${rows
      .filter((r) => (r.op.tags as string[])[0] === tag)
      .map(
        ({
          path,
          method,
          op,
        }) => `<details><summary><b class="m ${method}">${method.toUpperCase()}</b> <code>${html(
          path,
        )}</code> <i>${html(String(op.operationId))}</i> — ${html(String(op.summary))}</summary>
<pre>${html(JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses, roles: op['x-roles'] }, null, 2))}</pre></details>`,
      )
      .join('\n')}`
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>邻里 Linli API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}summary{cursor:pointer;padding:4px 0}
pre{background:#f6f8fa;padding:8px;overflow:auto}.m{display:inline-block;width:4em}.get{color:#0a7}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c22}</style>
</head><body><h1>邻里 Linli API</h1><p>机器可读版本：<a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1）。错误均为 application/problem+json。</p>
${tags.map(section).join('\n')}</body></html>`
}
