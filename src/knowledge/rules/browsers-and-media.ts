import { defineRules } from './rule.js';

/**
 * Headless browsers, scrapers and the file and media tools jobs run (Chrome, Selenium, Playwright,
 * ffmpeg, ImageMagick, Pillow, sharp, poppler, PDF readers) and the push services they deliver
 * through: a binary not installed, a page that crashed or moved on, input a decoder cannot read.
 */
export const BROWSER_AND_MEDIA_RULES = defineRules([
  {
    id: 'chrome.page_crashed',
    when: {
      message: /session deleted because of page crash|\bPage crashed!|Inspector\.targetCrashed/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      "The browser tab crashed, most often because /dev/shm in the container (64 MB by default) is too small for Chrome's shared memory.",
    remedies: ['increase_memory', 'escalate'],
    prevention:
      'Give the container more shared memory (--shm-size) or launch Chrome with --disable-dev-shm-usage.',
  },
  {
    id: 'chrome.failed_to_start',
    when: {
      message: /Chrome failed to start: exited abnormally|DevToolsActivePort file doesn't exist/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'Chrome exited as soon as the driver started it: no display on a server, running as root without --no-sandbox, or a Chrome and driver of different versions.',
    remedies: ['escalate'],
    prevention:
      'Start Chrome headless with --no-sandbox in containers, and pin Chrome and its driver together.',
  },
  {
    id: 'webdriver.driver_not_in_path',
    when: {
      message:
        /'(?:chromedriver|geckodriver|msedgedriver|operadriver)' executable needs to be in PATH/i,
    },
    category: 'build',
    transient: false,
    rootCause: 'Selenium found no browser driver executable on the PATH of the machine running it.',
    remedies: ['escalate'],
    prevention:
      'Install the driver in the image (or let Selenium Manager fetch it), matching the browser version.',
  },
  {
    id: 'webdriver.stale_element',
    when: { message: /stale element reference|\bStaleElementReference(?:Error|Exception)\b/i },
    category: 'other',
    transient: true,
    rootCause:
      'The element found earlier was replaced when the page re-rendered, so the reference no longer points into the document.',
    remedies: ['retry', 'escalate'],
    prevention:
      'Find elements right before using them, and wait for the page to settle after actions.',
  },
  {
    id: 'browser.context_destroyed',
    when: { message: /Execution context was destroyed, most likely because of a navigation/i },
    category: 'other',
    transient: true,
    rootCause:
      'The page navigated while a script was being evaluated in it, so the evaluation lost its page.',
    remedies: ['retry', 'escalate'],
    prevention:
      'Wait for navigations an action causes (waitForNavigation, waitForURL) before evaluating.',
  },
  {
    id: 'cpu.microarchitecture_too_old',
    when: {
      message:
        /can only be run on AMD64 processors with v\d microarchitecture support|CPU ISA level is lower than required/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The binary was built for a newer x86-64 level (v2, v3) than the CPU of this machine (or its emulator) supports.',
    remedies: ['escalate'],
    prevention:
      'Build for the baseline x86-64 level, or run on hosts whose CPUs support the target level.',
  },
  {
    id: 'sharp.native_module_missing',
    when: { message: /Could not load the "sharp" module using the [\w-]+ runtime/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "sharp's native binary for this platform (OS, CPU, libc) is not installed: the modules were installed on another platform, or optional dependencies were skipped.",
    remedies: ['escalate'],
    prevention:
      'Install dependencies on the platform that runs them (or with --os/--cpu/--libc set for it).',
  },
  {
    id: 'ffmpeg.not_installed',
    when: { message: /Cannot find ffmpeg|Couldn't find ffmpeg or avconv|ffmpeg was not found/i },
    category: 'build',
    transient: false,
    rootCause:
      'The ffmpeg executable the library shells out to is not installed or not on the PATH.',
    remedies: ['escalate'],
    prevention:
      'Install ffmpeg in the image (or a static build package) and point the library at it.',
  },
  {
    id: 'ffmpeg.unknown_encoder',
    when: { message: /Unknown encoder '[\w-]+'/ },
    category: 'build',
    transient: false,
    rootCause:
      'The ffmpeg build on this machine was compiled without the encoder asked for (e.g. libx264).',
    remedies: ['escalate'],
    prevention:
      'Use an ffmpeg build with the codecs the jobs need, and check `ffmpeg -encoders` at start-up.',
  },
  {
    id: 'media.moov_atom_missing',
    when: { message: /moov atom not found/i },
    category: 'other',
    transient: false,
    rootCause:
      'The MP4 file has no index (moov atom): it was truncated, still being written, or never finalised by the recorder.',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Process uploads only once complete, and write MP4s with the index at the start (faststart).',
  },
  {
    id: 'imagemagick.cache_exhausted',
    when: { message: /cache resources exhausted/i },
    category: 'resource',
    transient: false,
    rootCause:
      "ImageMagick's pixel cache hit its memory, disk or area limit (policy.xml) for an image this large.",
    remedies: ['increase_memory', 'escalate'],
    prevention:
      "Raise the resource limits in ImageMagick's policy.xml for the sizes the jobs handle, or downscale first.",
  },
  {
    id: 'pillow.decompression_bomb',
    when: { message: /\bDecompressionBombError\b|could be decompression bomb DOS attack/i },
    category: 'resource',
    transient: false,
    rootCause: "The image has more pixels than Pillow's safety limit (MAX_IMAGE_PIXELS) allows.",
    remedies: ['escalate'],
    prevention:
      'Set Image.MAX_IMAGE_PIXELS for the sizes the job expects, or reject oversized uploads early.',
  },
  {
    id: 'pillow.rgba_as_jpeg',
    when: { message: /cannot write mode RGBA? as JPEG/i },
    category: 'other',
    transient: false,
    rootCause: 'An image with an alpha channel (RGBA, P) is saved as JPEG, which has none.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Convert images to RGB before saving them as JPEG.',
  },
  {
    id: 'image.truncated',
    when: { message: /image file is truncated/i },
    category: 'other',
    transient: false,
    rootCause: 'The image file ends early: a partial download or upload, or a corrupt file.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Verify sizes or checksums of downloaded images before decoding them.',
  },
  {
    id: 'image.unrecognised_format',
    when: {
      message:
        /cannot identify image file|\bUnidentifiedImageError\b|Input buffer contains? unsupported image format/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The bytes given to the image library are not an image it can decode: an HTML error page saved as an image, an empty file, or an unsupported format.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Check the content type and status of downloads before decoding them.',
  },
  {
    id: 'pdf.eof_marker_missing',
    when: { message: /EOF marker not found/i },
    category: 'other',
    transient: false,
    rootCause: 'The PDF is malformed or truncated: it has no end-of-file marker.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Check downloaded PDFs are complete, and fall back to a more lenient parser.',
  },
  {
    id: 'poppler.not_installed',
    when: {
      message:
        /Unable to get page count\. Is poppler installed|\bPDFInfoNotInstalledError\b|No such file or directory: 'pdf(?:info|toppm)'/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      "poppler's command-line tools (pdfinfo, pdftoppm), which pdf2image runs, are not installed.",
    remedies: ['escalate'],
    prevention: 'Install poppler-utils in the image that runs PDF jobs.',
  },
  {
    id: 'apns.bad_device_token',
    when: { message: /\bBadDeviceToken\b/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'APNs rejected the device token: it belongs to the other environment (sandbox against production) or is no longer valid.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Store the APNs environment with each token, and drop tokens APNs rejects.',
  },
  {
    id: 'fcm.token_not_registered',
    when: {
      message:
        /(?:Firebase\w*|Fcm\w*)[\s\S]{0,120}Requested entity was not found|registration-token-not-registered/i,
    },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The FCM registration token is no longer valid: the app was uninstalled or the token rotated.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Delete tokens FCM reports as unregistered, and refresh tokens from the app.',
  },
]);
