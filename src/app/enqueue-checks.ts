import { invalidArgument } from '../core/errors.js';

/** Latest time a job may be scheduled for: the end of year 9999, far below both engines' limits. */
export const MAX_RUN_AT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The names an enqueue item and its options may have, checked against their types where they are declared. */
export interface EnqueueKeys {
  item: Record<string, true>;
  options: Record<string, true>;
}

/** Refuses a name that is not one of `known`, so a typo such as `{ delay: 60000 }` is not silently ignored. */
export function refuseUnknownKeys(value: object, known: Record<string, true>, what: string): void {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(known, key))
      throw invalidArgument(
        `${what}unknown option "${key}" (known: ${Object.keys(known).join(', ')})`,
      );
  }
}

/** Checks the shape of one enqueue item before anything else reads it. */
export function checkEnqueueItem(
  item: { options?: object },
  keys: EnqueueKeys,
  where: string,
): void {
  if (typeof item !== 'object' || item === null)
    throw invalidArgument(`${where}each item must be { type, payload, options }`);
  refuseUnknownKeys(item, keys.item, where);
  const options = item.options ?? {};
  if (typeof options !== 'object' || options === null)
    throw invalidArgument(`${where}options must be an object`);
  refuseUnknownKeys(options, keys.options, where);
}

/** Refuses a due time that no engine could store or reach. */
export function checkRunAt(runAt: number, where: string): void {
  if (!(runAt >= 0 && runAt <= MAX_RUN_AT)) {
    throw invalidArgument(
      `${where}runAt must be a time from 1970 to 9999 (ms since the epoch), got ${String(runAt)}`,
    );
  }
}
