/**
 * Delta debugging, `ddmin` (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing
 * Input", IEEE TSE 2002): given a list for which `stillFails` is true, find a sub-list (order kept)
 * that still fails and is 1-minimal — removing any single element makes the failure go away.
 *
 * Classic algorithm: split the current list into n chunks; if some chunk alone fails, continue with
 * it and n = 2; else if some complement (all but one chunk) fails, continue with it and
 * n = max(n − 1, 2); else double n (at most the length); stop when n is the length and nothing
 * smaller fails. A final pass removing single elements certifies 1-minimality. Predicate results
 * are cached by index set. The search is one generator that yields the subsets it wants tested, so
 * the same code serves a synchronous predicate (`ddminSync`, the model) and an asynchronous one
 * (`ddmin`, slow or real-time stacks).
 */

export interface DdminOptions {
  /** Stop after this many predicate calls (default unlimited); the smallest failing list so far is returned. */
  readonly maxTests?: number;
}

export interface DdminResult<T> {
  readonly items: readonly T[];
  /** Predicate calls made (cache hits not counted). */
  readonly tests: number;
  /** False when `maxTests` cut the search short (the result still fails but may not be 1-minimal). */
  readonly complete: boolean;
}

/** Split [0, len) into n nearly equal consecutive ranges. */
function chunks(n: number, len: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((len - start) / (n - i));
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** The search: yields index subsets to test, receives whether each still fails, returns the minimal index list. */
function* search(len: number): Generator<readonly number[], number[], boolean> {
  let cur: number[] = Array.from({ length: len }, (_, i) => i);
  let n = 2;
  while (cur.length >= 2) {
    const parts = chunks(Math.min(n, cur.length), cur.length).map(([s, e]) => cur.slice(s, e));
    let next: number[] | null = null;
    for (const p of parts) {
      if (p.length < cur.length && (yield p)) {
        next = p;
        n = 2;
        break;
      }
    }
    if (next === null && parts.length > 2) {
      for (let i = 0; i < parts.length; i++) {
        const comp = parts.flatMap((p, j) => (j === i ? [] : p));
        if (yield comp) {
          next = comp;
          n = Math.max(n - 1, 2);
          break;
        }
      }
    }
    if (next !== null) {
      cur = next;
      continue;
    }
    if (n >= cur.length) break;
    n = Math.min(cur.length, 2 * n);
  }
  for (let i = 0; i < cur.length; ) {
    const without = cur.filter((_, j) => j !== i);
    if (yield without) cur = without;
    else i++;
  }
  return cur;
}

class Tester<T> {
  private readonly cache = new Map<string, boolean>();
  tests = 0;
  cut = false;
  constructor(
    private readonly items: readonly T[],
    private readonly max: number,
  ) {}
  /** Cached answer, or null when the predicate must run (and may: below maxTests). */
  lookup(idx: readonly number[]): boolean | null {
    const hit = this.cache.get(idx.join(','));
    if (hit !== undefined) return hit;
    if (this.tests >= this.max) {
      this.cut = true;
      return false;
    }
    return null;
  }
  store(idx: readonly number[], r: boolean): boolean {
    this.tests++;
    this.cache.set(idx.join(','), r);
    return r;
  }
  pick(idx: readonly number[]): T[] {
    return idx.map((i) => this.items[i]!);
  }
}

/** ddmin with a synchronous predicate. */
export function ddminSync<T>(items: readonly T[], stillFails: (xs: readonly T[]) => boolean, opts: DdminOptions = {}): DdminResult<T> {
  const t = new Tester(items, opts.maxTests ?? Infinity);
  const g = search(items.length);
  let r = g.next();
  while (r.done !== true) {
    const idx = r.value;
    const known = t.lookup(idx);
    r = g.next(known ?? t.store(idx, stillFails(t.pick(idx))));
  }
  return { items: t.pick(r.value), tests: t.tests, complete: !t.cut };
}

/** ddmin with a synchronous or asynchronous predicate. */
export async function ddmin<T>(items: readonly T[], stillFails: (xs: readonly T[]) => boolean | Promise<boolean>, opts: DdminOptions = {}): Promise<DdminResult<T>> {
  const t = new Tester(items, opts.maxTests ?? Infinity);
  const g = search(items.length);
  let r = g.next();
  while (r.done !== true) {
    const idx = r.value;
    const known = t.lookup(idx);
    r = g.next(known ?? t.store(idx, await stillFails(t.pick(idx))));
  }
  return { items: t.pick(r.value), tests: t.tests, complete: !t.cut };
}
