import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm start`: production mode; builds first when there is no build or the
 * sources are newer than it, then runs web and worker in one process.
 */
process.env.NODE_ENV ??= 'production';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const serverBuild = path.resolve('build/server/index.js');
const stale =
  !existsSync(serverBuild) ||
  statSync(serverBuild).mtimeMs < Math.max(newestMtime(path.resolve('app')), statSync(path.resolve('package-lock.json')).mtimeMs);
if (stale) {
  console.log('Building the web app (first start or changed sources)…');
  execFileSync(process.execPath, [path.resolve('node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

await import('./main');
