// Platform names as image-spec wants them (Go's GOOS and GOARCH values), and the names people type instead: what
// `uname -m` prints (x86_64, aarch64, armv7l) or an OS's own capitalisation (Linux). A runtime matching
// linux/amd64 finds no "x86_64" entry, so the image is "not available for this platform".

const GOOS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
  'unknown',
];
const GOARCH = [
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'arm64',
  'arm64be',
  'armbe',
  'loong64',
  'mips',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'mipsle',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
  'unknown',
];

const OS_ALIASES: Record<string, string> = { macos: 'darwin', osx: 'darwin', win: 'windows', win32: 'windows' };
const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  x64: { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armv8: { architecture: 'arm64', variant: 'v8' },
  arm64v8: { architecture: 'arm64', variant: 'v8' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  x86: { architecture: '386' },
  armv7: { architecture: 'arm', variant: 'v7' },
  armv7l: { architecture: 'arm', variant: 'v7' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armv6: { architecture: 'arm', variant: 'v6' },
  armv6l: { architecture: 'arm', variant: 'v6' },
  armel: { architecture: 'arm', variant: 'v5' },
  ppc64el: { architecture: 'ppc64le' },
};

export interface PlatformSuggestion {
  /** The Go name to write instead. */
  value: string;
  /** The variant that name implies (armv7l → arm + v7), to mention. */
  variant?: string;
}

/** The Go name meant by `value` for `field`, or undefined when it is one (or nothing close is known). */
export function suggestPlatformName(field: 'os' | 'architecture', value: string): PlatformSuggestion | undefined {
  const known = field === 'os' ? GOOS : GOARCH;
  if (known.includes(value)) return undefined;
  const lower = value.toLowerCase();
  if (known.includes(lower)) return { value: lower };
  if (field === 'os') {
    const alias = OS_ALIASES[lower];
    return alias ? { value: alias } : undefined;
  }
  const alias = ARCH_ALIASES[lower];
  return alias ? { value: alias.architecture, ...(alias.variant ? { variant: alias.variant } : {}) } : undefined;
}
