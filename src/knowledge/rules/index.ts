import { APP_RUNTIME_RULES } from './app-runtimes.js';
import { AUTH_RULES } from './auth.js';
import { BROWSER_AND_MEDIA_RULES } from './browsers-and-media.js';
import { BUILD_RULES } from './build.js';
import { CLOUD_API_RULES } from './cloud-apis.js';
import { CLOUD_RULES } from './cloud.js';
import { CONTAINER_RULES } from './containers.js';
import { DATA_ENGINEERING_RULES } from './data-engineering.js';
import { DATA_RULES } from './data.js';
import { DATABASE_RULES } from './database.js';
import { DATASTORE_RULES } from './datastores.js';
import { DELIVERY_TOOL_RULES } from './delivery-tools.js';
import { DEPLOY_RULES } from './deploy.js';
import { GPU_AND_TRAINING_RULES } from './gpu-and-training.js';
import { HTTP_RULES } from './http.js';
import { IDENTITY_RULES } from './identity.js';
import { INFRASTRUCTURE_CODE_RULES } from './infrastructure-code.js';
import { JAVASCRIPT_RULES } from './javascript.js';
import { JOB_PIPELINE_RULES } from './job-pipelines.js';
import { LLM_RULES } from './llm.js';
import { MOBILE_BUILD_RULES } from './mobile-builds.js';
import { MODEL_SERVING_RULES } from './model-serving.js';
import { MYSQL_RULES } from './mysql.js';
import { NETWORK_RULES } from './network.js';
import { OUTPUT_RULES } from './output.js';
import { PACKAGE_RULES } from './packages.js';
import { PRISMA_RULES } from './prisma.js';
import { PROCESS_RULES } from './processes.js';
import { QUEUE_RULES } from './queue.js';
import { REDIS_RULES } from './redis.js';
import { RESOURCE_RULES } from './resource.js';
import { RUNNER_RULES } from './runners.js';
import { RUNTIME_RULES } from './runtimes.js';
import { SERVERLESS_RULES } from './serverless.js';
import { SERVICE_RULES } from './services.js';
import { SSH_AND_PROXY_RULES } from './ssh-and-proxies.js';
import { STORE_MISMATCH_RULES } from './store-mismatches.js';
import { TOOLCHAIN_RULES } from './toolchains.js';
import type { Rule } from './rule.js';
import { WEB_SERVER_RULES } from './web-servers.js';
import { WORKER_RULES } from './workers.js';

export type { Rule, RuleCondition } from './rule.js';

/**
 * The built-in knowledge base. Order only settles exact ties in specificity, so the more
 * specialised domains come first.
 */
export const RULES: readonly Rule[] = [
  ...QUEUE_RULES,
  ...WORKER_RULES,
  ...RUNNER_RULES,
  ...JOB_PIPELINE_RULES,
  ...LLM_RULES,
  ...MODEL_SERVING_RULES,
  ...GPU_AND_TRAINING_RULES,
  ...APP_RUNTIME_RULES,
  ...OUTPUT_RULES,
  ...PRISMA_RULES,
  ...DATABASE_RULES,
  ...MYSQL_RULES,
  ...DATASTORE_RULES,
  ...STORE_MISMATCH_RULES,
  ...DATA_ENGINEERING_RULES,
  ...DATA_RULES,
  ...REDIS_RULES,
  ...SERVICE_RULES,
  ...SERVERLESS_RULES,
  ...CLOUD_RULES,
  ...CLOUD_API_RULES,
  ...DELIVERY_TOOL_RULES,
  ...IDENTITY_RULES,
  ...AUTH_RULES,
  ...BUILD_RULES,
  ...TOOLCHAIN_RULES,
  ...PACKAGE_RULES,
  ...MOBILE_BUILD_RULES,
  ...INFRASTRUCTURE_CODE_RULES,
  ...DEPLOY_RULES,
  ...CONTAINER_RULES,
  ...RESOURCE_RULES,
  ...BROWSER_AND_MEDIA_RULES,
  ...WEB_SERVER_RULES,
  ...RUNTIME_RULES,
  ...PROCESS_RULES,
  ...SSH_AND_PROXY_RULES,
  ...NETWORK_RULES,
  ...JAVASCRIPT_RULES,
  ...HTTP_RULES,
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** The rule with this id, or undefined. */
export function findRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}
