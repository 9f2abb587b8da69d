import type { Config } from '../config/config.server';
import { issuerProfile, OB_CONTEXT, VC_CONTEXT } from './credential';

/** The issuer Profile as a JSON-LD document of its own (credentials embed the same fields without @context). */
export function issuerProfileDocument(config: Pick<Config, 'appUrl' | 'organisationName'>) {
  return { '@context': [VC_CONTEXT, OB_CONTEXT], ...issuerProfile(config.appUrl, config.organisationName) };
}
