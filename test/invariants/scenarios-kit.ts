/** Re-exports for tests that build states by hand from a scripted connection. */
export { A, B, linux, realStep, seg } from './harness.js';
export { established } from './scenarios.js';
