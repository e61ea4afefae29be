/**
 * A persistent (immutable) leftist min-heap: insert and pop-min in O(log n) worst case, with
 * structural sharing, so every version of the network stays valid and cheap to keep (the simulator
 * records before/after states). Ordering is by a caller-supplied comparison.
 *
 * Okasaki, "Purely Functional Data Structures", §3.1 (leftist heaps).
 */

export interface HeapNode<T> {
  readonly item: T;
  /** Length of the right spine (the leftist "rank"). */
  readonly rank: number;
  readonly size: number;
  readonly left: HeapNode<T> | null;
  readonly right: HeapNode<T> | null;
}

export type Heap<T> = HeapNode<T> | null;

function rankOf<T>(h: Heap<T>): number {
  return h === null ? 0 : h.rank;
}

function sizeOf<T>(h: Heap<T>): number {
  return h === null ? 0 : h.size;
}

function make<T>(item: T, a: Heap<T>, b: Heap<T>): HeapNode<T> {
  const size = 1 + sizeOf(a) + sizeOf(b);
  return rankOf(a) >= rankOf(b)
    ? { item, rank: rankOf(b) + 1, size, left: a, right: b }
    : { item, rank: rankOf(a) + 1, size, left: b, right: a };
}

/** Merge two heaps. Recursion depth is bounded by the right spines, O(log n). */
export function heapMerge<T>(a: Heap<T>, b: Heap<T>, less: (x: T, y: T) => boolean): Heap<T> {
  if (a === null) return b;
  if (b === null) return a;
  return less(b.item, a.item) ? make(b.item, b.left, heapMerge(a, b.right, less)) : make(a.item, a.left, heapMerge(a.right, b, less));
}

export function heapInsert<T>(h: Heap<T>, item: T, less: (x: T, y: T) => boolean): Heap<T> {
  return heapMerge(h, { item, rank: 1, size: 1, left: null, right: null }, less);
}

export function heapPeek<T>(h: Heap<T>): T | undefined {
  return h === null ? undefined : h.item;
}

/** The heap without its minimum (the empty heap stays empty). */
export function heapPop<T>(h: Heap<T>, less: (x: T, y: T) => boolean): Heap<T> {
  return h === null ? null : heapMerge(h.left, h.right, less);
}

export function heapSize<T>(h: Heap<T>): number {
  return sizeOf(h);
}

/** All items, in ascending order (O(n log n); for inspection and tests, not the hot path). */
export function heapToSortedArray<T>(h: Heap<T>, less: (x: T, y: T) => boolean): T[] {
  const out: T[] = [];
  let cur = h;
  while (cur !== null) {
    out.push(cur.item);
    cur = heapPop(cur, less);
  }
  return out;
}
