import { defineRules } from './rule.js';

/** Node.js socket, DNS and TLS errors, and the fetch (undici) and axios wrappers around them. */
export const NETWORK_RULES = defineRules([
  {
    id: 'net.connection_refused',
    when: [
      { codes: ['ECONNREFUSED'] },
      // Bun names the error ConnectionRefused and gives no errno.
      {
        message:
          /\bConnectionRefused: (?:Unable to connect\. Is the computer able to access the url\?|fetch\(\) failed)/,
      },
    ],
    category: 'network',
    transient: true,
    rootCause:
      'The host answered but nothing listens on that port: the service is down or restarting, or the port is wrong.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker', 'escalate'],
    prevention:
      'Check service URLs at start-up and use health checks so jobs start only when dependencies are up.',
  },
  {
    id: 'net.connect_timed_out',
    when: { codes: ['ETIMEDOUT'] },
    category: 'network',
    transient: true,
    rootCause:
      'No answer arrived in time: a firewall drops the packets, the host is down, or it is overloaded.',
    remedies: ['retry_with_backoff', 'increase_timeout', 'open_circuit_breaker'],
    prevention:
      'Set explicit connect timeouts and a circuit breaker per upstream so one slow host cannot hold every worker.',
  },
  {
    id: 'net.dns_not_found',
    when: [
      { codes: ['ENOTFOUND'] },
      // Java's and Go's words for it.
      {
        message:
          /java\.net\.UnknownHostException|dial tcp: lookup \S+(?: on \S+)?: no such host|php_network_getaddresses: getaddrinfo failed: (?:nodename nor servname provided|Name or service not known|No such host is known)/,
      },
    ],
    category: 'network',
    transient: false,
    rootCause:
      'DNS has no record for the host name: a typo, a missing environment variable, or a deleted service.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention: 'Validate host names in configuration at start-up.',
  },
  {
    id: 'net.dns_temporary_failure',
    when: [
      { codes: ['EAI_AGAIN'] },
      // apt's own wording: "Temporary failure resolving 'archive.ubuntu.com'".
      {
        message:
          /Temporary failure in name resolution|Temporary failure resolving '?[\w.-]+|UnknownHostException: [^\s:]+: Try again/i,
      },
    ],
    // Java words a temporary failure as an unknown host "… : Try again", which the not-found rule would claim.
    priority: 1,
    category: 'network',
    transient: true,
    rootCause: 'The DNS resolver did not answer in time (temporary failure in name resolution).',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention: 'Cache DNS lookups or use a local caching resolver; reuse keep-alive connections.',
  },
  {
    id: 'net.connection_reset',
    when: { codes: ['ECONNRESET'] },
    category: 'network',
    transient: true,
    rootCause: 'The peer or a proxy in between reset the TCP connection mid-request.',
    remedies: ['reconnect', 'retry_with_backoff'],
    prevention:
      "Retry idempotent requests, and keep client keep-alive timeouts below the server's.",
  },
  {
    id: 'net.socket_hang_up',
    when: { message: /socket hang up/i },
    // Node sets code ECONNRESET on "socket hang up" too; the text says more, so it must win.
    priority: 2,
    category: 'network',
    transient: true,
    rootCause:
      'The server closed the socket before sending a response, often a keep-alive socket reused just as the server timed it out.',
    // A plain retry fixed 11 of 12 in the collections (12 repositories).
    remedies: ['retry_with_backoff', 'reconnect', 'reduce_concurrency'],
    prevention:
      "Set the client keep-alive timeout below the server's and retry idempotent requests once.",
  },
  {
    id: 'net.broken_pipe',
    when: { codes: ['EPIPE'] },
    category: 'network',
    transient: true,
    rootCause: 'We wrote to a socket the other side had already closed.',
    remedies: ['reconnect', 'retry_with_backoff'],
    prevention: 'Handle socket close events before writing, and reconnect on EPIPE.',
  },
  {
    id: 'net.unreachable',
    when: { codes: ['EHOSTUNREACH', 'ENETUNREACH'] },
    category: 'network',
    transient: true,
    rootCause: 'No route to the host or network: an interface, VPN or routing problem.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker', 'escalate'],
    prevention:
      'Monitor network reachability of upstreams; prefer IPv4 when IPv6 routes are missing.',
  },
  {
    id: 'tls.certificate_expired',
    when: [
      { codes: ['CERT_HAS_EXPIRED', 'ERR_CERT_DATE_INVALID'] },
      { message: /certificate has expired|ERR_CERT_DATE_INVALID/i },
    ],
    category: 'network',
    transient: false,
    rootCause: "The server's TLS certificate (or one in its chain) is past its expiry date.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Automate certificate renewal and alert on certificates that expire within 14 days.',
  },
  {
    id: 'tls.unable_to_verify_leaf',
    when: [
      { codes: ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'] },
      { message: /unable to (?:verify the first|get local issuer) certificate/i },
      // Go's and Python's wording of the same untrusted chain.
      {
        message:
          /certificate signed by unknown authority|CERTIFICATE_VERIFY_FAILED|certificate verify failed|\bUnknownIssuer\b|Fatal error: unknown ca|Fatal - Unknown CA|tls_alert, 'unknown ca|certificate chain: UntrustedRoot/i,
      },
    ],
    category: 'network',
    transient: false,
    rootCause:
      'Node cannot build a trusted chain: the server omits an intermediate certificate, or a corporate proxy CA is not trusted.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Serve the full chain on the server, or add the CA with NODE_EXTRA_CA_CERTS; never disable verification.',
  },
  {
    id: 'tls.self_signed',
    when: [
      { codes: ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'] },
      { message: /self[- ]signed certificate/i },
    ],
    category: 'network',
    transient: false,
    rootCause: 'The server presents a self-signed certificate that is not in the trusted CA list.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Trust the private CA via NODE_EXTRA_CA_CERTS (or the database ssl.ca option) instead of disabling verification.',
  },
  {
    id: 'tls.hostname_mismatch',
    when: [
      { codes: ['ERR_TLS_CERT_ALTNAME_INVALID'] },
      { message: /does not match certificate's altnames/i },
    ],
    category: 'network',
    transient: false,
    rootCause: 'The certificate is valid but not for the host name we connected to.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Connect using a host name listed in the certificate, not an IP or internal alias.',
  },
  {
    id: 'fetch.failed',
    when: { message: /\bfetch failed\b/i },
    category: 'network',
    transient: true,
    rootCause:
      "Node's fetch could not complete the request at the network level; the real reason is in error.cause.",
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention:
      'Log error.cause with fetch errors so the network cause (DNS, refused, timeout, TLS) is visible.',
  },
  {
    id: 'undici.connect_timeout',
    when: [{ codes: ['UND_ERR_CONNECT_TIMEOUT'] }, { message: /Connect Timeout Error/ }],
    category: 'timeout',
    transient: true,
    rootCause:
      'undici could not open the TCP/TLS connection within its connect timeout (10 s by default).',
    remedies: ['retry_with_backoff', 'increase_timeout', 'open_circuit_breaker'],
    prevention:
      "Reuse connections with a keep-alive Agent, and set connect timeouts to match the upstream's latency.",
  },
  {
    id: 'undici.headers_timeout',
    when: [{ codes: ['UND_ERR_HEADERS_TIMEOUT'] }, { message: /Headers Timeout Error/ }],
    // Node's fetch reports it as "fetch failed" with this as its cause; the cause must win.
    priority: 1,
    category: 'timeout',
    // The limit is fixed (300 s by default): an upstream that slow is as slow on the next try.
    transient: false,
    rootCause:
      'The server accepted the request but sent no response headers within headersTimeout (300 s by default); slow generation or a hung upstream.',
    remedies: ['increase_timeout', 'retry_with_backoff', 'reduce_batch_size'],
    prevention:
      'Stream long responses, or raise headersTimeout on a dedicated Agent for slow endpoints.',
  },
  {
    id: 'undici.body_timeout',
    when: [{ codes: ['UND_ERR_BODY_TIMEOUT'] }, { message: /Body Timeout Error/ }],
    category: 'timeout',
    transient: true,
    rootCause: 'The response body stopped arriving for longer than bodyTimeout.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: 'Resume downloads where possible and raise bodyTimeout for slow streams.',
  },
  {
    id: 'undici.socket_closed',
    when: [{ codes: ['UND_ERR_SOCKET'] }, { message: /SocketError: other side closed/ }],
    category: 'network',
    transient: true,
    rootCause: 'The server closed the socket while undici was using it.',
    remedies: ['reconnect', 'retry_with_backoff'],
    prevention:
      "Keep client keep-alive timeouts shorter than the server's and retry idempotent requests.",
  },
  {
    id: 'abort.timeout',
    when: [
      { names: ['TimeoutError'], message: /aborted due to timeout/i },
      { message: /The operation was aborted due to timeout/i },
    ],
    category: 'timeout',
    transient: true,
    rootCause: 'An AbortSignal.timeout() fired before the operation finished.',
    remedies: ['increase_timeout', 'retry_with_backoff', 'reduce_batch_size'],
    prevention: 'Size timeouts from observed latency percentiles and split long operations.',
  },
  {
    id: 'axios.timeout',
    when: { message: /timeout of \d+ms exceeded/i },
    category: 'timeout',
    transient: true,
    rootCause: 'axios gave up waiting for the response after its configured timeout.',
    remedies: ['increase_timeout', 'retry_with_backoff', 'open_circuit_breaker'],
    prevention:
      'Set timeouts per endpoint from observed latency; retry idempotent requests with backoff.',
  },
  {
    id: 'axios.network_error',
    when: [{ codes: ['ERR_NETWORK'] }, { names: ['AxiosError'], message: /Network Error/ }],
    category: 'network',
    transient: true,
    rootCause:
      'axios got no response at all: DNS, refused connection, CORS (in browsers) or a dropped network.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention:
      'Log the underlying cause (error.cause / error.code) and add a circuit breaker per upstream.',
  },
  {
    id: 'go.client_timeout',
    when: { message: /context deadline exceeded \(Client\.Timeout|Client\.Timeout exceeded while/ },
    category: 'timeout',
    transient: true,
    rootCause:
      "A Go HTTP client gave up: the server did not answer (headers or body) within the client's Timeout.",
    remedies: ['retry_with_backoff', 'increase_timeout', 'open_circuit_breaker'],
    prevention:
      'Set timeouts per endpoint from measured latency, and retry idempotent requests with backoff.',
  },
  {
    id: 'tls.wrong_version_number',
    when: { message: /WRONG_VERSION_NUMBER|\bwrong version number\b/i },
    category: 'network',
    transient: false,
    rootCause:
      'The client speaks TLS to a port that answers in plain text (or the reverse): the scheme or the port is wrong.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Match the URL scheme to the port: https:// only where the server terminates TLS.',
  },
  {
    id: 'grpc.unavailable',
    when: { message: /\bcode = Unavailable\b|\bStatusCode\.UNAVAILABLE\b|\b14 UNAVAILABLE:/ },
    category: 'network',
    transient: true,
    rootCause:
      'The gRPC channel could not reach a ready server: it is restarting, overloaded or unreachable.',
    remedies: ['retry_with_backoff', 'reconnect', 'open_circuit_breaker'],
    prevention: 'Give the channel a retry policy with backoff and keepalives.',
  },
  {
    id: 'grpc.deadline_exceeded',
    when: {
      message:
        /\bcode = DeadlineExceeded\b|\bStatusCode\.DEADLINE_EXCEEDED\b|\b4 DEADLINE_EXCEEDED:|\bDeadlineExceededException\b|\b504 Deadline Exceeded\b/,
    },
    category: 'timeout',
    transient: true,
    rootCause: 'The gRPC call did not finish within its deadline.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: 'Set deadlines from the measured latency of the call, per method.',
  },
  {
    id: 'amqp.missed_heartbeats',
    when: { message: /missed heartbeats from client|Too many heartbeats missed/i },
    category: 'network',
    transient: true,
    rootCause:
      "The broker and the client stopped hearing each other's heartbeats (a blocked event loop or a dropped link), so the connection was closed.",
    remedies: ['reconnect', 'retry_with_backoff'],
    prevention:
      'Keep the thread that sends heartbeats free of long work, and reconnect automatically.',
  },
  {
    id: 'grpc.too_many_pings',
    when: { message: /too_many_pings|ENHANCE_YOUR_CALM/i },
    category: 'network',
    transient: false,
    rootCause:
      'The gRPC client sends keepalive pings more often than the server allows, so the server closes the connection (GOAWAY).',
    remedies: ['escalate'],
    prevention: "Set the client's keepalive time at or above the server's minimum ping interval.",
  },
  {
    id: 'tls.dh_key_too_small',
    when: { message: /DH_KEY_TOO_SMALL|dh key too small/i },
    category: 'network',
    transient: false,
    rootCause:
      "The server offers a Diffie-Hellman key shorter than the client's OpenSSL security level accepts.",
    remedies: ['escalate'],
    prevention: "Upgrade the server's TLS configuration (2048-bit DH or ECDHE).",
  },
  {
    id: 'http.incomplete_body',
    when: {
      message:
        /peer closed connection without sending complete message body|incomplete chunked read|ERR_STREAM_PREMATURE_CLOSE|Premature close/i,
    },
    category: 'network',
    transient: true,
    rootCause:
      'The server or a proxy closed the connection before the whole response body arrived.',
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention: 'Retry idempotent requests, and stream large bodies with timeouts that fit them.',
  },
  {
    id: 'http.unexpected_end_of_stream',
    when: { message: /\bunexpected end of stream\b/i },
    category: 'network',
    transient: true,
    rootCause:
      'The server (or a proxy) closed a reused keep-alive connection just as the client sent on it, so the response ended before it began.',
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention:
      "Keep the client's idle-connection timeout below the server's keep-alive timeout, and retry idempotent calls.",
  },
]);
