/** Values vitest.config.ts and the global setup hand to every test file (read with `inject`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Which driver the integration tests of this project run on. */
    databaseKind: 'postgres' | 'embedded';
    /** The migrated template database (postgres project only). */
    templateDatabase: string;
  }
}

export {};
