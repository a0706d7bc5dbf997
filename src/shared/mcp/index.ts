/** MCP as Keyway speaks it: messages, eras, SSE, session replay (see each file). */
export * from './era';
export * from './messages';
export * from './session-replay';
export * from './sse';
export * from './modern-headers';
export * from './listen-splice';
