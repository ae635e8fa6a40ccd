import { defineRules } from './rule.js';

/**
 * Building, signing and shipping mobile and desktop apps in CI (Android Gradle builds and SDKs,
 * Xcode, code signing and provisioning, CocoaPods, emulators and simulators, App Store Connect and
 * Google Play uploads, the CI runners themselves): most of it needs a person, a few pass with a
 * rerun.
 */
export const MOBILE_BUILD_RULES = defineRules([
  {
    id: 'android.sdk_location_missing',
    when: { message: /SDK location not found\. Define (?:a valid SDK location|location) with/i },
    category: 'build',
    transient: false,
    rootCause:
      'The build cannot find the Android SDK: neither ANDROID_HOME nor sdk.dir in local.properties points at one.',
    remedies: ['escalate'],
    prevention: 'Install the SDK in the build image and set ANDROID_HOME there.',
  },
  {
    id: 'android.gradle_plugin_needs_newer_jdk',
    when: { message: /Android Gradle plugin requires Java \d+ to run/i },
    category: 'build',
    transient: false,
    rootCause: 'The Android Gradle plugin version needs a newer JDK than the one running Gradle.',
    remedies: ['escalate'],
    prevention:
      'Pin the JDK of the build (setup-java, the image) to what the plugin version requires.',
  },
  {
    id: 'android.manifest_min_sdk',
    when: {
      message: /uses-sdk:minSdkVersion \d+ cannot be smaller than version \d+ declared in library/i,
    },
    category: 'build',
    transient: false,
    rootCause: "The app's minSdkVersion is lower than a library it depends on requires.",
    remedies: ['escalate'],
    prevention: "Raise the app's minSdkVersion with the dependency that needs it.",
  },
  {
    id: 'android.dex_method_limit',
    when: { message: /Cannot fit requested classes in a single dex file/i },
    category: 'build',
    transient: false,
    rootCause: 'The app has more than 65,536 methods and is built without multidex.',
    remedies: ['escalate'],
    prevention: 'Enable multidex (or raise minSdk to 21+), and shrink dependencies with R8.',
  },
  {
    id: 'android.keystore_password',
    when: {
      message:
        /Keystore was tampered with, or password was incorrect|Failed to read key [\w.-]+ from store/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The signing keystore's password or key alias given to the build is wrong (or the keystore secret is not the file it names).",
    remedies: ['escalate'],
    prevention:
      'Keep keystore, alias and passwords together in one secret, and test the release signing in CI.',
  },
  {
    id: 'android.emulator_no_acceleration',
    when: { message: /x86(?:_64)? emulation currently requires hardware acceleration/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The machine running the Android emulator has no KVM (or HAXM) hardware acceleration.',
    remedies: ['escalate'],
    prevention: 'Run emulators on runners with KVM enabled, or use an ARM image on ARM hosts.',
  },
  {
    id: 'android.emulator_boot_timeout',
    when: {
      message: /Timeout waiting for emulator to boot|emulator did not boot/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'The Android emulator did not finish booting in the time the CI step waits, on a busy or slow runner.',
    remedies: ['retry', 'increase_timeout'],
    prevention: 'Cache emulator snapshots, and give boot a longer wait on shared runners.',
  },
  {
    id: 'xcode.simulator_boot_timeout',
    when: {
      message:
        /Timed out waiting \d+ seconds for simulator to boot|Test runner never began executing tests after launching/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'The iOS simulator did not boot (or the test runner did not start in it) in the time xcodebuild waits, on a busy runner.',
    remedies: ['retry', 'increase_timeout'],
    prevention:
      'Boot the simulator in its own step before testing, and shut down stale simulators.',
  },
  {
    id: 'gradle.jvm_metaspace',
    when: {
      message:
        /OutOfMemoryError: Metaspace|running out of JVM Metaspace|What went wrong:\s*Metaspace/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      "The Gradle (or Kotlin) daemon's JVM ran out of metaspace, which its default MaxMetaspaceSize caps.",
    remedies: ['increase_memory', 'escalate'],
    prevention:
      'Set -XX:MaxMetaspaceSize in org.gradle.jvmargs (and kotlin.daemon.jvmargs) for large builds.',
  },
  {
    id: 'gradle.wrapper_download_failed',
    when: {
      message:
        /Downloading from \S+gradle[^\n]*(?:failed|timed out)|Exception in thread "main" java\.io\.IOException: Downloading from \S+/i,
    },
    category: 'network',
    transient: true,
    rootCause:
      'The Gradle wrapper could not download its distribution (a timeout or a dropped connection to services.gradle.org or a mirror).',
    remedies: ['retry_with_backoff'],
    prevention:
      'Cache ~/.gradle/wrapper/dists between builds, or host the distribution next to the runners.',
  },
  {
    id: 'ios.no_signing_certificate',
    when: { message: /No signing certificate "[^"]+" found|No (?:valid )?signing certificate/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The keychain the build uses has no signing certificate of the kind the export asks for.',
    remedies: ['escalate'],
    prevention:
      'Install the certificate into the CI keychain (match, a secrets step) before archiving.',
  },
  {
    id: 'ios.provisioning_profile_mismatch',
    when: {
      message:
        /Provisioning profile "[^"]+" doesn't include (?:signing certificate|the currently selected device)/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The provisioning profile was made for another signing certificate than the one in the keychain.',
    remedies: ['escalate'],
    prevention:
      'Regenerate profiles with the certificate CI signs with (e.g. fastlane match), and keep them in sync.',
  },
  {
    id: 'ios.codesign_keychain_locked',
    when: { message: /\berrSecInternalComponent\b/ },
    category: 'auth',
    transient: false,
    rootCause:
      'codesign could not use the private key: the keychain is locked (or lacks the partition list) in a non-interactive session.',
    remedies: ['escalate'],
    prevention: 'Unlock the build keychain and set its key partition list before signing.',
  },
  {
    id: 'xcode.destination_not_found',
    when: { message: /Unable to find a destination matching the provided destination specifier/i },
    category: 'build',
    transient: false,
    rootCause:
      'The simulator runtime or device named in -destination is not installed on this Xcode.',
    remedies: ['escalate'],
    prevention:
      "Pick destinations from the runner image's installed simulators, or install the runtime first.",
  },
  {
    id: 'xcode.script_sandbox_denied',
    when: { message: /Sandbox: [\w.-]+\(\d+\) deny\(\d+\) file-(?:write|read)/i },
    category: 'build',
    transient: false,
    rootCause:
      "Xcode's user script sandboxing (ENABLE_USER_SCRIPT_SANDBOXING) blocked a build phase script, often CocoaPods' rsync.",
    remedies: ['escalate'],
    prevention:
      'Turn user script sandboxing off for targets whose scripts write outside their declared outputs.',
  },
  {
    id: 'cocoapods.cdn_download_failed',
    when: { message: /CDN: trunk URL couldn't be downloaded|CDN: trunk Repo update failed/i },
    category: 'network',
    transient: true,
    rootCause:
      "CocoaPods could not fetch a spec from its CDN (a timeout or a failure on the CDN's side).",
    remedies: ['retry_with_backoff'],
    prevention: 'Cache the Pods directory and the spec repo between builds.',
  },
  {
    id: 'cocoapods.incompatible_versions',
    when: { message: /CocoaPods could not find compatible versions for pod/i },
    category: 'build',
    transient: false,
    rootCause:
      'The Podfile, its lock file and the local spec repo disagree on versions: the spec repo is outdated, or the constraints conflict.',
    remedies: ['escalate'],
    prevention:
      'Run `pod repo update` (or `pod install --repo-update`) in CI, and commit Podfile.lock.',
  },
  {
    id: 'app_store.redundant_binary',
    when: { message: /ITMS-90189|Redundant Binary Upload/i },
    category: 'deployment',
    transient: false,
    rootCause: 'A build with this build number was already uploaded for the version.',
    remedies: ['escalate'],
    prevention: 'Increment the build number on every upload (from the CI run number).',
  },
  {
    id: 'app_store.sdk_too_old',
    when: { message: /ITMS-90725|This app was built with the iOS [\d.]+ SDK/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The App Store no longer accepts apps built with this iOS SDK: the Xcode on the runner is too old.',
    remedies: ['escalate'],
    prevention: "Move builds to the Xcode the App Store requires before Apple's deadline.",
  },
  {
    id: 'app_store.agreement_missing',
    when: {
      message:
        /A required agreement is missing or has expired|You do not have required contracts to perform an operation/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The Apple developer account has an agreement to accept (or a contract to renew) before the API allows the call.',
    remedies: ['escalate'],
    prevention: 'Have the account holder accept new agreements when Apple publishes them.',
  },
  {
    id: 'app_store.rate_limit',
    // Google APIs answer RATE_LIMIT_EXCEEDED too; Apple's own wording and spaceship's trace say whose.
    when: {
      message:
        /The request rate limit has been reached|Rate limit has been exceeded for: \w+|spaceship[\s\S]{0,300}?RATE_LIMIT_EXCEEDED/,
    },
    category: 'rate_limit',
    transient: true,
    rootCause: "App Store Connect's API rate limit (per hour, per key) was exceeded.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency'],
    prevention: 'Poll build processing less often, and spread release jobs over time.',
  },
  {
    id: 'google_play.version_code_used',
    when: {
      message:
        /\bapkUpgradeVersionConflict\b|APK specifies a version code that has already been used/i,
    },
    category: 'deployment',
    transient: false,
    rootCause: 'The bundle carries a versionCode Google Play already has.',
    remedies: ['escalate'],
    prevention: 'Derive versionCode from the CI run number, so each upload has a new one.',
  },
  {
    id: 'google_play.draft_app',
    when: { message: /Only releases with status draft may be created on draft app/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The app has never been published, so Google Play accepts only draft releases until the first release is rolled out by hand.',
    remedies: ['escalate'],
    prevention: 'Publish the first release from the Play Console, or upload with status draft.',
  },
  {
    id: 'google_play.daily_quota',
    when: { message: /\bpublishingDailySaveQuotaExceeded\b|Daily save quota exceeded/i },
    category: 'quota_exhausted',
    transient: true,
    rootCause:
      "The Play Developer API's daily quota of edit commits for the app is used up; it resets the next day.",
    remedies: ['wait_for_rate_limit', 'escalate'],
    prevention: 'Commit one edit per release rather than one per change.',
  },
  {
    id: 'ci.runner_lost_communication',
    when: {
      message:
        /runner(?::[^\n]*)? lost communication with the server|Slave went offline during the build|hudson\.remoting\.ChannelClosedException|java\.nio\.channels\.ClosedChannelException\s+at org\.jenkinsci\.remoting/i,
    },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'The CI runner stopped talking to the server mid-job: it ran out of CPU or memory, lost its network, or its machine went away.',
    remedies: ['retry', 'increase_memory'],
    prevention:
      "Keep jobs within the runner's memory and CPU, and watch for starved self-hosted runners.",
  },
  {
    id: 'ci.hosted_runner_error',
    when: { message: /The hosted runner encountered an error while running your job/i },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      "GitHub's hosted runner failed under the job (a disconnect or deprovisioning on GitHub's side).",
    remedies: ['retry'],
    prevention: 'Make jobs safe to rerun, and rerun failed jobs automatically once.',
  },
  {
    id: 'electron_builder.gh_token_missing',
    when: {
      message: /GitHub Personal Access Token is not set, neither programmatically, nor using env/i,
    },
    category: 'auth',
    transient: false,
    rootCause: 'electron-builder publishes to GitHub releases and finds no GH_TOKEN in the job.',
    remedies: ['escalate'],
    prevention:
      'Pass GH_TOKEN to the publish step, or build with --publish never where nothing is published.',
  },
]);
