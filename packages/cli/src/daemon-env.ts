// The environment Weir starts its long-running processes with (the lab's daemon, server and
// controllers; the benchmarks do the same). glibc gives threads that allocate their own malloc
// arenas — up to eight per core — and a Node daemon's libuv and V8 helper threads each keep one,
// whose freed pages still count in its RSS. Two arenas cut a controller at 10,000 ports from
// 146–153 to 135–138 MiB at no measurable CPU cost (docs/benchmarks.md, W4; ADR 0012). What the
// caller's environment sets wins.
export function daemonEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
