/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Read } from './api-reader.js';

/**
 * What a part of the page shows when the API has no data for it: "not available yet" when that
 * part of the server is not built or not running (501), otherwise the API's own message.
 */
export function Unavailable(props: { what: string; read: Extract<Read<unknown>, { ok: false }> }) {
  const { read } = props;
  if (read.status === 501 || read.status === 404) {
    return (
      <p class="unavailable" data-status={read.status}>
        <strong>{props.what}: not available yet.</strong> {read.message}
      </p>
    );
  }
  return (
    <p class="unavailable error" role="alert" data-status={read.status}>
      <strong>Could not read {props.what}</strong> ({read.status}): {read.message}
    </p>
  );
}
