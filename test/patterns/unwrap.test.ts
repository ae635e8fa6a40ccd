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

  it("reads Gradle's report down to its innermost cause, past the headline every cause shares", () => {
    const report = [
      '* What went wrong:',
      "A problem occurred evaluating project ':app'.",
      "> Failed to apply plugin 'com.android.internal.application'.",
      '   > Android Gradle plugin requires Java 17 to run. You are currently using Java 11.',
      '      Your current JDK is located in /opt/jdk-11',
      '',
      '* Try:',
      '> Run with --stacktrace option to get the stack trace.',
    ].join('\n');
    expect(unwrapMessage(report).core).toBe(
      'Android Gradle plugin requires Java 17 to run. You are currently using Java 11.',
    );
    // The same report pasted on one line, without its heading.
    expect(
      unwrapMessage(
        "Execution failed for task ':app:processDebugManifest'. > Manifest merger failed : uses-sdk:minSdkVersion 16 cannot be smaller than version 19",
      ).core,
    ).toBe('Manifest merger failed : uses-sdk:minSdkVersion 16 cannot be smaller than version 19');
  });

  it('keys a statement that is only a quoted sentence by the sentence', () => {
    expect(
      unwrapMessage('Getting "Signature validation failed. SAML Response rejected"').core,
    ).toBe('Signature validation failed. SAML Response rejected');
    expect(unwrapMessage('Error: "No key matching kid or alg found in signing keys"').core).toBe(
      'No key matching kid or alg found in signing keys',
    );
    // A statement with words of its own keeps them, and its quoted value.
    expect(unwrapMessage('Invalid response from Idp: ["Invalid Signature"]').core).toBe(
      'Invalid response from Idp: ["Invalid Signature"]',
    );
  });

  it("takes a JSON body's message, under the names providers give it, past its metadata lines", () => {
    const lambda = [
      '  "errorType": "AmazonS3Exception",',
      '  "errorMessage": "User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: s3:GetObject"',
    ].join('\n');
    // (A leading `Word:` reads as a class and is peeled, as anywhere else.)
    expect(unwrapMessage(lambda).core).toBe(
      'arn:aws:sts::1:assumed-role/r/f is not authorized to perform: s3:GetObject',
    );
    expect(
      unwrapMessage('{"error": "dial tcp6 [2a00::1]:443: connect: network is unreachable"}').core,
    ).toBe('dial tcp6 [2a00::1]:443: connect: network is unreachable');
  });
});
