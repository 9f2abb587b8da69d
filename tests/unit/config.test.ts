import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '~/modules/config/config.server';
import { makeTempDir } from '../support/context';

const SECRET = 'x'.repeat(32);
const dirs: string[] = [];
function tempDir() {
  const dir = makeTempDir('kollega-config-');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Only the given variables; loadConfig must cope with any of them missing, NODE_ENV included. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

function configError(vars: Record<string, string>): ConfigError {
  try {
    loadConfig(env(vars));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(vars)}`);
}

describe('loadConfig', () => {
  it('fills in defaults and uses the embedded database without DATABASE_URL', () => {
    const dataDir = tempDir();
    const config = loadConfig(env({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: SECRET }));
    expect(config).toEqual({
      env: 'test',
      isProduction: false,
      port: 3000,
      host: '0.0.0.0',
      appUrl: 'http://localhost:3000',
      database: { kind: 'embedded', dataDir: path.join(dataDir, 'pgdata') },
      dataDir,
      sessionSecret: SECRET,
      credentialKeySecret: SECRET,
      smtpUrl: null,
      mailFrom: 'Kollega <no-reply@kollega.local>',
      demoMode: true,
      trustProxy: false,
      workerConcurrency: 10,
      webConcurrency: 1,
      emailLeaseSeconds: 90,
      shutdownDelaySeconds: 0,
      organisationName: 'Kollega',
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig(env({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      APP_URL: 'https://kollega.example.org/',
      DATABASE_URL: 'postgresql://kollega:pw@db.internal:5432/kollega',
      DATABASE_POOL_SIZE: '20',
      DATA_DIR: tempDir(),
      SESSION_SECRET: SECRET,
      SMTP_URL: 'smtps://user:pw@mail.example.org:465',
      MAIL_FROM: 'Academy <academy@example.org>',
      DEMO_MODE: 'yes',
      TRUST_PROXY: '1',
      WORKER_CONCURRENCY: '8',
      WEB_CONCURRENCY: '4',
      EMAIL_LEASE_SECONDS: '30',
      SHUTDOWN_DELAY_SECONDS: '10',
      ORGANISATION_NAME: 'European Schoolnet Academy',
    }));
    expect(config).toMatchObject({
      env: 'production',
      isProduction: true,
      port: 8080,
      host: '127.0.0.1',
      appUrl: 'https://kollega.example.org',
      database: { kind: 'postgres', url: 'postgresql://kollega:pw@db.internal:5432/kollega', poolSize: 20 },
      smtpUrl: 'smtps://user:pw@mail.example.org:465',
      mailFrom: 'Academy <academy@example.org>',
      demoMode: true,
      trustProxy: true,
      workerConcurrency: 8,
      webConcurrency: 4,
      emailLeaseSeconds: 30,
      shutdownDelaySeconds: 10,
      organisationName: 'European Schoolnet Academy',
    });
  });

  it('treats blank values as unset and defaults APP_URL to the port', () => {
    const config = loadConfig(env({ PORT: '4000', DATABASE_URL: '  ', SMTP_URL: '', DATA_DIR: tempDir(), SESSION_SECRET: SECRET }));
    expect(config.env).toBe('development');
    expect(config.appUrl).toBe('http://localhost:4000');
    expect(config.database.kind).toBe('embedded');
    expect(config.smtpUrl).toBeNull();
    expect(loadConfig(env({ DATABASE_URL: 'postgres://x/y', DATA_DIR: tempDir(), SESSION_SECRET: SECRET })).demoMode).toBe(false);
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '0' }],
    ['PORT', { PORT: '-1' }],
    ['DATABASE_URL', { DATABASE_URL: 'not-a-url' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://' }],
    ['SMTP_URL', { SMTP_URL: 'http://x' }],
    ['SMTP_URL', { SMTP_URL: 'mail.example.org' }],
    ['APP_URL', { APP_URL: 'ftp://kollega.example.org' }],
    ['SESSION_SECRET', { SESSION_SECRET: 'too-short' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
    ['WORKER_CONCURRENCY', { WORKER_CONCURRENCY: '0' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '1.5' }],
    ['WEB_CONCURRENCY', { WEB_CONCURRENCY: '0', DATABASE_URL: 'postgres://db/kollega' }],
    ['WEB_CONCURRENCY', { WEB_CONCURRENCY: '65', DATABASE_URL: 'postgres://db/kollega' }],
    ['WEB_CONCURRENCY', { WEB_CONCURRENCY: 'two', DATABASE_URL: 'postgres://db/kollega' }],
    ['EMAIL_LEASE_SECONDS', { EMAIL_LEASE_SECONDS: '1' }],
    ['EMAIL_LEASE_SECONDS', { EMAIL_LEASE_SECONDS: '90s' }],
    ['SHUTDOWN_DELAY_SECONDS', { SHUTDOWN_DELAY_SECONDS: '121' }],
  ] as const)('rejects a bad %s (%j)', (variable, bad) => {
    const error = configError({ DATA_DIR: tempDir(), SESSION_SECRET: SECRET, ...bad });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
  });

  it('does not repeat secrets and URLs that may hold passwords in its message', () => {
    const url = configError({ DATA_DIR: tempDir(), DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    expect(url.message).not.toContain('hunter2');
    const secret = configError({ DATA_DIR: tempDir(), SESSION_SECRET: 'short-secret-hunter2' });
    expect(secret.message).not.toContain('hunter2');
    // Harmless values are shown, which helps find the typo.
    expect(configError({ DATA_DIR: tempDir(), PORT: 'abc' }).message).toContain('"abc"');
  });

  it('refuses several web processes on the embedded database, which only one process can open', () => {
    const error = configError({ DATA_DIR: tempDir(), SESSION_SECRET: SECRET, WEB_CONCURRENCY: '2' });
    expect(error.variable).toBe('WEB_CONCURRENCY');
    expect(error.message).toContain('DATABASE_URL');
    expect(loadConfig(env({ DATA_DIR: tempDir(), SESSION_SECRET: SECRET, WEB_CONCURRENCY: '1' })).webConcurrency).toBe(1);
    expect(loadConfig(env({ DATA_DIR: tempDir(), SESSION_SECRET: SECRET, WEB_CONCURRENCY: '64', DATABASE_URL: 'postgres://db/kollega' })).webConcurrency).toBe(64);
  });

  it('requires SESSION_SECRET in production with DATABASE_URL', () => {
    const dataDir = tempDir();
    const error = configError({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/kollega', DATA_DIR: dataDir });
    expect(error.variable).toBe('SESSION_SECRET');
    expect(existsSync(path.join(dataDir, 'session-secret'))).toBe(false);
  });

  it('generates a session secret in DATA_DIR on first start and reuses it afterwards', () => {
    const dataDir = tempDir();
    const first = loadConfig(env({ NODE_ENV: 'production', DATA_DIR: dataDir }));
    const file = path.join(dataDir, 'session-secret');
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(loadConfig(env({ NODE_ENV: 'production', DATA_DIR: dataDir })).sessionSecret).toBe(first.sessionSecret);
    expect(loadConfig(env({ NODE_ENV: 'production', DATA_DIR: tempDir() })).sessionSecret).not.toBe(first.sessionSecret);
  });

  it('never signs cookies with a kept secret that is empty or too short', () => {
    for (const kept of ['', '\n', 'short']) {
      const dataDir = tempDir();
      writeFileSync(path.join(dataDir, 'session-secret'), kept);
      let secret: string | undefined;
      try {
        secret = loadConfig(env({ DATA_DIR: dataDir })).sessionSecret;
      } catch (error) {
        // Refusing to start, naming the setting, is as good as making a new secret.
        expect(error).toBeInstanceOf(ConfigError);
        continue;
      }
      expect(secret.length, `kept secret ${JSON.stringify(kept)}`).toBeGreaterThanOrEqual(32);
    }
  });

  it('prefers SESSION_SECRET over a kept one', () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'session-secret'), 'k'.repeat(43) + '\n');
    expect(loadConfig(env({ DATA_DIR: dataDir })).sessionSecret).toBe('k'.repeat(43));
    expect(loadConfig(env({ DATA_DIR: dataDir, SESSION_SECRET: SECRET })).sessionSecret).toBe(SECRET);
  });
});
