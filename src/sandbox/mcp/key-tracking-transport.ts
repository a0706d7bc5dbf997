import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
} from '@modelcontextprotocol/sdk/types.js';
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
} from '@modelcontextprotocol/sdk/types.js';

interface RevokedError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * Sits between an SDK server and its transport and remembers which key made each request that
 * is still unanswered, so revoking a key can fail exactly those requests at once.
 */
export class KeyTrackingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private readonly unanswered = new Map<RequestId, string>();

  constructor(readonly inner: Transport) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    this.inner.onmessage = (message: JSONRPCMessage, extra?: MessageExtraInfo) => {
      if (isJSONRPCRequest(message)) {
        this.unanswered.set(message.id, extra?.authInfo?.clientId ?? '');
      }
      this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      if (message.id !== undefined) this.unanswered.delete(message.id);
    }
    await this.inner.send(message, options);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  /** Answers every unanswered request made with `keyId` with `error`; returns how many. */
  async failRequestsOf(keyId: string, error: RevokedError): Promise<number> {
    const ids = [...this.unanswered].filter(([, key]) => key === keyId).map(([id]) => id);
    for (const id of ids) {
      // Abort the handler the way a client's cancellation would: it stops its work and, being
      // cancelled, sends no answer of its own, so the error below is the only one.
      this.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: id, reason: error.message },
      });
      await this.send({ jsonrpc: '2.0', id, error }).catch((e: unknown) =>
        this.onerror?.(e instanceof Error ? e : new Error(String(e))),
      );
    }
    return ids.length;
  }
}
