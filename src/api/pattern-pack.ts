import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { invalidArgument } from '../core/errors.js';
import type { Pattern } from '../core/types.js';
import { isActionId } from '../knowledge/actions.js';
import { isCategory } from '../knowledge/categories.js';
import {
  EMAIL_RE,
  HOST_PORT_RE,
  HOST_RE,
  IP_RE,
  URL_RE,
  UUID_RE,
} from '../patterns/mask-expressions.js';
import { redact } from '../patterns/redact.js';
import type { PackImportResult, PackPattern, Store } from '../store/store.js';
import type { PatternPackSchema } from './contracts.js';

/** A pattern pack: what one installation learned, shareable with another. */
export type PatternPack = z.output<typeof PatternPackSchema>;

/** Patterns read per page while exporting. */
const PAGE = 500;

/**
 * Text as it may leave the installation: secrets redacted, then every URL, address, host, e-mail
 * and uuid (job ids, hosts) replaced by a placeholder, as the masker writes them.
 */
export function scrubForPack(text: string): string {
  return redact(text)
    .replace(URL_RE, '<url>')
    .replace(EMAIL_RE, '<email>')
    .replace(UUID_RE, '<uuid>')
    .replace(HOST_PORT_RE, '<host>')
    .replace(IP_RE, '<ip>')
    .replace(HOST_RE, '<host>');
}

const scrubOrNull = (text: string | null) => (text === null ? null : scrubForPack(text));

/** The id of a pack: a hash of its patterns, so the same learnings imported twice count once. */
export function packId(patterns: readonly PackPattern[]): string {
  return createHash('sha256').update(JSON.stringify(patterns)).digest('hex');
}

/**
 * Exports the live, enabled patterns of a store, calling `onProgress` with the number of patterns
 * read so far: signatures, templates, categories, root causes,
 * remedies, prevention, counts, confidence and the improvement log's per-remedy outcomes. Never
 * examples, occurrences, payloads, job ids, facts other than the error's name and code, nor
 * anything redaction or the masker would catch.
 */
export async function exportPatternPack(
  store: Store,
  now: number,
  onProgress?: (done: number) => void,
): Promise<PatternPack> {
  const disabled = await store.disabledPatternIds();
  const patterns: PackPattern[] = [];
  let read = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listPatterns({ orderBy: 'occurrences', limit: PAGE, offset });
    for (const pattern of page) {
      if (!disabled.has(pattern.id)) patterns.push(await toPackPattern(store, pattern));
      onProgress?.(++read);
    }
    if (page.length < PAGE) break;
  }
  patterns.sort((a, b) => a.signature.localeCompare(b.signature));
  return {
    format: 'megamind-pattern-pack',
    version: 1,
    id: packId(patterns),
    createdAt: now,
    patterns,
  };
}

async function toPackPattern(store: Store, pattern: Pattern): Promise<PackPattern> {
  const facts: PackPattern['facts'] = {};
  if (typeof pattern.facts.name === 'string') facts.name = scrubForPack(pattern.facts.name);
  if (typeof pattern.facts.code === 'string') facts.code = scrubForPack(pattern.facts.code);
  const statistics = await store.remedyStatistics(pattern.id);
  return {
    signature: pattern.patternKey,
    template: scrubForPack(pattern.template),
    category: pattern.category,
    transient: pattern.transient,
    rootCause: scrubOrNull(pattern.rootCause),
    remedies: pattern.remedies.filter(isActionId),
    prevention: scrubOrNull(pattern.prevention),
    facts,
    source: pattern.source,
    occurrences: pattern.occurrenceCount,
    successes: pattern.successCount,
    failures: pattern.failureCount,
    confidence: pattern.confidence,
    remedyStatistics: statistics
      .filter((s) => isActionId(s.action) && s.successes + s.failures > 0)
      .map((s) => ({ action: s.action, successes: s.successes, failures: s.failures })),
  };
}

/** Options of {@link importPatternPack}. */
export interface ImportOptions {
  /** How much one imported observation counts against a local one, from 0 to 1. @default 0.5 */
  weight?: number;
  now: number;
  /** Called with the number of patterns merged so far, inside the import's transaction. */
  onProgress?: (done: number) => void;
}

/**
 * Merges a validated pack into a store (see `CurationStore.importPatterns`): local analysis and
 * counts are kept, imported counts are added with `weight`. Unknown categories become `other` and
 * unknown remedy actions are dropped; texts are scrubbed again, whoever wrote the pack.
 */
export function importPatternPack(
  store: Store,
  pack: PatternPack,
  options: ImportOptions,
): Promise<PackImportResult> {
  const weight = options.weight ?? 0.5;
  if (!(weight >= 0 && weight <= 1))
    throw invalidArgument(`weight must be from 0 to 1, got ${weight}`);
  if (packId(pack.patterns) !== pack.id)
    throw invalidArgument('pack: its id does not match its patterns (was it edited?)');
  const patterns = pack.patterns.map((p): PackPattern => ({
    ...p,
    template: scrubForPack(p.template),
    category: isCategory(p.category) ? p.category : 'other',
    rootCause: scrubOrNull(p.rootCause),
    prevention: scrubOrNull(p.prevention),
    remedies: p.remedies.filter(isActionId),
    remedyStatistics: p.remedyStatistics.filter((s) => isActionId(s.action)),
    facts: Object.fromEntries(Object.entries(p.facts).map(([k, v]) => [k, scrubForPack(v)])),
  }));
  return store.importPatterns(pack.id, patterns, weight, options.now, options.onProgress);
}
