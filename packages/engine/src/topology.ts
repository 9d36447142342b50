// Topological order with cycle refusal. Ties are broken by the order nodes were added, so the
// run order (and so the order handlers see changes in) is the same on every build.
import { EngineError } from './errors.js';

/**
 * `inputsOf[i]` lists the nodes node i reads. Returns node indices so that every node comes after
 * its inputs, or throws ENGINE_CYCLE naming one cycle.
 */
export function topologicalOrder(
  inputsOf: readonly (readonly number[])[],
  nameOf: (i: number) => string,
): number[] {
  const dependents: number[][] = inputsOf.map(() => []);
  const waiting = inputsOf.map((inputs) => new Set(inputs).size);
  inputsOf.forEach((inputs, node) => {
    for (const input of new Set(inputs)) dependents[input]?.push(node);
  });
  const order: number[] = [];
  // Always take the lowest ready index: keeps the order stable and close to insertion order.
  const ready = new Set<number>();
  waiting.forEach((n, i) => n === 0 && ready.add(i));
  while (ready.size > 0) {
    const next = Math.min(...ready);
    ready.delete(next);
    order.push(next);
    for (const d of dependents[next] ?? []) {
      const left = (waiting[d] ?? 0) - 1;
      waiting[d] = left;
      if (left === 0) ready.add(d);
    }
  }
  if (order.length < inputsOf.length) {
    const cycle = findCycle(inputsOf, new Set(order)).map(nameOf);
    throw new EngineError('ENGINE_CYCLE', `the wiring has a cycle: ${cycle.join(' -> ')}`);
  }
  return order;
}

/** Walks inputs from a node left unordered until a node repeats; returns that loop, closed. */
function findCycle(inputsOf: readonly (readonly number[])[], ordered: ReadonlySet<number>): number[] {
  const start = inputsOf.findIndex((_, i) => !ordered.has(i));
  const path: number[] = [];
  const seen = new Map<number, number>();
  let at = start;
  while (!seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    // An unordered node always has an unordered input, else it would have become ready.
    at = (inputsOf[at] ?? []).find((i) => !ordered.has(i)) ?? at;
  }
  // Reported in data-flow direction: input -> node that reads it -> ... -> back to the first.
  const loop = path.slice(seen.get(at)).reverse();
  return [...loop, loop[0] as number];
}
