import { describe, expect, it } from 'vitest';
import { unwrapMessage } from '../../src/patterns/unwrap.js';

describe('unwrapMessage', () => {
  it('takes the exception a Python traceback ends with, not the source line above it', () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/app/sync.py", line 41, in fetch',
      '    self._sslobj.do_handshake()',
      'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)',
    ].join('\n');
    expect(unwrapMessage(traceback)).toEqual({
      core: 'wrong version number (_ssl.c:1006)',
      name: 'SSLError',
    });
  });

  it('skips lines around a failure that say nothing of it: an echoed command, a heading', () => {
    expect(
      unwrapMessage(
        '~ $ npm install express --save\nnpm ERR! code ENOTEMPTY\nnpm ERR! syscall rename',
      ).core,
    ).toBe('code ENOTEMPTY');
    expect(unwrapMessage('status:\n  message: the container exceeded its memory limit').core).toBe(
      'message: the container exceeded its memory limit',
    );
  });

  it('keeps the first line when no line says that something failed', () => {
    expect(unwrapMessage('Worker 7 stopped\nshutting down').core).toBe('Worker 7 stopped');
  });

  it('takes off quotes around a whole pasted error, and keeps quotes around a part of it', () => {
    expect(
      unwrapMessage(
        '"ValueError: The model\'s max seq len (4096) is larger than `max_model_len`."',
      ),
    ).toEqual({
      core: "The model's max seq len (4096) is larger than `max_model_len`.",
      name: 'ValueError',
    });
    expect(unwrapMessage('`Expecting value: line 1 column 1`').core).toBe(
      'Expecting value: line 1 column 1',
    );
    expect(unwrapMessage("'users' and 'orders' are locked").core).toBe(
      "'users' and 'orders' are locked",
    );
  });
});
