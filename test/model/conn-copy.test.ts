/**
 * The per-step connection copy (src/model/conn.ts `cloneConn`, used by ctx.ts `mut`): it must copy
 * every field `newSocket` creates, in the same order (one object shape for V8), and the connection
 * must stay at most 128 fields wide. Measured on Node 20 (bench/model.bench.ts, 2026-11-23): with
 * 128 fields the copy is cheap; from 129 fields on an object literal that wide leaves V8's fast
 * path and the whole model runs about 45 % slower. Past that size, move rarely written fields into
 * a nested object that steps share (a hot/cold split) instead of widening Conn.
 */
import { describe, expect, it } from 'vitest';
import { cloneConn, newSocket } from '../../src/model/conn.js';
import { makeCtx } from '../../src/model/ctx.js';
import { createEndpoint } from '../../src/model/step.js';
import { linux } from '../../src/model/profiles.js';

const MAX_CONN_FIELDS = 128;

function fresh() {
  const ctx = makeCtx(createEndpoint({ profile: linux, addr: '192.0.2.1', peerAddr: '192.0.2.2', seed: 1 }), 0);
  return newSocket(ctx, 3);
}

describe('connection copy (model throughput)', () => {
  it('cloneConn copies every field of newSocket, in the same order, as a new object', () => {
    const c = fresh();
    const copy = cloneConn(c);
    expect(copy).not.toBe(c);
    expect(Object.keys(copy)).toEqual(Object.keys(c));
    expect(copy).toStrictEqual(c);
  });

  it(`a connection has at most ${MAX_CONN_FIELDS} fields (V8 copies wider literals on a slow path: ~45 % slower step)`, () => {
    const n = Object.keys(fresh()).length;
    expect(n, `Conn has ${n} fields; keep it ≤ ${MAX_CONN_FIELDS} or nest rarely written fields (see this file's header)`).toBeLessThanOrEqual(MAX_CONN_FIELDS);
  });
});
