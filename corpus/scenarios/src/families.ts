/**
 * The list of scenario families of the hand-written corpus: each family's folder name under
 * `corpus/scenarios/` and the function that builds its scenarios. `generate.ts` writes them and
 * the corpus test compares the files on disk with them.
 */
import type { Scenario } from '../../../src/scenario/types.js';
import { handshakeScenarios } from './handshake.js';
import { listenerScenarios } from './listener.js';
import { dataScenarios } from './data.js';
import { flowControlScenarios } from './flow-control.js';
import { congestionScenarios } from './congestion.js';
import { closeScenarios } from './close.js';
import { resetScenarios } from './resets.js';
import { keepaliveScenarios } from './keepalive.js';
import { optionsScenarios } from './options.js';

export interface Family {
  readonly folder: string;
  readonly build: () => Scenario[];
}

export const FAMILIES: readonly Family[] = [
  { folder: 'handshake', build: handshakeScenarios },
  { folder: 'listener', build: listenerScenarios },
  { folder: 'data', build: dataScenarios },
  { folder: 'flow-control', build: flowControlScenarios },
  { folder: 'congestion', build: congestionScenarios },
  { folder: 'close', build: closeScenarios },
  { folder: 'resets', build: resetScenarios },
  { folder: 'keepalive', build: keepaliveScenarios },
  { folder: 'options', build: optionsScenarios },
];
