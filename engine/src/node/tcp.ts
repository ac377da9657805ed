/**
 * TCP transport for LDK's PeerManager (BOLT 8 is done by LDK; this moves bytes). Each socket gets a
 * `SocketDescriptor` whose `send_data` writes to the socket (non-blocking, never re-enters LDK) and whose
 * `disconnect_socket` destroys it. Received bytes go to `read_event` straight from the socket's `data`
 * callback (a real macrotask), after which the owner runs `process_events` to flush replies.
 */
import * as net from 'node:net';
import * as ldk from 'lightningdevkit';

export interface TcpOwner {
  peerManager(): ldk.PeerManager;
  /** Ask the owner to run `process_events` soon. */
  kick(): void;
  log(level: 'debug' | 'info' | 'warn', msg: string, fields?: Record<string, unknown>): void;
}

let nextSocketId = 1n;

class Conn {
  readonly id = nextSocketId++;
  /** Set when LDK asked for the disconnect or rejected the peer: then `socket_disconnected` must not be called. */
  ldkClosed = false;
  readonly descriptor: ldk.SocketDescriptor;

  constructor(
    readonly socket: net.Socket,
    owner: TcpOwner,
    readonly onClose: () => void,
  ) {
    const id = this.id;
    this.descriptor = ldk.SocketDescriptor.new_impl({
      send_data: (data: Uint8Array, resumeRead: boolean) => {
        if (resumeRead && socket.isPaused()) socket.resume();
        if (socket.destroyed) return 0;
        if (data.length > 0) socket.write(data);
        return data.length;
      },
      disconnect_socket: () => {
        this.ldkClosed = true;
        socket.destroy();
      },
      eq: (other: ldk.SocketDescriptor) => other.hash() === id,
      hash: () => id,
    });
    socket.setNoDelay(true);
    socket.on('data', (buf: Buffer) => {
      const res = owner
        .peerManager()
        .read_event(this.descriptor, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      if (res instanceof ldk.Result_boolPeerHandleErrorZ_Err) {
        this.ldkClosed = true;
        socket.destroy();
      } else if (res instanceof ldk.Result_boolPeerHandleErrorZ_OK && res.res) {
        socket.pause(); // LDK's outbound buffer is full; send_data(resume_read) resumes
      }
      owner.kick();
    });
    socket.on('error', (err) => owner.log('debug', 'socket error', { error: err.message }));
    socket.on('close', () => {
      if (!this.ldkClosed) owner.peerManager().socket_disconnected(this.descriptor);
      this.ldkClosed = true;
      onClose();
      owner.kick();
    });
  }
}

export class TcpTransport {
  private server: net.Server | undefined;
  private readonly conns = new Set<Conn>();

  constructor(private readonly owner: TcpOwner) {}

  /** Listen and return the bound port. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(port, host, () => {
        this.server = server;
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private accept(socket: net.Socket): void {
    const conn = this.track(socket);
    const res = this.owner
      .peerManager()
      .new_inbound_connection(conn.descriptor, ldk.Option_SocketAddressZ.constructor_none());
    if (!(res instanceof ldk.Result_NonePeerHandleErrorZ_OK)) {
      conn.ldkClosed = true;
      socket.destroy();
    }
  }

  /** Open a connection; resolves once TCP is up and the BOLT 8 act one is sent; rejects on TCP failure. */
  connect(nodeId: Uint8Array, host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      let settled = false;
      socket.once('error', (err) => {
        if (!settled) {
          settled = true;
          reject(err);
        }
      });
      socket.once('connect', () => {
        const conn = this.track(socket);
        const res = this.owner
          .peerManager()
          .new_outbound_connection(nodeId, conn.descriptor, ldk.Option_SocketAddressZ.constructor_none());
        if (res instanceof ldk.Result_CVec_u8ZPeerHandleErrorZ_OK) {
          socket.write(res.res);
          settled = true;
          resolve();
        } else {
          conn.ldkClosed = true;
          socket.destroy();
          settled = true;
          reject(new Error('Node/connect: LDK refused the outbound connection (already connected?)'));
        }
      });
    });
  }

  private track(socket: net.Socket): Conn {
    const conn: Conn = new Conn(socket, this.owner, () => this.conns.delete(conn));
    this.conns.add(conn);
    return conn;
  }

  /** Close the listener and every socket. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of [...this.conns]) c.socket.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    // Let 'close' events run so LDK learns about every disconnect.
    await new Promise((r) => setImmediate(r));
  }
}
