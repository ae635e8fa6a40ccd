import { defineRules } from './rule.js';

/** Container runtimes, Kubernetes objects and the hosts they run on (Docker, Helm, glibc, CUDA). */
export const CONTAINER_RULES = defineRules([
  {
    id: 'helm.resource_not_owned',
    when: {
      message:
        /rendered manifests contain a resource that already exists|exists and cannot be imported into the current release: invalid ownership metadata/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The chart would create an object that already exists outside this release (installed by hand or by another release), and Helm will not adopt it.',
    remedies: ['escalate'],
    prevention:
      'Delete the stray object or label and annotate it for the release (meta.helm.sh/release-name), and keep one owner per object.',
  },
  {
    id: 'k8s.pvc_unbound',
    when: {
      message:
        /pod has unbound immediate PersistentVolumeClaims|no persistent volumes available for this claim and no storage class is set/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'A claim of the pod has no volume: no default StorageClass, or none that can satisfy its size and access mode.',
    remedies: ['escalate'],
    prevention:
      'Give the cluster a default StorageClass with a provisioner and check claims bind before rolling out.',
  },
  {
    id: 'k8s.volume_multi_attach',
    when: { message: /Multi-Attach error for volume/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'A ReadWriteOnce volume is still attached to another node (the old pod there has not released it), so the new pod cannot mount it.',
    remedies: ['escalate'],
    prevention:
      'Use the Recreate strategy (or ReadWriteMany) for workloads with ReadWriteOnce volumes.',
  },
  {
    id: 'k8s.rbac_forbidden',
    when: { message: /is forbidden: User "system:serviceaccount:[^"]+" cannot \w+ resource/i },
    category: 'auth',
    transient: false,
    rootCause:
      "The pod's service account lacks an RBAC Role or ClusterRole binding for the call it makes.",
    remedies: ['escalate'],
    prevention:
      'Ship the Role and RoleBinding the workload needs with its manifests, and test them with kubectl auth can-i.',
  },
  {
    id: 'docker.container_name_in_use',
    when: { message: /Conflict\. The container name "[^"]+" is already in use/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'A container with the same name exists (stopped or running), left by an earlier run.',
    remedies: ['escalate'],
    prevention:
      'Remove old containers before starting (docker rm -f, --rm) or let the runtime name them.',
  },
  {
    id: 'docker.address_pools_exhausted',
    when: { message: /could not find an available, non-overlapping IPv4 address pool/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "Docker's default address pools are all used by existing networks (often many compose projects), so no new network can be created.",
    remedies: ['escalate'],
    prevention: 'Prune unused networks and configure default-address-pools with smaller subnets.',
  },
  {
    id: 'container.exec_format_error',
    when: {
      message:
        /exec (?:user process caused:? "?)?(?:\S+: )?exec format error|no matching manifest for (?:linux|windows)\/\w+/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      "The image's binaries are built for another CPU architecture than the node's (an arm64 image on amd64 or the reverse), or the entrypoint script lacks a shebang.",
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Build multi-architecture images (docker buildx --platform) and pin the platform the cluster runs.',
  },
  {
    id: 'container.entrypoint_not_runnable',
    when: {
      message:
        /OCI runtime (?:create|exec) failed[^\n]*(?:executable file not found in \$PATH|permission denied|no such file or directory)|exec: "[^"]+": (?:executable file not found in \$PATH|permission denied)|^(?:[\w-]+\s+\|\s+)?exec \/\S+: no such file or directory|\/usr\/bin\/env: ['‘]\w+\\r['’]: No such file or directory|exec user process caused:? "?no such file or directory/im,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      "The container's entrypoint or command is missing from the image, not executable, or not on PATH.",
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Copy the entrypoint with its executable bit (chmod +x) and use absolute paths in ENTRYPOINT/CMD.',
  },
  {
    id: 'host.glibc_too_old',
    when: { message: /version `GLIBC_\d+\.\d+' not found/i },
    category: 'deployment',
    transient: false,
    rootCause: 'The binary was built against a newer glibc than the host or image provides.',
    remedies: ['escalate'],
    prevention:
      'Build on the oldest glibc you deploy to (or link statically / use musl), and match base images.',
  },
  {
    id: 'cuda.driver_too_old',
    when: {
      message:
        /CUDA driver version is insufficient for CUDA runtime version|cudaErrorInsufficientDriver|The NVIDIA driver on your system is too old/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      "The host's NVIDIA driver is older than the CUDA runtime the program was built with.",
    remedies: ['escalate'],
    prevention:
      "Pin the CUDA image to what the nodes' driver supports, or upgrade the driver first.",
  },
  {
    id: 'k8s.object_modified',
    when: {
      message:
        /the object has been modified; please apply your changes to the latest version and try again/i,
    },
    category: 'other',
    transient: true,
    rootCause:
      'An update to a Kubernetes object lost an optimistic-concurrency race (its resourceVersion was stale); controllers retry it.',
    remedies: ['retry', 'retry_with_backoff'],
    prevention: 'Re-read the object and retry the update, or use server-side apply.',
  },
  {
    id: 'github_actions.artifact_conflict',
    when: { message: /an artifact with this name already exists on the workflow run/i },
    category: 'other',
    transient: false,
    rootCause:
      'Two jobs (a matrix, a re-run) upload an artifact under one name, which upload-artifact v4 refuses.',
    remedies: ['escalate'],
    prevention:
      'Give each job its artifact name (include the matrix values), or merge them afterwards.',
  },
  {
    id: 'k8s.api_unreachable',
    when: {
      message:
        /Unable to connect to the server: (?:dial tcp \S+: (?:i\/o timeout|connect: connection refused)|net\/http: TLS handshake timeout)/i,
    },
    category: 'network',
    transient: false,
    rootCause:
      "kubectl cannot reach the cluster's API server: a wrong or stale address in kubeconfig, a firewall or VPN in the way, or the control plane down.",
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Keep kubeconfig current with the cluster, and reach private API servers through the network path the job runs in.',
  },
  {
    id: 'docker.socket_permission_denied',
    when: { message: /permission denied while trying to connect to the Docker daemon socket/i },
    category: 'auth',
    transient: false,
    rootCause:
      "The user running the job may not use the Docker daemon's socket (not in the docker group, or a rootless setup pointing elsewhere).",
    remedies: ['escalate'],
    prevention:
      "Add the job's user to the docker group, or point DOCKER_HOST at a socket it may use.",
  },
  {
    id: 'docker.insecure_registry',
    when: { message: /server gave HTTP response to HTTPS client/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The registry speaks plain HTTP, and the Docker daemon talks HTTPS to every registry not listed as insecure.',
    remedies: ['escalate'],
    prevention:
      'Serve the registry over TLS, or list it in insecure-registries on every daemon that uses it.',
  },
]);
