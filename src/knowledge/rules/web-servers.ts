import { defineRules } from './rule.js';

/**
 * Web applications at run time (Django, Rails, Laravel and PHP-FPM, Spring, Express and Next.js,
 * ASP.NET Core, gunicorn, uWSGI, nginx in front): settings a deploy got wrong, limits a busy
 * server reaches, and framework rules the code broke.
 */
export const WEB_SERVER_RULES = defineRules([
  {
    id: 'django.staticfiles_manifest_missing',
    when: { message: /Missing staticfiles manifest entry for/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The deployed app was started without `collectstatic` having built the manifest that names the asset.',
    remedies: ['escalate'],
    prevention: 'Run collectstatic in the build, and fail the deploy when it fails.',
  },
  {
    id: 'django.csrf_origin_untrusted',
    when: { message: /Origin checking failed - \S+ does not match any trusted origins/i },
    category: 'auth',
    transient: false,
    rootCause:
      "The site's origin is not in CSRF_TRUSTED_ORIGINS (required since Django 4), or a proxy hides the scheme.",
    remedies: ['escalate'],
    prevention:
      'List the public origins in CSRF_TRUSTED_ORIGINS and pass X-Forwarded-Proto from the proxy.',
  },
  {
    id: 'django.disallowed_host',
    when: { message: /Invalid HTTP_HOST header: '[^']+'\. You may need to add/i },
    category: 'other',
    transient: false,
    rootCause: 'The host name the request was sent to is not in ALLOWED_HOSTS.',
    remedies: ['escalate'],
    prevention: 'Set ALLOWED_HOSTS per environment from its public host names.',
  },
  {
    id: 'django.synchronous_only',
    when: { message: /\bSynchronousOnlyOperation\b|You cannot call this from an async context/ },
    category: 'other',
    transient: false,
    rootCause: 'Synchronous Django code (the ORM) is called from an async view or task.',
    remedies: ['escalate'],
    prevention: 'Wrap ORM calls in sync_to_async, or use the async ORM methods.',
  },
  {
    id: 'rails.origin_mismatch',
    when: { message: /HTTP Origin header \(\S+\) didn't match request\.base_url/i },
    category: 'auth',
    transient: false,
    rootCause:
      'Behind a TLS-terminating proxy, Rails sees http while the browser sent an https Origin, so CSRF protection rejects the request.',
    remedies: ['escalate'],
    prevention: 'Have the proxy send X-Forwarded-Proto (and Host) so Rails knows the public URL.',
  },
  {
    id: 'rails.cookie_overflow',
    when: { message: /ActionDispatch::Cookies::CookieOverflow/ },
    category: 'other',
    transient: false,
    rootCause: 'More than 4 KB went into the cookie session store.',
    remedies: ['escalate'],
    prevention: 'Keep only ids in the session, or use a server-side session store.',
  },
  {
    id: 'rails.credentials_key_mismatch',
    when: { message: /ActiveSupport::MessageEncryptor::InvalidMessage/ },
    category: 'auth',
    transient: false,
    rootCause:
      'The master key (RAILS_MASTER_KEY) does not decrypt the credentials file deployed with the app.',
    remedies: ['escalate'],
    prevention:
      'Deploy the master key that belongs to the committed credentials file, per environment.',
  },
  {
    id: 'rack.request_timeout',
    when: { message: /Rack::Timeout::RequestTimeoutException|then ran for longer than \d+ms/ },
    category: 'timeout',
    transient: false,
    rootCause:
      'A request ran longer than rack-timeout allows: slow work belongs in a background job.',
    remedies: ['increase_timeout', 'escalate'],
    prevention: 'Move slow work out of requests, and index the queries slow requests run.',
  },
  {
    id: 'laravel.missing_app_key',
    when: {
      message: /No application encryption key has been specified|\bMissingAppKeyException\b/,
    },
    category: 'deployment',
    transient: false,
    rootCause: 'The Laravel app has no APP_KEY in its environment.',
    remedies: ['escalate'],
    prevention: 'Generate APP_KEY once per environment and deploy it with the other secrets.',
  },
  {
    id: 'laravel.storage_not_writable',
    when: {
      message: /could not be opened in append mode: failed to open stream: Permission denied/i,
    },
    category: 'other',
    transient: false,
    rootCause: "The web server's user cannot write Laravel's storage (or log) directory.",
    remedies: ['escalate'],
    prevention: 'Give the web user ownership of storage/ and bootstrap/cache/ in the deploy.',
  },
  {
    id: 'php_fpm.max_children',
    when: { message: /server reached pm\.max_children setting/i },
    category: 'resource',
    transient: true,
    rootCause: 'Every PHP-FPM worker is busy; new requests wait or fail.',
    remedies: ['reduce_concurrency', 'escalate'],
    prevention: 'Size pm.max_children to memory, and find the slow requests that hold workers.',
  },
  {
    id: 'uwsgi.listen_queue_full',
    when: { message: /uWSGI listen queue of socket \S+ \(fd: \d+\) full/i },
    category: 'resource',
    transient: true,
    rootCause:
      'uWSGI workers are all busy and its listen backlog is full, so connections are refused.',
    remedies: ['reduce_concurrency', 'escalate'],
    prevention: 'Add workers or speed up slow requests; raise --listen together with somaxconn.',
  },
  {
    id: 'uvicorn.app_not_importable',
    when: { message: /Error loading ASGI app\. Could not import module/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The ASGI server was pointed at a module it cannot import (a wrong module path or working directory).',
    remedies: ['escalate'],
    prevention:
      'Start the server with the module path relative to the app directory (or --app-dir).',
  },
  {
    id: 'nginx.upstream_refused',
    when: {
      message: /connect\(\) failed \(111: Connection refused\) while connecting to upstream/i,
    },
    category: 'network',
    transient: false,
    rootCause:
      'nginx reaches no process on the upstream address: the app is not running, or listens on another port or interface.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Bind the app to the address nginx proxies to (0.0.0.0 in containers) and health-check it.',
  },
  {
    id: 'websocket.handshake_400',
    when: {
      message:
        /Error during WebSocket handshake: Unexpected response code: 400|Handshake ended with HTTP error: 400|Websockets?: 400 Bad Request/i,
    },
    category: 'network',
    transient: false,
    rootCause:
      'A proxy in front of the app does not pass the WebSocket upgrade (Upgrade and Connection headers).',
    remedies: ['escalate'],
    prevention:
      'Forward Upgrade and Connection headers for WebSocket routes, with HTTP/1.1 to the upstream.',
  },
  {
    id: 'express.trust_proxy_unset',
    when: {
      message:
        /The 'X-Forwarded-For' header is set but the Express 'trust proxy' setting is false/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      "The app runs behind a proxy, but Express's trust proxy setting is off, so client addresses are the proxy's.",
    remedies: ['escalate'],
    prevention: "Set app.set('trust proxy', …) to the number of proxies in front of the app.",
  },
  {
    id: 'nextjs.no_production_build',
    when: { message: /Could not find a production build in the '[^']*' directory/i },
    category: 'deployment',
    transient: false,
    rootCause:
      '`next start` ran where no `next build` output exists (the build step was skipped or its output not shipped).',
    remedies: ['escalate'],
    prevention: 'Build in the image (or ship .next) before starting the production server.',
  },
  {
    id: 'aspnetcore.runtime_missing',
    when: {
      message:
        /HTTP Error 500\.31 - Failed to load ASP\.NET Core runtime|The specified version of Microsoft\.NetCore\.App or Microsoft\.AspNetCore\.App was not found/i,
    },
    category: 'deployment',
    transient: false,
    rootCause: 'The host lacks the .NET runtime version the app targets.',
    remedies: ['escalate'],
    prevention: 'Install the target runtime on the host, or publish the app self-contained.',
  },
  {
    id: 'aspnetcore.antiforgery_decrypt',
    when: {
      message:
        /The antiforgery token could not be decrypted|The key \{[\w-]+\} was not found in the key ring/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'Data protection keys are not persisted or shared, so tokens from another instance (or before a restart) cannot be decrypted.',
    remedies: ['escalate'],
    prevention:
      'Persist data protection keys to shared storage and give all instances the same application name.',
  },
  {
    id: 'efcore.concurrent_use',
    when: {
      message:
        /A second operation was started on this context (?:instance )?before a previous operation completed/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'One DbContext instance is used by two operations at once (parallel tasks, or a missing await).',
    remedies: ['escalate'],
    prevention: 'Await every query, and give parallel work its own context.',
  },
  {
    id: 'hibernate.lazy_initialization',
    when: {
      message:
        /failed to lazily initialize a collection of role|could not initialize proxy - no Session/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'A lazy association is read after its Hibernate session closed (often while serialising an entity to JSON).',
    remedies: ['escalate'],
    prevention: 'Fetch what the response needs inside the transaction (fetch joins, DTOs).',
  },
  {
    id: 'mysql.key_too_long',
    when: {
      message:
        /Specified key was too long; max key len\s*gth is \d+ bytes|Specified key was t\s*oo long/i,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'An index on a utf8mb4 string column exceeds the InnoDB key length limit of this MySQL version or row format.',
    remedies: ['escalate'],
    prevention:
      'Index shorter strings (191 characters) or use DYNAMIC row format with large prefixes.',
  },
  {
    id: 'mysql.no_default_value',
    when: { message: /\b1364\b[^\n]*Field '[\w]+' doesn't have a default value/i },
    category: 'database_query',
    transient: false,
    rootCause:
      'In strict mode MySQL refuses an insert that leaves a NOT NULL column without a default unset.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Give columns defaults in the schema, or set every required column on insert.',
  },
  {
    id: 'mysql.only_full_group_by',
    when: {
      message:
        /\b1055\b[^\n]*is not in GROUP BY clause|incompatible with sql_mode=only_full_group_by/i,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'The query selects columns that are neither grouped nor aggregated, which ONLY_FULL_GROUP_BY (the default since MySQL 5.7) rejects.',
    remedies: ['escalate'],
    prevention: 'Group by or aggregate every selected column (ANY_VALUE where any value will do).',
  },
  {
    id: 'postgres.cached_plan_changed',
    when: { message: /cached plan must not change result type|\bPreparedStatementCacheExpired\b/ },
    category: 'database_query',
    transient: true,
    rootCause:
      "A migration changed a table's columns while connections held prepared statements for it; the next run of the statement is re-planned.",
    remedies: ['retry', 'reconnect'],
    prevention: 'Restart or reset connections after migrations that change columns.',
  },
  {
    id: 'pgbouncer.max_client_conn',
    when: { message: /no more connections allowed \(max_client_conn\)/i },
    category: 'database_connection',
    transient: true,
    rootCause: 'PgBouncer has as many client connections as max_client_conn allows.',
    remedies: ['reduce_concurrency', 'retry_with_backoff', 'escalate'],
    prevention: "Size application pools to PgBouncer's max_client_conn across all instances.",
  },
  {
    id: 'stripe.test_live_mismatch',
    when: {
      message:
        /a similar object exists in (?:live|test) mode, but a (?:test|live) mode key was used|was a test account created with a testmode key/i,
    },
    category: 'api_failure',
    transient: false,
    rootCause: 'Stripe objects from live mode are used with a test key, or the reverse.',
    remedies: ['escalate'],
    prevention: 'Keep one Stripe mode per environment, for keys and stored ids alike.',
  },
]);
