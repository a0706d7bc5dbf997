import { describe, expect, it } from 'vitest';
import type { SseEvent } from './sse-parser';
import { endsEvent, SseParser, sseMessage } from './sse-parser';

function parse(chunks: string[]): {
  events: SseEvent[];
  boundaries: number[][];
  parser: SseParser;
} {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  const boundaries = chunks.map((c) => parser.feed(Buffer.from(c)));
  return { events, boundaries, parser };
}

describe('SseParser', () => {
  it('reads events, ids and types however the bytes are split', () => {
    const stream =
      'id: 1\nevent: message\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\ndata: x\ndata: y\n\n';
    const whole = parse([stream]).events;
    expect(whole).toEqual([
      { event: 'message', data: '{"a":1}', id: '1' },
      { event: 'message', data: 'x\ny', id: '2' },
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)]).events).toEqual(whole);
    }
  });

  it('accepts CRLF and CR line ends, also split between chunks', () => {
    expect(parse(['data: a\r\n\r\ndata: b\r\r']).events.map((e) => e.data)).toEqual(['a', 'b']);
    expect(parse(['data: a\r', '\n\r', '\n']).events.map((e) => e.data)).toEqual(['a']);
  });

  it('reports boundary offsets and whether it stands between events', () => {
    const { boundaries, parser } = parse(['data: a\n\ndata: b\n\ndata: c']);
    expect(boundaries).toEqual([[9, 18]]);
    expect(parser.atBoundary).toBe(false);
    parser.feed(Buffer.from('\n\n'));
    expect(parser.atBoundary).toBe(true);
  });

  it('keeps the last event id across id-only events, and forgets a torn event on request', () => {
    const { events, parser } = parse(['id: 7\n\n', 'data: torn']);
    expect(events).toEqual([]);
    expect(parser.lastEventId).toBe('7');
    parser.dropPartial();
    parser.feed(Buffer.from('data: fresh\n\n'));
    expect(events).toEqual([{ event: 'message', data: 'fresh', id: '7' }]);
  });

  it('dispatches an empty data field as an event with empty data (a priming event)', () => {
    expect(parse(['id: p1\ndata: \n\n']).events).toEqual([
      { event: 'message', data: '', id: 'p1' },
    ]);
  });

  it('parses a multi-megabyte data line', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const chunks = [`data: ${big}\n\n`].flatMap((s) => s.match(/[\s\S]{1,65536}/g) ?? []);
    expect(parse(chunks).events[0]?.data.length).toBe(big.length);
  });
});

describe('endsEvent and sseMessage', () => {
  it('tells a chunk that ends between events', () => {
    expect(endsEvent(Buffer.from('data: a\n\n'))).toBe(true);
    expect(endsEvent(Buffer.from('data: a\r\n\r\n'))).toBe(true);
    expect(endsEvent(Buffer.from('data: a\n'))).toBe(false);
  });

  it('writes an event a parser reads back', () => {
    expect(parse([sseMessage('{"id":1}', 'e1')]).events).toEqual([
      { event: 'message', data: '{"id":1}', id: 'e1' },
    ]);
  });
});
