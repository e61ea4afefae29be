/**
 * The pure TCP model: `step(endpoint, input, now)`, endpoint creation, profiles and the data types
 * other layers read. See api.ts for the contract and types.ts for every field.
 */
export type { Input, Output, StepResult, Micros, TcpStateName } from './api.js';
export type { Endpoint, Conn, SentSegment, OooRange } from './types.js';
export type { Profile } from './profile-type.js';
export { step, createEndpoint } from './step.js';
export type { EndpointOptions } from './step.js';
export { linux, linux612, rfc9293, profiles } from './profiles.js';
export { effectiveMss } from './output.js';
export { receiveWindow } from './window.js';
