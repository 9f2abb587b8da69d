import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionFunction, LoaderFunction } from '@remix-run/node';
// The convention app/routes.ts uses (@remix-run/fs-routes calls this same function), without the Vite plugin around it.
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js';

const APP_DIRECTORY = fileURLToPath(new URL('../../../app', import.meta.url));

export interface DiscoveredRoute {
  /** Remix's route id, e.g. `routes/trainer.offerings.$id.copy`, or `root`. */
  id: string;
  /** The URL pattern with its parents' segments, e.g. `/trainer/offerings/:id/copy`. */
  pattern: string;
  loader: LoaderFunction | null;
  action: ActionFunction | null;
}

// Vite resolves these at build time; the glob covers every file flatRoutes may pick up.
const routeModules = import.meta.glob<{ loader?: LoaderFunction; action?: ActionFunction }>(['../../../app/routes/**/*.{ts,tsx}', '../../../app/root.tsx']);

/** Every route of the app as Remix builds its tree from app/routes, plus the root, with its loader and action. */
export async function discoverRoutes(): Promise<DiscoveredRoute[]> {
  const manifest = flatRoutes(APP_DIRECTORY, [], 'routes');
  const entries = [...Object.values(manifest), { id: 'root', file: 'root.tsx', path: '', parentId: undefined as string | undefined }];
  const patternOf = (id: string | undefined): string => {
    if (!id || id === 'root') return '';
    const route = manifest[id];
    if (!route) throw new Error(`Unknown parent route ${id}`);
    const parent = patternOf(route.parentId);
    return route.path ? `${parent}/${route.path}` : parent;
  };
  const routes: DiscoveredRoute[] = [];
  for (const entry of entries) {
    const key = `../../../app/${entry.file}`;
    const load = routeModules[key];
    if (!load) throw new Error(`Route file ${path.join('app', entry.file)} is not covered by the matrix's module glob`);
    const module = await load();
    routes.push({ id: entry.id, pattern: patternOf(entry.id) || '/', loader: module.loader ?? null, action: module.action ?? null });
  }
  return routes.sort((a, b) => a.id.localeCompare(b.id));
}

/** The pattern with its parameters filled in (each encoded); a missing parameter is a table error. */
export function fillPattern(pattern: string, params: Record<string, string>, routeId: string): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${routeId}: the matrix entry gives no value for :${name}`);
    return encodeURIComponent(value);
  });
}
