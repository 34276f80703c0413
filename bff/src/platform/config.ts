import { z } from 'zod'

const devSecret = 'linli-dev-secret-not-for-production-use'
const devBallotSecret = 'linli-dev-ballot-secret-not-for-production-use'

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    MONGODB_URI: z.string().optional(),
    JWT_SECRET: z.string().default(devSecret),
    /** Keys the pseudonyms ballots are stored under; never rotate it while a vote is open. */
    BALLOT_SECRET: z.string().default(devBallotSecret),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
    WECHAT_APPID: z.string().default('wx-dev-appid'),
    WECHAT_SECRET: z.string().default('wx-dev-secret'),
    WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
    /** Folder with the H5 build the BFF serves at `/`; empty to serve none. */
    H5_DIR: z.string().default(''),
    /** Origins allowed by CORS (the H5 dev server), comma separated. */
    CORS_ORIGINS: z.string().default('http://localhost:10086,http://127.0.0.1:10086'),
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Set when behind a reverse proxy so client IPs come from X-Forwarded-For. */
    TRUST_PROXY: z.stringbool().default(false),
    /** Booking: this many no-shows within the window suspend booking for BOOKING_SUSPEND_DAYS. */
    BOOKING_NOSHOW_LIMIT: z.coerce.number().int().positive().default(3),
    BOOKING_NOSHOW_WINDOW_DAYS: z.coerce.number().int().positive().default(30),
    BOOKING_SUSPEND_DAYS: z.coerce.number().int().positive().default(14),
    /** Minutes before start when the booking reminder is sent. */
    BOOKING_REMINDER_MINUTES: z.coerce.number().int().positive().default(60),
    /** API keys of city platforms allowed to create Open311 requests, comma separated; empty: none. */
    OPEN311_API_KEYS: z.string().default(''),
    /** Runs every sweeper this often instead of its own interval (tests and demos); unset: their own. */
    SWEEPER_EVERY_MS: z.coerce.number().int().positive().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return
    const missing = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (!env.MONGODB_URI) missing('MONGODB_URI', 'is required in production')
    if (env.JWT_SECRET === devSecret || env.JWT_SECRET.length < 32)
      missing('JWT_SECRET', 'must be a random secret of at least 32 characters in production')
    if (env.BALLOT_SECRET === devBallotSecret || env.BALLOT_SECRET.length < 32)
      missing('BALLOT_SECRET', 'must be a random secret of at least 32 characters in production')
    if (env.WECHAT_APPID === 'wx-dev-appid') missing('WECHAT_APPID', 'is required in production')
    if (env.WECHAT_SECRET === 'wx-dev-secret') missing('WECHAT_SECRET', 'is required in production')
  })

export type Config = z.infer<typeof Env>

/** Parses configuration from the environment; throws a readable list of what is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = Env.safeParse(env)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  return result.data
}
