import type { ActionId } from '../knowledge/actions.js';
import type { Category } from '../knowledge/categories.js';
import {
  INVALID_INPUT_WORDING,
  PASSING_CONDITIONS,
  PERMANENT_CLASS_NAMES,
  PROGRAMMING_ERROR_WORDING,
  STANDING_CONDITIONS,
} from '../knowledge/permanence-cues.js';
import {
  DOMAIN_PROBABILITY,
  predictCategory,
  type CategoryModel,
} from '../knowledge/category-words.js';
import { bareClassName, type ErrorFacts } from './facts.js';

/** What the wording of an error no rule or known pattern matches says, when it says enough. */
export interface UnknownErrorVerdict {
  category: Category;
  transient: boolean;
  rootCause: string;
  remedies: ActionId[];
  confidence: number;
}

// A class name anywhere in the text, qualified or not: tracebacks end with it, JVM logs prefix it.
const PERMANENT_CLASS = new RegExp(
  String.raw`(?:^|[^\w$.])(?:[\w$]+\.)*(${PERMANENT_CLASS_NAMES.join('|')})\b`,
);

const DATABASES = new Set<ErrorFacts['resource']>([
  'postgres',
  'mysql',
  'redis',
  'supabase',
  'prisma',
]);

// Below a similar known pattern's (at most 0.6) and a rule's (0.5 and up): wording is the weakest
// evidence, and a language's own class for a bug is stronger than a word.
const CLASS_CONFIDENCE = 0.35;
const WORDING_CONFIDENCE = 0.25;

/**
 * Reads an unrecognised error the way a person triages one. An error that says when to try again
 * is waited out. Wording of credentials, permissions or memory (a standing condition) says who
 * has to act, whatever else the text says. Wording of a passing condition (a timeout, a lost
 * connection, throttling, overload) makes it transient, with the category and remedies of that
 * condition, and outweighs every permanent cue. Otherwise a class raised for a bug, or wording of
 * invalid input or configuration, means the same call fails again until someone changes something, so no retry
 * goes first. The cue says what happened; when the words around it surely name a domain
 * ({@link DOMAIN_PROBABILITY}), that domain is the category.
 *
 * @param text - the masked template (quoted values are already placeholders, so a word inside a
 *   value does not count), or the message when no template is known
 * @param facts - the error's class name, the service it was attributed to and the wait it asked
 *   for, as far as they are known
 * @param model - the category model for the domain guess (the built-in one by default)
 * @returns the verdict, or null when the text gives no cue either way
 */
export function unknownErrorVerdict(
  text: string,
  facts: Pick<ErrorFacts, 'name' | 'resource' | 'retryAfterMs'> = {},
  model?: CategoryModel,
): UnknownErrorVerdict | null {
  const read = readCues(text, facts);
  if (read === null) return null;
  const { verdict } = read;
  // A wait the error asked for, or a standing condition (credentials, memory, a time limit),
  // names its category itself; the words around it cannot name it better. A file permission's
  // `other` names none, so an npm or a docker word around it does.
  if (read.namesItsCategory) return verdict;
  // The cue says what happened (a timeout, a reset); the words around it say where, and a sure
  // guess of the domain names the category better than the cue's default for it.
  const guess = predictCategory(facts.name === undefined ? text : `${text} ${facts.name}`, model);
  if (guess === undefined || guess.probability < DOMAIN_PROBABILITY) return verdict;
  return {
    ...verdict,
    category: guess.category,
    rootCause: `${verdict.rootCause} Its words are most like those of ${guess.category} errors (probability ${guess.probability.toFixed(2)}).`,
  };
}

/**
 * What the wording cues alone say, without the domain guess that {@link unknownErrorVerdict}
 * adds: what two errors' wordings say can be compared without a few more or fewer words
 * tipping a guess.
 */
export function cueVerdict(
  text: string,
  facts: Pick<ErrorFacts, 'name' | 'resource' | 'retryAfterMs'> = {},
): UnknownErrorVerdict | null {
  return readCues(text, facts)?.verdict ?? null;
}

/** A cue's verdict, and whether the cue names its category itself (see unknownErrorVerdict). */
interface CueReading {
  verdict: UnknownErrorVerdict;
  namesItsCategory: boolean;
}

function readCues(
  text: string,
  facts: Pick<ErrorFacts, 'name' | 'resource' | 'retryAfterMs'>,
): CueReading | null {
  const reading = (found: UnknownErrorVerdict, namesItsCategory = false): CueReading => ({
    verdict: found,
    namesItsCategory,
  });
  const { name, resource } = facts;
  if (facts.retryAfterMs !== undefined)
    return reading(
      {
        category: 'rate_limit',
        transient: true,
        rootCause: `No built-in rule knows this error. It says when to try again (in ${facts.retryAfterMs} ms), so it passes after that wait.`,
        remedies: ['wait_for_rate_limit', 'retry_with_backoff'],
        confidence: WORDING_CONFIDENCE,
      },
      true,
    );
  for (const condition of STANDING_CONDITIONS) {
    const wording = condition.wording.exec(text);
    if (wording === null) continue;
    return reading(
      {
        category: condition.category,
        transient: condition.transient,
        rootCause: `No built-in rule knows this error. Its wording ("${wording[0]}") describes ${condition.meaning}.`,
        remedies: [...condition.remedies],
        confidence: WORDING_CONFIDENCE,
      },
      condition.category !== 'other',
    );
  }
  for (const condition of PASSING_CONDITIONS) {
    const wording = condition.wording.exec(text);
    if (wording === null) continue;
    return reading({
      category: DATABASES.has(resource) ? condition.databaseCategory : condition.category,
      transient: true,
      rootCause: `No built-in rule knows this error. Its wording ("${wording[0]}") describes a condition that passes, so the same call may succeed later.`,
      remedies: [...condition.remedies],
      confidence: WORDING_CONFIDENCE,
    });
  }
  const className = permanentClass(text, name);
  if (className !== undefined)
    return reading({
      category: 'other',
      transient: false,
      rootCause: `No built-in rule knows this error. ${className} is raised for a bug in the calling code, a module that is not installed or input that fails validation, so the same call fails again until the code, the dependencies, the input or the configuration change.`,
      remedies: ['fail_fast', 'escalate'],
      confidence: CLASS_CONFIDENCE,
    });
  const wording = PROGRAMMING_ERROR_WORDING.exec(text) ?? INVALID_INPUT_WORDING.exec(text);
  if (wording === null) return null;
  return reading({
    category: 'other',
    transient: false,
    rootCause: `No built-in rule knows this error. Its wording ("${wording[0]}") describes code, input or configuration that is wrong rather than a condition that passes, so a person has to change something.`,
    remedies: ['fail_fast', 'escalate'],
    confidence: WORDING_CONFIDENCE,
  });
}

function permanentClass(text: string, name: string | undefined): string | undefined {
  const bare = name === undefined ? undefined : bareClassName(name);
  if (bare !== undefined && PERMANENT_CLASS_NAMES.includes(bare)) return bare;
  return PERMANENT_CLASS.exec(text)?.[1];
}
