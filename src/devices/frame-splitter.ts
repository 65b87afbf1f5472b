// Cuts the byte stream of a serial scanner into scans. Bytes become characters one to one
// (latin1), so the decoder sees exactly what the scanner sent, GS and RS included.

export type SerialFraming = 'cr' | 'lf' | 'crlf' | 'stx-etx' | { interByteTimeoutMs: number };

const CR = 0x0d;
const LF = 0x0a;
const STX = 0x02;
const ETX = 0x03;
/** No scan is this long: without a terminator by then the line carries noise, not barcodes. */
export const MAX_FRAME_BYTES = 65_536;

/**
 * `cr`: a scan ends at CR; an LF right after a CR is dropped, so a scanner sending CRLF still reads.
 * `lf`: ends at LF; a CR right before it is dropped. `crlf`: ends at CR LF exactly.
 * `stx-etx`: a scan is what lies between STX and ETX; bytes outside (a BCC, noise) are dropped, and
 * a second STX restarts the scan. `{ interByteTimeoutMs }`: the caller ends a scan with `flush()`
 * when no byte came for that long. Empty scans are never returned.
 */
export class FrameSplitter {
  readonly #framing: SerialFraming;
  #buffer: number[] = [];
  #inFrame = false;
  #afterCr = false;
  /** Bytes thrown away because a frame grew beyond MAX_FRAME_BYTES. */
  discardedBytes = 0;

  constructor(framing: SerialFraming) {
    this.#framing = framing;
  }

  /** Scans completed by these bytes, in order. */
  push(bytes: Uint8Array): string[] {
    const frames: string[] = [];
    const framing = this.#framing;
    for (const byte of bytes) {
      if (framing === 'cr') {
        if (byte === CR) this.#emit(frames);
        else if (!(byte === LF && this.#afterCr)) this.#add(byte);
        this.#afterCr = byte === CR;
      } else if (framing === 'lf') {
        if (byte === LF) {
          if (this.#buffer[this.#buffer.length - 1] === CR) this.#buffer.pop();
          this.#emit(frames);
        } else this.#add(byte);
      } else if (framing === 'crlf') {
        if (byte === LF && this.#buffer[this.#buffer.length - 1] === CR) {
          this.#buffer.pop();
          this.#emit(frames);
        } else this.#add(byte);
      } else if (framing === 'stx-etx') {
        if (byte === STX) {
          this.#buffer = [];
          this.#inFrame = true;
        } else if (byte === ETX && this.#inFrame) {
          this.#emit(frames);
          this.#inFrame = false;
        } else if (this.#inFrame) this.#add(byte);
      } else {
        this.#add(byte);
      }
    }
    return frames;
  }

  /** Ends the scan in progress (inter-byte timeout framing); for the others it drops a partial scan. */
  flush(): string | null {
    const framed = typeof this.#framing === 'object';
    const frames: string[] = [];
    if (framed) this.#emit(frames);
    this.#buffer = [];
    this.#inFrame = false;
    return frames[0] ?? null;
  }

  /** Whether bytes of an unfinished scan are waiting. */
  get hasPartial(): boolean {
    return this.#buffer.length > 0;
  }

  #add(byte: number): void {
    if (this.#buffer.length >= MAX_FRAME_BYTES) {
      this.discardedBytes += this.#buffer.length;
      this.#buffer = [];
    }
    this.#buffer.push(byte);
  }

  #emit(frames: string[]): void {
    if (this.#buffer.length > 0) frames.push(Buffer.from(this.#buffer).toString('latin1'));
    this.#buffer = [];
  }
}
