// A WebSocket client over a bare TCP socket, for the one thing a WebSocket API cannot do: stop
// reading. Pausing the socket leaves the server's frames in the kernel and the server's own
// buffers, which is exactly what a slow consumer looks like to the server. Only what the tests
// need: the handshake, unmasked server frames (text, close), and reading them back later.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

export class RawWebSocket {
  readonly frames: RawFrame[] = [];
  private buffer = Buffer.alloc(0);
  private upgraded = false;
  private closeWaiters: ((frame: RawFrame) => void)[] = [];

  private constructor(private readonly socket: Socket) {}

  /** Opens `path` on `base` (http://host:port) with `headers`; resolves once the server answered 101. */
  static open(base: string, path: string, headers: Record<string, string>): Promise<RawWebSocket> {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    const client = new RawWebSocket(socket);
    return new Promise((resolve, reject) => {
      socket.once("error", reject);
      socket.on("data", (chunk: Buffer) => {
        if (client.take(chunk)) resolve(client);
      });
      socket.once("connect", () => {
        const lines = [
          `GET ${path} HTTP/1.1`,
          `Host: ${url.host}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
          "Sec-WebSocket-Version: 13",
          ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        ];
        socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      });
      socket.once("close", () => {
        if (!client.upgraded) reject(new Error("the server did not upgrade the connection"));
      });
    });
  }

  /** Stops reading: the kernel's receive buffer fills, then the server's. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Text messages received so far. */
  texts(): string[] {
    return this.frames.filter((f) => f.opcode === 1).map((f) => f.payload.toString("utf8"));
  }

  /** Resolves with the close frame's code and reason once it arrives. */
  closed(): Promise<{ code: number; reason: string }> {
    const decode = (f: RawFrame) => ({
      code: f.payload.readUInt16BE(0),
      reason: f.payload.subarray(2).toString(),
    });
    const frame = this.frames.find((f) => f.opcode === 8);
    if (frame) return Promise.resolve(decode(frame));
    return new Promise((resolve) => this.closeWaiters.push((f) => resolve(decode(f))));
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** True once the 101 reply has been read. */
  private take(chunk: Buffer): boolean {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return false;
      const status = this.buffer.subarray(0, end).toString().split("\r\n")[0]!;
      if (!status.includes(" 101 ")) {
        this.socket.destroy();
        throw new Error(`the server answered ${status}`);
      }
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    this.parse();
    return true;
  }

  private parse(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const frame = { opcode, payload: Buffer.from(this.buffer.subarray(offset, offset + length)) };
      this.buffer = this.buffer.subarray(offset + length);
      this.frames.push(frame);
      if (opcode === 8) for (const waiter of this.closeWaiters.splice(0)) waiter(frame);
    }
  }
}
