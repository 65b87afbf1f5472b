import { describe, expect, it } from 'vitest';
import { FrameSplitter, MAX_FRAME_BYTES, type SerialFraming } from './frame-splitter.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Pushes the stream one byte at a time, as a slow line would deliver it. */
function byteByByte(splitter: FrameSplitter, text: string): string[] {
  return [...latin1(text)].flatMap((b) => splitter.push(Uint8Array.of(b)));
}

describe('FrameSplitter', () => {
  const GS1 = ']C1\x1d0104012345678901\x1d10AB';
  it.each<[SerialFraming, string]>([
    ['cr', `${GS1}\r4711\r`],
    ['cr', `${GS1}\r\n4711\r\n`], // a scanner set to CRLF still reads under `cr`
    ['lf', `${GS1}\n4711\n`],
    ['lf', `${GS1}\r\n4711\r\n`],
    ['crlf', `${GS1}\r\n4711\r\n`],
    ['stx-etx', `\x02${GS1}\x03\x02\x024711\x03`],
    ['stx-etx', `noise\x02${GS1}\x03\x7f\x024711\x03`], // a BCC after ETX and noise before STX are dropped
  ])('%j cuts %j into the two scans, in one chunk or byte by byte', (framing, stream) => {
    expect(new FrameSplitter(framing).push(latin1(stream))).toEqual([GS1, '4711']);
    expect(byteByByte(new FrameSplitter(framing), stream)).toEqual([GS1, '4711']);
  });

  it('keeps a lone CR inside a scan under `crlf`', () => {
    expect(new FrameSplitter('crlf').push(latin1('A\rB\r\n'))).toEqual(['A\rB']);
  });

  it('gives no empty scans', () => {
    expect(new FrameSplitter('cr').push(latin1('\r\r\rX\r'))).toEqual(['X']);
    expect(new FrameSplitter('stx-etx').push(latin1('\x02\x03'))).toEqual([]);
  });

  it('keeps every byte value as one character', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0x0d));
    const [frame] = new FrameSplitter('cr').push(Buffer.concat([all, Uint8Array.of(0x0d)]));
    expect(frame).toHaveLength(255);
    expect(Buffer.from(frame ?? '', 'latin1')).toEqual(all);
  });

  it('under an inter-byte timeout, holds the bytes until flush()', () => {
    const splitter = new FrameSplitter({ interByteTimeoutMs: 30 });
    expect(splitter.push(latin1('0104012345'))).toEqual([]);
    expect(splitter.push(latin1('678901\r'))).toEqual([]);
    expect(splitter.hasPartial).toBe(true);
    expect(splitter.flush()).toBe('0104012345678901\r');
    expect(splitter.flush()).toBeNull();
  });

  it('drops a partial scan on flush() under a terminator framing', () => {
    const splitter = new FrameSplitter('cr');
    splitter.push(latin1('half a bar'));
    expect(splitter.flush()).toBeNull();
    expect(splitter.push(latin1('code\r'))).toEqual(['code']);
  });

  it('throws away a line that never ends instead of growing without bound', () => {
    const splitter = new FrameSplitter('cr');
    splitter.push(Buffer.alloc(MAX_FRAME_BYTES + 10, 0x41));
    expect(splitter.discardedBytes).toBe(MAX_FRAME_BYTES);
    expect(splitter.push(latin1('\r'))).toEqual(['A'.repeat(10)]);
  });
});
