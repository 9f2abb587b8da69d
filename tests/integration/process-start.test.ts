import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/context';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dataDir = makeTempDir('kollega-start-');

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `tsx server/main.ts` with only the given environment and waits for it to end. */
function startServer(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['server/main.ts'], {
      cwd: root,
      // Nothing inherited: the developer's own DATABASE_URL or PORT must not mask the bad value.
      env: { NODE_ENV: 'development', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dataDir, DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server/main.ts still running after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

function configErrorLine(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => line.startsWith('Configuration error:'));
}

describe('process start-up with a bad configuration', () => {
  it.concurrent.each([
    { variable: 'PORT', env: { PORT: 'abc' } },
    { variable: 'DATABASE_URL', env: { DATABASE_URL: 'nonsense' } },
    { variable: 'DATABASE_URL', env: { DATABASE_URL: 'postgres://root@127.0.0.1:1/x' } },
  ] as { variable: string; env: Record<string, string> }[])('exits with code 1 and names $variable for $env', async ({ variable, env }) => {
    const result = await startServer({ SESSION_SECRET: 'a-session-secret-of-at-least-32-characters', ...env });
    expect(result.code, result.stderr).toBe(1);
    const line = configErrorLine(result.stderr);
    expect(line, result.stderr).toBeDefined();
    expect(line).toContain(variable);
    // The line names the variable, never a value that might hold a password.
    if (variable === 'DATABASE_URL') expect(line).not.toContain('nonsense');
    expect(result.stdout).not.toContain('listening');
  });
});
