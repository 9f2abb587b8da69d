import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting the platform reads from the environment, validated once at
 * start. A wrong value stops the process with one line naming the variable.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { error: `must be a URL like ${example}` },
  );

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  PORT: wholeNumber(1, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  APP_URL: urlWithProtocols(['http:', 'https:'], 'https://kollega.example.org').optional(),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/kollega').optional(),
  DATABASE_POOL_SIZE: wholeNumber(1, 500).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  SESSION_SECRET: z.string().min(32, { error: 'must be at least 32 characters long' }).optional(),
  CREDENTIAL_KEY_SECRET: z.string().min(32, { error: 'must be at least 32 characters long' }).optional(),
  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:password@mail.example.org:587').optional(),
  MAIL_FROM: z.string().min(3).default('Kollega <no-reply@kollega.local>'),
  DEMO_MODE: booleanFlag.optional(),
  TRUST_PROXY: booleanFlag.default(false),
  // The email delivery batch per fetch: 10 delivered twice what 4 did (bench:email, docs/benchmarks.md), over the same 3 SMTP connections.
  WORKER_CONCURRENCY: wholeNumber(1, 100).default(10),
  WEB_CONCURRENCY: wholeNumber(1, 64).default(1),
  EMAIL_LEASE_SECONDS: wholeNumber(5, 3600).default(90),
  SHUTDOWN_DELAY_SECONDS: wholeNumber(0, 120).default(0),
  ORGANISATION_NAME: z.string().min(1).default('Kollega'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  appUrl: string;
  database: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'embedded'; dataDir: string };
  dataDir: string;
  sessionSecret: string;
  /**
   * Encrypts the Open Badges signing key in the database (docs/decisions/0011-open-badges.md):
   * CREDENTIAL_KEY_SECRET, else the session secret, so a new install needs no extra set-up.
   */
  credentialKeySecret: string;
  smtpUrl: string | null;
  mailFrom: string;
  demoMode: boolean;
  trustProxy: boolean;
  workerConcurrency: number;
  /** Web processes `npm start` runs (node:cluster); 1 serves from the one process, without a cluster primary. */
  webConcurrency: number;
  /**
   * How long a worker may hold an email it is sending before another worker may take it over
   * (docs/decisions/0002-email-outbox.md); the outbox sweep runs at least this often.
   */
  emailLeaseSeconds: number;
  /**
   * After SIGTERM, how long a web process keeps taking requests while /healthz answers 503, so that a
   * balancer with active health checks stops sending before the port closes (docs/deploy.md).
   */
  shutdownDelaySeconds: number;
  organisationName: string;
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
  }
}

/** Blank values count as unset, the way most process managers write them. */
function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

/**
 * Reads and validates the configuration. In embedded mode a session secret is
 * generated on first start and kept in the data folder, so sessions survive
 * restarts without any set-up.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(cleanEnv(rawEnv));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = rawEnv[variable];
    const shown = variable === 'SESSION_SECRET' || variable === 'CREDENTIAL_KEY_SECRET' || variable === 'DATABASE_URL' || variable === 'SMTP_URL' ? '' : ` (got "${got}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR);
  const database: Config['database'] = env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
    : { kind: 'embedded', dataDir: path.join(dataDir, 'pgdata') };
  // PGlite is one process's database: web workers forked by the cluster could not open it (docs/decisions/0013-scale-out.md).
  if (database.kind === 'embedded' && env.WEB_CONCURRENCY > 1) {
    throw new ConfigError('WEB_CONCURRENCY', `must be 1 with the embedded database (got "${env.WEB_CONCURRENCY}"); set DATABASE_URL to run several web processes`);
  }

  let sessionSecret = env.SESSION_SECRET;
  if (!sessionSecret) {
    if (database.kind === 'postgres' && isProduction) {
      throw new ConfigError('SESSION_SECRET', 'is required in production when DATABASE_URL is set (at least 32 characters)');
    }
    sessionSecret = readOrCreateSecret(dataDir, 'session-secret');
  }

  return {
    env: env.NODE_ENV,
    isProduction,
    port: env.PORT,
    host: env.HOST,
    appUrl: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    database,
    dataDir,
    sessionSecret,
    credentialKeySecret: env.CREDENTIAL_KEY_SECRET ?? sessionSecret,
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.MAIL_FROM,
    demoMode: env.DEMO_MODE ?? database.kind === 'embedded',
    trustProxy: env.TRUST_PROXY,
    workerConcurrency: env.WORKER_CONCURRENCY,
    webConcurrency: env.WEB_CONCURRENCY,
    emailLeaseSeconds: env.EMAIL_LEASE_SECONDS,
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS,
    organisationName: env.ORGANISATION_NAME,
  };
}

function readOrCreateSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    // A truncated or emptied file must not leave cookies signed with a weak key: make a new one.
    if (kept.length >= 32) return kept;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
