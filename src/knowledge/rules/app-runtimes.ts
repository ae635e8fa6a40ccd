import { defineRules } from './rule.js';

/**
 * Application frameworks and the platforms they run on: Next.js and SvelteKit, edge and serverless
 * runtimes (Cloudflare Workers, Vercel, Deno), hosted backends (Supabase, Convex, Upstash), ORMs,
 * RPC layers and the bot and message clients around them. Most are set up wrong rather than
 * failing for a while, so a rerun rarely helps.
 */
export const APP_RUNTIME_RULES = defineRules([
  {
    id: 'convex.read_limit_exceeded',
    when: { message: /Too many (?:bytes read|reads) in a single function execution/i },
    category: 'database_query',
    transient: false,
    rootCause:
      'A Convex query or mutation read more documents or bytes than one function execution may.',
    remedies: ['escalate'],
    prevention:
      'Read through selective indexes and paginate with cursors instead of collecting whole tables.',
  },
  {
    id: 'httpx.proxies_argument_removed',
    when: { message: /Client\.__init__\(\) got an unexpected keyword argument 'proxies'/ },
    category: 'build',
    transient: false,
    rootCause:
      "httpx 0.28 removed the 'proxies' argument that an older SDK (openai, anthropic) still passes to it.",
    remedies: ['escalate'],
    prevention: 'Upgrade the SDK to a release made for httpx 0.28, or pin httpx below 0.28.',
  },
  {
    id: 'upstash.request_limit_exceeded',
    when: { message: /ERR max (?:daily )?requests? limit exceeded/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The Upstash database used up its plan's request allowance (daily or total); it refuses commands until the plan changes or the period resets.",
    remedies: ['escalate'],
    prevention:
      'Cut polling and per-request commands, and move to a plan sized for the traffic before it runs out.',
  },
  {
    id: 'typeorm.entity_metadata_not_found',
    when: { message: /EntityMetadataNotFound|No metadata for "[^"]+" was found/ },
    category: 'database_query',
    transient: false,
    rootCause:
      "TypeORM has no metadata for the entity: the data source's entities list or glob does not match the files that actually run (src .ts against compiled .js).",
    remedies: ['escalate'],
    prevention:
      'List entity classes directly, or point the glob at the compiled files the process loads.',
  },
  {
    id: 'sqlalchemy.missing_greenlet',
    when: { message: /MissingGreenlet|greenlet_spawn has not been called/ },
    category: 'database_query',
    transient: false,
    rootCause:
      'Async SQLAlchemy tried IO outside an awaited call, usually an implicit lazy load of a relationship the query did not load.',
    remedies: ['escalate'],
    prevention:
      'Load relationships eagerly (selectinload) or through AsyncAttrs, and set lazy="raise" to catch the rest.',
  },
  {
    id: 'nextjs.dynamic_server_usage',
    when: {
      message: /Dynamic server usage: [^\n]*?couldn't be rendered statical|DynamicServerError/,
    },
    category: 'build',
    transient: false,
    rootCause:
      'Next.js tried to prerender a page or route statically that reads cookies, headers or search params.',
    remedies: ['escalate'],
    prevention:
      "Mark routes that read request data dynamic (export const dynamic = 'force-dynamic') and do not catch the error it throws.",
  },
  {
    id: 'nextjs.node_module_in_edge_runtime',
    when: { message: /The edge runtime does not support Node\.js '[^']+' module/ },
    category: 'deployment',
    transient: false,
    rootCause:
      'Code running on the edge runtime (middleware, edge routes) imports a Node.js built-in such as crypto, directly or through a dependency.',
    remedies: ['escalate'],
    prevention:
      'Keep edge code on Web APIs (Web Crypto, jose) or run the route on the Node.js runtime.',
  },
  {
    id: 'authjs.missing_secret',
    when: { message: /MissingSecret|\[NO_SECRET\]|Please define a `secret`/ },
    category: 'auth',
    transient: false,
    rootCause:
      'Auth.js (NextAuth) has no secret: AUTH_SECRET / NEXTAUTH_SECRET is not set where the app runs.',
    remedies: ['escalate'],
    prevention:
      'Set AUTH_SECRET in every environment the app runs in (container, host) and check it at start-up.',
  },
  {
    id: 'clerk.middleware_not_detected',
    when: {
      message:
        /Clerk: auth\(\) was called but (?:Clerk can't detect usage of clerkMiddleware|it looks like you aren't using `authMiddleware`)/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "Clerk's auth() ran for a request that its middleware did not handle: the middleware file is missing or its matcher leaves the route out.",
    remedies: ['escalate'],
    prevention:
      "Keep clerkMiddleware in the app's middleware file with a matcher that covers every route calling auth().",
  },
  {
    id: 'deno.permission_denied',
    when: { message: /PermissionDenied:[^\n]*?run again with the --allow-[a-z-]+ flag/ },
    category: 'auth',
    transient: false,
    rootCause:
      'Deno refused an operation the script was not granted (network, file, environment): it runs with no permissions unless given.',
    remedies: ['escalate'],
    prevention:
      'Start the script with the --allow-* flags it needs, scoped to its hosts and paths.',
  },
  {
    id: 'cloudflare.too_many_subrequests',
    when: { message: /Too many subrequests\. Workers can make up to \d+ subrequests/i },
    category: 'resource',
    transient: false,
    rootCause:
      'The Worker made more fetch, redirect or Cache API calls in one request than its plan (or the local simulator) allows.',
    remedies: ['escalate'],
    prevention:
      'Batch subrequests, move fan-out to queues or Durable Objects, and check the limit the local simulator enforces.',
  },
  {
    id: 'vercel.max_duration_above_plan',
    when: {
      message:
        /Builder returned invalid maxDuration value|must have a maxDuration between \d+ and \d+ for plan/,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      "A function's configured maxDuration is above what the Vercel plan allows, so the deployment is refused.",
    remedies: ['escalate'],
    prevention:
      "Keep maxDuration within the plan's limit (or enable Fluid compute), and move longer work to background jobs.",
  },
  {
    id: 'nextjs.server_action_body_limit',
    when: {
      message: /Body exceeded [\w. ]{1,20} limit|body size limit for Server Actions/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'A Server Action received a request body larger than serverActions.bodySizeLimit (1 MB by default).',
    remedies: ['reduce_batch_size', 'escalate'],
    prevention:
      'Raise serverActions.bodySizeLimit within the host limit, or upload large files straight to storage.',
  },
  {
    id: 'route.handler_returned_no_response',
    when: {
      message:
        /Context is not finalized\. Did you forget to return a Response object|No response is returned from route handler/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'A route handler or middleware finished without returning a Response on some path (Hono, Next.js route handlers).',
    remedies: ['escalate'],
    prevention:
      'Return a Response (or await next()) on every branch, and test the error branches of each handler.',
  },
  {
    id: 'trpc.untransformable_response',
    when: {
      message: /Unable to transform response from server|TRPCClientError: Unexpected token/,
    },
    // The JSON.parse wording also matches output.prose_instead_of_json (priority 2); a tRPC client
    // reading it means an intermediary answered, not a model.
    priority: 3,
    category: 'other',
    transient: false,
    rootCause:
      'The tRPC client got a body that is not a tRPC response: a proxy, gateway or edge function answered with its own error page or JSON.',
    remedies: ['escalate'],
    prevention:
      'Route tRPC calls straight to the tRPC server, and make intermediaries pass its responses through.',
  },
  {
    id: 'sveltekit.csrf_origin_mismatch',
    when: {
      message:
        /Cross-site POST form submissions are forbidden|"Cross-site"\.\.\. is not valid JSON/,
    },
    // The JSON.parse of this body also matches output.prose_instead_of_json (priority 2).
    priority: 3,
    category: 'auth',
    transient: false,
    rootCause:
      "SvelteKit's CSRF check rejected a form POST whose Origin differs from the origin the server believes it has, typically behind a proxy.",
    remedies: ['escalate'],
    prevention:
      'Set ORIGIN (or PROTOCOL_HEADER and HOST_HEADER) for adapter-node behind a proxy, so the server knows its public origin.',
  },
  {
    id: 'postgres.row_level_security_violation',
    when: { message: /new row violates row-level security policy/i },
    category: 'auth',
    transient: false,
    rootCause:
      'No row-level security policy lets this role insert or update the row (Supabase tables and Storage objects included).',
    remedies: ['escalate'],
    prevention:
      'Add an RLS policy for the role and operation (Storage > Policies for buckets), and test writes with the client role.',
  },
  {
    id: 'supabase.direct_host_ipv6_only',
    when: [
      {
        codes: ['ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH'],
        message: /\bdb\.[^\s"'`]+\.supabase\.co\b/i,
      },
      {
        message:
          /\bdb\.[^"'`\n]{1,40}?\.supabase\.co\b[\s\S]*?(?:Network is unreachable|no route to|ENETUNREACH|ENOTFOUND)/i,
      },
    ],
    category: 'network',
    transient: false,
    rootCause:
      "Supabase's direct database host resolves only to IPv6, which an IPv4-only network cannot reach.",
    remedies: ['escalate'],
    prevention:
      'Connect through the Supavisor pooler host (IPv4), or enable the IPv4 add-on, where the network has no IPv6.',
  },
  {
    id: 'net.ipv6_unreachable',
    when: [
      {
        codes: ['ENETUNREACH', 'EHOSTUNREACH'],
        message: /(?:ENETUNREACH|EHOSTUNREACH) \[?[0-9a-f]{1,4}:[0-9a-f]{0,4}:[0-9a-f:]+/i,
      },
      // Go (dial tcp6) and curl name the IPv6 address in their own words.
      {
        message:
          /dial tcp6 \[[0-9a-f:]+\]:\d+: connect(?:ex)?: (?:A socket operation was attempted to an unreachable network|network is unreachable)|Immediate connect fail for [0-9a-f]{1,4}:[0-9a-f:]+: Network is unreachable/i,
      },
    ],
    category: 'network',
    transient: false,
    rootCause:
      'The host was resolved to an IPv6 address, and this machine has no IPv6 route to it.',
    remedies: ['escalate'],
    prevention:
      'Use an IPv4 endpoint or prefer IPv4 in resolution (--dns-result-order=ipv4first) where the network has no IPv6.',
  },
  {
    id: 'kafka.advertised_host_unresolvable',
    when: {
      codes: ['ENOTFOUND', 'EAI_AGAIN'],
      message: /kafkajs|KafkaJS\w*Error|kafka-node|\[BrokerPool\]/i,
    },
    category: 'network',
    transient: false,
    rootCause:
      'The Kafka client cannot resolve a broker host name, usually one the broker advertises (a container name) that means nothing where the client runs.',
    remedies: ['escalate'],
    prevention:
      'Set advertised.listeners to names or addresses every client can resolve, with a separate listener per network.',
  },
  {
    id: 'node.native_bindings_missing',
    when: {
      message:
        /Could not locate the bindings file|Cannot find module ['"][^'"\n]*[/\\]lib[/\\]binding[/\\][^'"\n]*\.node['"]/,
    },
    category: 'build',
    transient: false,
    rootCause:
      "A native addon's compiled .node file is missing: its install script was skipped (pnpm and Bun block lifecycle scripts) or failed.",
    remedies: ['escalate'],
    prevention:
      "Allow the package's install script (pnpm onlyBuiltDependencies, Bun trustedDependencies) and rebuild it.",
  },
  {
    id: 'telegram.get_updates_conflict',
    when: { message: /terminated by other getUpdates request/i },
    category: 'other',
    transient: false,
    rootCause:
      'Two processes poll getUpdates with the same bot token; Telegram lets only one long-poll at a time.',
    remedies: ['escalate'],
    prevention:
      'Run a single polling instance per token (stop old deploys and extra workers), or switch to a webhook.',
  },
  {
    id: 'telegram.flood_control',
    when: { message: /Flood control exceeded\. Retry in \d+/i },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'The bot sent or edited messages faster than Telegram allows for the chat, so it must wait the given seconds.',
    remedies: ['reduce_concurrency', 'wait_for_rate_limit'],
    prevention: 'Send fewer updates per chat (batch edits while streaming) and honour retry_after.',
  },
  {
    id: 'postgres.lock_timeout',
    when: [{ sqlstates: ['55P03'] }, { message: /canceling statement due to lock timeout/i }],
    category: 'database_query',
    transient: true,
    rootCause:
      'A statement waited longer than lock_timeout for a lock another transaction held, and was cancelled.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention:
      'Keep transactions that take locks short, and run DDL and bulk updates when little else writes.',
  },
]);
