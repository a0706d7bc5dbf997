import { describe, expect, it } from 'vitest';
import type { SseEvent, SseParserOptions } from './sse';
import { endsEvent, SseParser, sseMessage } from './sse';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function parse(
  chunks: string[],
  options?: SseParserOptions,
): {
  events: SseEvent[];
  boundaries: number[][];
  parser: SseParser;
} {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e), options);
  const boundaries = chunks.map((c) => parser.feed(bytes(c)));
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
    parser.feed(bytes('\n\n'));
    expect(parser.atBoundary).toBe(true);
  });

  it('keeps the last event id across id-only events, and forgets a torn event on request', () => {
    const { events, parser } = parse(['id: 7\n\n', 'data: torn']);
    expect(events).toEqual([]);
    expect(parser.lastEventId).toBe('7');
    parser.dropPartial();
    parser.feed(bytes('data: fresh\n\n'));
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

describe('SseParser bounds and byte safety', () => {
  it('drops an event over the bound whole, wherever it is cut, and reads the next one', () => {
    const stream = `data: ${'x'.repeat(100)}\n\ndata: ${'y'.repeat(300)}\ndata: z\n\ndata: ok\n\n`;
    for (let cut = 1; cut < stream.length; cut += 7) {
      let overflows = 0;
      const { events, parser } = parse([stream.slice(0, cut), stream.slice(cut)], {
        maxEventBytes: 200,
        onOverflow: () => overflows++,
      });
      expect(
        events.map((e) => e.data.length),
        `cut at ${cut}`,
      ).toEqual([100, 2]);
      expect(overflows).toBe(1);
      expect(parser.atBoundary).toBe(true);
    }
  });

  it('ends an oversize event at a CRLF blank line too, and keeps memory bounded meanwhile', () => {
    const { events } = parse(
      ['data: ' + 'a'.repeat(50), 'a'.repeat(5000), '\r\n', 'data: more\r\n\r\ndata: b\r\n\r\n'],
      { maxEventBytes: 64 },
    );
    expect(events.map((e) => e.data)).toEqual(['b']);
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const whole = bytes('data: café ✓\n\n');
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    for (const b of whole) parser.feed(Uint8Array.of(b));
    expect(events.map((e) => e.data)).toEqual(['café ✓']);
  });

  it('copies kept bytes, so a producer reusing its chunk buffer cannot corrupt an event', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    const pooled = bytes('data: abc');
    parser.feed(pooled);
    pooled.fill(0x21);
    parser.feed(bytes('\n\n'));
    expect(events.map((e) => e.data)).toEqual(['abc']);
  });
});

describe('endsEvent and sseMessage', () => {
  it('tells a chunk that ends between events', () => {
    expect(endsEvent(bytes('data: a\n\n'))).toBe(true);
    expect(endsEvent(bytes('data: a\r\n\r\n'))).toBe(true);
    expect(endsEvent(bytes('data: a\n'))).toBe(false);
  });

  it('writes an event a parser reads back', () => {
    expect(parse([sseMessage('{"id":1}', 'e1')]).events).toEqual([
      { event: 'message', data: '{"id":1}', id: 'e1' },
    ]);
  });
});

describe('the control API framing (as the renderer reads it)', () => {
  it('parses events and comments across arbitrary chunk boundaries', () => {
    const text =
      ': keyway events\n\nevent: state.changed\ndata: {"what":"keys"}\n\nevent: key.due\ndata: {"key":"a/b"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const got = parse([text.slice(0, cut), text.slice(cut)]).events;
      expect(
        got.map(({ event, data }) => ({ event, data })),
        `cut at ${cut}`,
      ).toEqual([
        { event: 'state.changed', data: '{"what":"keys"}' },
        { event: 'key.due', data: '{"key":"a/b"}' },
      ]);
    }
  });

  it('ignores events without data and resets the event name after each dispatch', () => {
    expect(parse(['event: lonely\n\ndata: 1\n\n']).events).toEqual([
      { event: 'message', data: '1', id: undefined },
    ]);
  });
});
