import type { JobTypeView } from './job-type-view.js';

/**
 * The job types the healer has seen: from failed attempts (their live definitions) and, once, from
 * the store's descriptions, so a scan or a stuck job of a type this process never ran still heals
 * with its declared knobs and resources.
 */
export class JobTypeCache {
  readonly #types = new Map<string, JobTypeView>();
  readonly #list: () => Promise<readonly JobTypeView[]>;
  #loaded = false;

  constructor(list: () => Promise<readonly JobTypeView[]>) {
    this.#list = list;
  }

  /** Remembers a type's live definition, which wins over a stored description. */
  note(view: JobTypeView): void {
    this.#types.set(view.type, view);
  }

  /** The type as known now, without reading the store. */
  peek(type: string): JobTypeView | undefined {
    return this.#types.get(type);
  }

  /** The type's view; a type nobody described heals with what needs no declaration. */
  async get(type: string): Promise<JobTypeView> {
    let known = this.#types.get(type);
    if (!known && !this.#loaded) {
      for (const description of await this.#list())
        if (!this.#types.has(description.type)) this.#types.set(description.type, description);
      this.#loaded = true;
      known = this.#types.get(type);
    }
    return known ?? { type, knobs: {}, resources: [], maxAttempts: 3 };
  }

  /** The types that declare a resource (whose queued jobs a breaker or a rate limit holds). */
  using(resource: string): string[] {
    const types: string[] = [];
    for (const view of this.#types.values())
      if (view.resources.includes(resource)) types.push(view.type);
    return types;
  }
}
