/**
 * The harness network: fault schedules (faults.ts) and their PRNG (prng.ts), the pure network of
 * in-flight segments (network.ts over a persistent heap), the two-endpoint simulator (sim.ts) with
 * the standard reactive app (app.ts), plain-data pair scenarios (types.ts) and their runner
 * (pair.ts), the RFC 9293 FSM edge table with coverage counting (fsm.ts), and the tcpfuzz model as
 * a pair model (model.ts).
 */
export * from './faults.js';
export * from './prng.js';
export * from './network.js';
export * from './sim.js';
export * from './app.js';
export * from './types.js';
export * from './pair.js';
export * from './fsm.js';
export { tcpModel } from './model.js';
