import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses the control API framing across arbitrary chunk boundaries', () => {
    const text =
      ': keyway events\n\nevent: state.changed\ndata: {"what":"keys"}\n\nevent: key.due\ndata: {"key":"a/b"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(got, `cut at ${cut}`).toEqual([
        { event: 'state.changed', data: '{"what":"keys"}' },
        { event: 'key.due', data: '{"key":"a/b"}' },
      ]);
    }
  });

  it('handles CRLF and CR line endings, multi-line data and comments', () => {
    const p = new SseParser();
    expect(p.push('event: x\r\ndata: a\r\ndata: b\r\n\r\n: ping\r\rdata:c\r')).toEqual([
      { event: 'x', data: 'a\nb' },
    ]);
    // The lone trailing \r may be half of \r\n: only the next chunk tells.
    expect(p.push('\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'message', data: 'c' }]);
  });

  it('ignores events without data and resets the event name after each dispatch', () => {
    const p = new SseParser();
    expect(p.push('event: lonely\n\ndata: 1\n\n')).toEqual([{ event: 'message', data: '1' }]);
  });
});
