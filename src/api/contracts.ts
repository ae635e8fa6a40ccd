/**
 * The HTTP contract: every request the API accepts and every JSON body it answers, as zod schemas,
 * one file per route group. The OpenAPI document (`/api/openapi.json`) is generated from them, and
 * the tests check answers against them, so a dashboard or a script can rely on these shapes.
 */
export { ErrorBody, IdParam } from './contracts/contract-basics.js';
export * from './contracts/job-contracts.js';
export * from './contracts/improvement-contracts.js';
export * from './contracts/pattern-contracts.js';
export * from './contracts/system-contracts.js';
export * from './contracts/function-contracts.js';
export * from './contracts/pack-contracts.js';
