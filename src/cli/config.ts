import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ROLES, type ApiKey } from '../api/auth.js';
import { UsageError } from './cli-error.js';

/** `megamind.config.json` (or `.js`/`.mjs` exporting the same object as default). */
export const ConfigFileSchema = z.strictObject({
  database: z.string().min(1).optional(),
  schema: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  apiKeys: z
    .array(
      z.strictObject({
        key: z.string().min(16),
        role: z.enum(ROLES),
        name: z.string().min(1).optional(),
      }),
    )
    .optional(),
  rateLimit: z
    .strictObject({ limit: z.number().int().min(1), windowMs: z.number().int().min(1) })
    .optional(),
  demo: z.boolean().optional(),
});

/** A validated config file. */
export type ConfigFile = z.output<typeof ConfigFileSchema>;

const CANDIDATES = ['megamind.config.json', 'megamind.config.js', 'megamind.config.mjs'];

/** Reads and validates the config file named by `--config`, `MEGAMIND_CONFIG`, or found in the working directory. */
export async function loadConfigFile(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConfigFile> {
  const named = path ?? env.MEGAMIND_CONFIG;
  const file =
    named !== undefined
      ? resolve(named)
      : CANDIDATES.map((c) => resolve(c)).find((c) => existsSync(c));
  if (file === undefined) return {};
  if (!existsSync(file)) throw new UsageError(`config file ${named}: no such file`);
  let raw: unknown;
  if (file.endsWith('.json')) {
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`config file ${file}: not valid JSON (${(error as Error).message})`);
    }
  } else {
    raw = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `config file ${file}: ${issue?.path.join('.') || 'root'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * API keys from `MEGAMIND_API_KEYS`: comma-separated `role:key` entries, e.g.
 * `read:abc…,admin:def…`.
 */
export function keysFromEnv(value: string | undefined): ApiKey[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry, index) => {
    const at = entry.indexOf(':');
    const role = entry.slice(0, at).trim();
    const key = entry.slice(at + 1).trim();
    if (at < 0 || !(ROLES as readonly string[]).includes(role)) {
      throw new UsageError(
        `MEGAMIND_API_KEYS entry ${index + 1} must be role:key with role one of ${ROLES.join(', ')}`,
      );
    }
    if (key.length < 16)
      throw new UsageError(
        `MEGAMIND_API_KEYS entry ${index + 1}: the key must be at least 16 characters`,
      );
    return { key, role: role as ApiKey['role'], name: `${role}-${index + 1}` };
  });
}

/** A port from a flag or the environment: a whole number from 0 to 65535. */
export function parsePort(value: string, where: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535)
    throw new UsageError(`${where} must be a whole number from 0 to 65535, got "${value}"`);
  return port;
}
