/**
 * The tcpfuzz model (src/model) as a `PairModel` for `runPair`: profile by name from the model's
 * profile table, endpoint created with the peer address that connect() goes to and the seed.
 */
import type { Endpoint } from '../model/index.js';
import { createEndpoint, profiles, step } from '../model/index.js';
import type { PairModel } from './pair.js';

export const tcpModel: PairModel<Endpoint> = {
  node: { step },
  createEndpoint: ({ profile, addr, peer, seed }) => {
    const p = profiles[profile];
    if (p === undefined) return { ok: false, error: `unknown profile "${profile}" (known: ${Object.keys(profiles).join(', ')})` };
    return { ok: true, endpoint: createEndpoint({ profile: p, addr, peerAddr: peer, seed }) };
  },
};
