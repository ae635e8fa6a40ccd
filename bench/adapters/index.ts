import type { SystemAdapter, SystemName } from './adapter.js';

/** Loads one system's adapter; each is imported only when asked for, so a missing peer fails alone. */
export async function loadAdapter(name: SystemName): Promise<SystemAdapter> {
  switch (name) {
    case 'bullmq':
      return (await import('./bullmq.js')).bullmqAdapter;
    case 'pgboss':
      return (await import('./pgboss.js')).pgbossAdapter;
    case 'graphile':
      return (await import('./graphile.js')).graphileAdapter;
    case 'megamind-pg':
      return (await import('./megamind.js')).megamindPgAdapter;
    case 'megamind-sqlite':
      return (await import('./megamind.js')).megamindSqliteAdapter;
  }
}
