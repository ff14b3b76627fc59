// CPU-bound and no-op tasks for benchmarks/runtime-scale.mjs.
export default function task(input) {
  if (input === 0) return 0
  let x = 0
  for (let i = 0; i < input; i++) x = (x * 31 + i) % 1000003
  return x
}
