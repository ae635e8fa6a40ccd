import { defineRules } from './rule.js';

/**
 * Training and inference on GPUs (PyTorch, CUDA, NCCL, Transformers, bitsandbytes) and the
 * libraries around a model: what a job meets when the machine, the driver or the checkpoint does
 * not fit the code. Almost none of it passes by itself: a person installs, upgrades or changes a
 * setting.
 */
export const GPU_AND_TRAINING_RULES = defineRules([
  {
    id: 'torch.dataloader_shared_memory',
    when: {
      message:
        /insufficient shared memory \(shm\)|DataLoader worker \(pid \d+\) is killed by signal: Bus error/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      "PyTorch's DataLoader workers pass batches through /dev/shm, and the container's shared memory (Docker's 64 MB default) is smaller than a batch.",
    remedies: ['increase_memory', 'reduce_batch_size', 'reduce_concurrency', 'escalate'],
    prevention:
      'Give the container more shared memory (--shm-size, or an emptyDir of medium Memory), or use fewer workers.',
    // Its message mentions shared memory running out, as PostgreSQL's lock-table error does.
    priority: 1,
  },
  {
    id: 'cuda.no_kernel_image',
    when: { message: /no kernel image is available for execution on the device/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "The CUDA code was compiled for other GPU architectures than this GPU's: the wheel or extension does not target its compute capability.",
    remedies: ['escalate'],
    prevention:
      'Build extensions with TORCH_CUDA_ARCH_LIST covering the GPUs the job runs on, or install a build for them.',
  },
  {
    id: 'torch.not_compiled_with_cuda',
    when: { message: /Torch not compiled with CUDA enabled/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'A CPU-only PyTorch build is installed where the code asks for a GPU (pip installed the default wheel, not the CUDA one).',
    remedies: ['escalate'],
    prevention:
      "Install PyTorch from the CUDA wheel index in the job's image, and check torch.cuda.is_available() at start-up.",
  },
  {
    id: 'bitsandbytes.cuda_setup_failed',
    when: { message: /CUDA Setup failed despite GPU being available/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'bitsandbytes could not find a CUDA runtime library matching its build (LD_LIBRARY_PATH, or a version it ships no binary for).',
    remedies: ['escalate'],
    prevention:
      'Install a bitsandbytes release built for the CUDA version in the image, and run `python -m bitsandbytes` in its build.',
  },
  {
    id: 'nccl.collective_timeout',
    when: { message: /Watchdog caught collective operation timeout/i },
    category: 'timeout',
    transient: false,
    rootCause:
      'One rank of a distributed job stopped joining a collective (a hang, uneven data, a slow step such as evaluation or saving on rank 0), and the others gave up at the process group timeout.',
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      'Give every rank the same number of steps, do slow rank-0 work outside collectives, and set the process group timeout above the slowest step.',
  },
  {
    id: 'torch.state_dict_mismatch',
    when: {
      message:
        /Error\(s\) in loading state_dict for|size mismatch for [\w.]+: copying a param with shape/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The checkpoint was saved from a model of another shape (another configuration, version or number of classes) than the one loading it.',
    remedies: ['escalate'],
    prevention:
      'Store the model configuration with the checkpoint and build the model from it before loading the weights.',
  },
  {
    id: 'cuda.device_side_assert',
    when: { message: /device-side assert(?:ion)? triggered/i },
    category: 'other',
    transient: false,
    rootCause:
      'A GPU kernel failed an assertion on its input, most often a label or index out of range (a class id at or above the number of classes).',
    remedies: ['escalate'],
    prevention:
      'Check label and index ranges against the model before training; run once with CUDA_LAUNCH_BLOCKING=1 to see the failing operation.',
  },
  {
    id: 'gpu.bf16_unsupported',
    when: { message: /Bfloat16 is only supported on GPUs with compute capability/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The model is loaded in bfloat16, which this GPU (compute capability below 8.0) cannot run.',
    remedies: ['escalate'],
    prevention: 'Choose the dtype per GPU (float16 on older cards), not per model.',
  },
  {
    id: 'huggingface.trust_remote_code',
    when: {
      message:
        /requires you to execute the (?:configuration|modeling) file in that repo on your local machine/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The model ships its own Python code, which Transformers runs only when the caller sets trust_remote_code=True.',
    remedies: ['escalate'],
    prevention:
      "Review the model repository's code, then pin its revision and set trust_remote_code where the model is loaded.",
  },
  {
    id: 'transformers.unknown_architecture',
    when: {
      message: /Transformers does not recognize this architecture/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'The checkpoint is of a model type the installed Transformers release does not know yet.',
    remedies: ['escalate'],
    prevention: 'Upgrade the library with the model, and pin both together in the job image.',
  },
  {
    id: 'llamacpp.unknown_architecture',
    when: { message: /unknown model architecture: '[\w.-]+'/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The GGUF model is of an architecture the llama.cpp build inside the server (Ollama, LM Studio, llamafile) does not support yet.',
    remedies: ['switch_model', 'escalate'],
    prevention: 'Upgrade the model server before pulling models of a new architecture.',
  },
  {
    id: 'openai.sdk_v1_removed_api',
    when: {
      message:
        /You tried to access openai\.\w+, but this is no longer supported in openai>=1\.0|\bAPIRemovedInV1\b/,
    },
    category: 'build',
    transient: false,
    rootCause:
      'The code calls the pre-1.0 OpenAI Python interface (openai.ChatCompletion…), removed in openai 1.0, which the environment now has.',
    remedies: ['escalate'],
    prevention: 'Pin the openai package in the lock file, or migrate the calls (`openai migrate`).',
  },
  {
    id: 'chroma.sqlite_too_old',
    when: { message: /unsupported version of sqlite3\.\s+Chroma\s+requires sqlite3/i },
    category: 'build',
    transient: false,
    rootCause:
      "Chroma needs SQLite 3.35 or newer, and the Python build on this machine links an older one (the OS's).",
    remedies: ['escalate'],
    prevention:
      'Use a base image with a current SQLite, or install pysqlite3-binary and load it in place of sqlite3.',
  },
  {
    id: 'litellm.provider_not_provided',
    when: { message: /LLM Provider NOT provided/ },
    category: 'other',
    transient: false,
    rootCause:
      'LiteLLM could not tell which provider the model name belongs to: the name lacks its provider prefix (e.g. `openai/`, `ollama/`).',
    remedies: ['escalate'],
    prevention: 'Configure models with their provider prefix, and check the list at start-up.',
  },
]);
