package dev.selectftp.server.net;

import dev.selectftp.server.loop.EventLoop;
import java.time.Duration;

/**
 * What one {@link Connection} may cost, whatever its peer does. The heap it holds for the peer's bytes is
 * at most: queued replies up to the output cap plus the one reply that crossed it (a reply is at most one
 * frame), plus either kept input (one frame-mode read) or a partial frame, never both (input is kept only at
 * a frame boundary). That is, beyond about 1.6 KiB of fixed objects (socket, key, session; measured):
 * <ul>
 *   <li>before login: 4 KiB + one reply (under 1 KiB) + 4 KiB (a partial frame at the
 *       door's cap on a message before login (SelectFTP: 4 KiB), or a
 *       kept read of 4 KiB + 4), about 9 KiB;</li>
 *   <li>logged in: 64 KiB + one reply (at most 64 KiB) + 64 KiB (a partial frame; kept input is at most
 *       16 KiB), about 192 KiB, plus what a transfer in flight holds (its digest and file channel).</li>
 * </ul>
 * Over TLS the transport adds, only while bytes are in flight (an idle TLS connection holds none; measured:
 * 9.3 KiB of heap per idle TLS session, engine and session included): one packet of received records (about
 * 16.7 KiB), one record's decrypted surplus (16 KiB), and encrypted output of one packet per queued reply or
 * up to four while a download streams (about 67 KiB).
 * The kernel's socket buffers come on top, outside the heap.
 */
public final class ConnectionLimits {
  /**
   * Above this much queued output (logged in), stop reading until the client catches up. One listing reply
   * (up to a frame, 64 KiB) fits; the kernel's socket buffer holds more, outside the heap.
   */
  public static final int MAX_QUEUED_OUTPUT = 64 * 1024;
  /** The same cap before login, where every reply (hello, challenge, error) is a few hundred bytes. */
  public static final int MAX_QUEUED_OUTPUT_BEFORE_LOGIN = 4 * 1024;
  /**
   * Largest read for requests (a handler's {@link Handler#readWindow} outside raw file bytes), hence the
   * largest tail kept between slices (pipelined requests).
   */
  public static final int FRAME_READ_BYTES = 16 * 1024;
  /**
   * Requests handled per slice: a pipelining client yields after these, even if each is cheap. The handler
   * says what a request is ({@link Handler#onInput} returns true for each one handled).
   */
  public static final int REQUESTS_PER_SLICE = 32;
  /**
   * Bytes read per slice, so one fast uploader cannot starve the others: two full scratch reads, hashed
   * and written, cost about 0.5 ms.
   */
  public static final int READ_BYTES_PER_SLICE = 2 * EventLoop.SCRATCH_BYTES;
  /**
   * A message whose first byte arrived ({@link Handler#midMessage}) must be complete within this (slowloris),
   * or the connection closes.
   */
  public static final Duration FRAME_TIMEOUT = Duration.ofSeconds(10);

  private ConnectionLimits() {}
}
