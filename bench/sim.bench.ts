/**
 * Two-endpoint simulator throughput: model ↔ model runs of a handshake, a small transfer each way
 * (1 kB client → server and a half-close, 4 kB back), each side closing on EOF, over a network with 5 % random loss (a different
 * loss seed per run), with the standard app (`autoApp`). Also the toy endpoint of test/net for the
 * simulator's own overhead. Prints scenarios per second.
 *
 *   npx tsx bench/sim.bench.ts [runs]
 *
 * Target: 5 000 scenarios/s for the model ↔ model case.
 */
import { randomSchedule } from '../src/net/faults.js';
import { tcpModel } from '../src/net/model.js';
import { runPair } from '../src/net/pair.js';
import { runSim } from '../src/net/sim.js';
import type { PairScenario } from '../src/net/types.js';
import type { PairModel } from '../src/net/pair.js';
import type { Endpoint } from '../src/model/index.js';
import { toy, toyNode } from '../test/net/toy.js';

const HOUR = 3600 * 1_000_000;

function scenario(seed: number): PairScenario {
  return {
    profile: 'linux',
    seedA: seed,
    seedB: seed + 1,
    addrA: '192.0.2.1',
    addrB: '192.0.2.2',
    calls: [
      { t: 0, node: 'b', call: { op: 'socket', fd: 3 } },
      { t: 0, node: 'b', call: { op: 'bind', fd: 3, port: 80 } },
      { t: 0, node: 'b', call: { op: 'listen', fd: 3, backlog: 8 } },
      { t: 0, node: 'a', call: { op: 'socket', fd: 3 } },
      { t: 0, node: 'a', call: { op: 'connect', fd: 3, port: 80 } },
      // The client sends and half-closes; the server answers, and each side closes on EOF.
      { t: 0, node: 'a', call: { op: 'send', fd: 3, bytes: 1000 } },
      { t: 0, node: 'a', call: { op: 'shutdown', fd: 3, how: 'SHUT_WR' } },
      { t: 0, node: 'b', call: { op: 'send', fd: 4, bytes: 4000 } },
    ],
    app: { autoAccept: true, autoRecv: true, closeOnEof: true },
    faults: randomSchedule(seed, { drop: 0.05 }, HOUR, 1000),
    bounds: { maxSteps: 10_000, maxTime: HOUR },
  };
}

/** tcpModel with the time spent inside the model's step accumulated (for the model / harness split). */
let modelMs = 0;
const timedModel: PairModel<Endpoint> = {
  createEndpoint: tcpModel.createEndpoint,
  node: {
    step: (e, input, now) => {
      const t = performance.now();
      const r = tcpModel.node.step(e, input, now);
      modelMs += performance.now() - t;
      return r;
    },
  },
};

function benchModel(runs: number, model: PairModel<Endpoint>): { perSec: number; steps: number; notIdle: number; incomplete: number } {
  let steps = 0;
  let notIdle = 0;
  let incomplete = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const r = runPair(scenario(i), model);
    if (!r.ok) throw new Error(r.error);
    steps += r.steps;
    if (r.outcome !== 'idle') notIdle++;
    if (r.driverState.b.received !== 1000 || r.driverState.a.received !== 4000) incomplete++;
  }
  const s = (performance.now() - t0) / 1000;
  return { perSec: runs / s, steps, notIdle, incomplete };
}

function benchToy(runs: number): number {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    runSim({
      a: { addr: '192.0.2.1', endpoint: toy('192.0.2.1', '192.0.2.2'), node: toyNode },
      b: { addr: '192.0.2.2', endpoint: toy('192.0.2.2', '192.0.2.1'), node: toyNode },
      script: [
        { t: 0, node: 'a', call: { op: 'send', fd: 3, bytes: 1000 } },
        { t: 0, node: 'b', call: { op: 'send', fd: 3, bytes: 4000 } },
      ],
      faults: randomSchedule(i, { drop: 0.05 }, HOUR, 1000),
    });
  }
  return runs / ((performance.now() - t0) / 1000);
}

const runs = Number(process.argv[2] ?? 5000);
benchModel(Math.min(500, runs), tcpModel); // warm up the JIT
benchToy(Math.min(500, runs));
const m = benchModel(runs, tcpModel);
const toyRate = benchToy(runs);
modelMs = 0;
const t0 = performance.now();
benchModel(runs, timedModel);
const totalMs = performance.now() - t0;
console.log(
  `model↔model, handshake + 1 kB/4 kB + close, 5% loss: ${m.perSec.toFixed(0)} scenarios/s ` +
    `(${runs} runs, ${(m.steps / runs).toFixed(1)} steps/run, ${((m.steps / runs) * m.perSec).toFixed(0)} steps/s, not idle: ${m.notIdle}, incomplete: ${m.incomplete})`,
);
console.log(`  time inside the model's step: ${((100 * modelMs) / totalMs).toFixed(0)} % (timed rerun; the rest is simulator, network, app driver)`);
console.log(`toy↔toy, 1 kB/4 kB, 5% loss: ${toyRate.toFixed(0)} scenarios/s (simulator overhead with a trivial endpoint)`);
