import { defineRules } from './rule.js';

/**
 * SSH connections and the proxies and HTTP clients between a job and its upstream (Envoy, nginx,
 * curl): failures of the path that name the hop they happened at.
 */
export const SSH_AND_PROXY_RULES = defineRules([
  {
    id: 'ssh.host_key_unknown',
    when: { message: /Host key verification failed/i },
    category: 'auth',
    transient: false,
    rootCause:
      "SSH does not know the server's host key (no known_hosts entry where the job runs), and strict checking refuses to connect.",
    remedies: ['escalate'],
    prevention:
      "Add the server's host key to known_hosts in the image or CI step (ssh-keyscan, pinned).",
  },
  {
    id: 'ssh.host_key_changed',
    when: {
      message:
        /REMOTE HOST IDENTIFICATION HAS CHANGED|host key for \S+ has changed and you have requested strict checking/i,
    },
    // Outranks the verification failure it ends with: a changed key is its own cause.
    priority: 1,
    category: 'auth',
    transient: false,
    rootCause:
      "The server's host key differs from the one in known_hosts: the server was rebuilt (or, rarely, something intercepts the connection).",
    remedies: ['escalate'],
    prevention: 'Update known_hosts when servers are rebuilt, from a trusted source of their keys.',
  },
  {
    id: 'ssh.max_startups',
    when: {
      message:
        /Exceeded MaxStartups|kex_exchange_identification: read: Connection reset by peer|ssh_exchange_identification: Connection closed by remote host/i,
    },
    category: 'network',
    transient: true,
    rootCause:
      'sshd dropped the connection before the handshake: too many unauthenticated connections at once (its MaxStartups limit).',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Reuse SSH connections (ControlMaster) and open fewer at once.',
  },
  {
    id: 'envoy.upstream_reset',
    when: { message: /upstream connect error or disconnect\/reset before headers/i },
    category: 'network',
    transient: true,
    rootCause:
      'The proxy (Envoy, Istio) lost its connection to the upstream before a response: often a reused connection the upstream had just closed.',
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention:
      "Keep the proxy's idle timeout below the upstream's keep-alive timeout, and retry idempotent calls.",
  },
  {
    id: 'nginx.upstream_header_too_big',
    when: { message: /upstream sent too big header while reading response header from upstream/i },
    category: 'other',
    transient: false,
    rootCause:
      "The upstream's response headers (large cookies, tokens) exceed nginx's proxy buffer.",
    remedies: ['escalate'],
    prevention:
      'Raise proxy_buffer_size and proxy_buffers (or fastcgi_*) for routes with large headers.',
  },
  {
    id: 'curl.operation_timeout',
    when: {
      message:
        /cURL error 28: Operation timed out after \d+ milliseconds|\[curl\] 28: Operation timed out/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      "The HTTP call hit the client's own time limit (curl error 28), set too short for the network or the endpoint.",
    remedies: ['increase_timeout', 'retry_with_backoff'],
    prevention:
      "Set the client's timeout from the endpoint's measured latency, not a library default.",
  },
]);
