package dev.selectftp.server.transfer;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;

/**
 * Where one upload's byte stream stands: its size (declared, or {@link Upload#UNKNOWN_SIZE} until the end of
 * data), the bytes the partial held when offered (the resume point), where the client's bytes start and how
 * many arrived. Kept apart from {@link Upload} so that the arithmetic of resume, remaining bytes and end of
 * data reads in one place; it touches no file and no quota. Loop-thread confined, like the upload.
 */
final class UploadStream {
  /** Declared, or {@link Upload#UNKNOWN_SIZE} until {@link #endOfData}. */
  private long size;
  /** Bytes the partial held when offered (the resume point). */
  private long kept;
  private long offset;
  private long received;

  UploadStream(long size, long kept) {
    this.size = size;
    this.kept = kept;
  }

  boolean sizeUnknown() {
    return size == Upload.UNKNOWN_SIZE;
  }

  /**
   * Checks the client's {@code put-data} header against the offer: resume at {@link #kept()} or start over at 0,
   * with the length that leaves. Changes nothing.
   *
   * @throws Refused BAD_REQUEST when the offset or length disagree with the offer
   */
  void check(long offset, long length) throws Refused {
    if (offset != kept && offset != 0) {
      throw new Refused(Refusal.BAD_REQUEST, "offset must be " + kept + " (resume) or 0");
    }
    if (sizeUnknown() ? length != Upload.UNKNOWN_SIZE : length != size - offset) {
      throw new Refused(Refusal.BAD_REQUEST, "length must be " + (size - offset));
    }
  }

  /** The client starts over at 0 while the partial held bytes: they no longer count. */
  void dropKept() {
    kept = 0;
  }

  /** The client's bytes start at {@code offset}, after {@link #check}. */
  void startAt(long offset) {
    this.offset = offset;
  }

  /** The partial now holds {@code bytes} copied from the file the upload replaces: the point it continues from. */
  void keep(long bytes) {
    kept = bytes;
  }

  /**
   * Raw bytes still expected; {@link Long#MAX_VALUE} while the size is unknown, and 0 once such an upload was
   * {@code cutOff} (over the quota: nothing more is taken).
   */
  long remaining(boolean cutOff) {
    if (sizeUnknown()) return cutOff ? 0 : Long.MAX_VALUE;
    return size - offset - received;
  }

  /** {@code n} more bytes arrived (written or dropped). */
  void arrived(int n) {
    received += n;
  }

  /** The sender closed the stream: an unknown size becomes what arrived; a declared size stays. */
  void endOfData() {
    if (sizeUnknown()) size = offset + received;
  }

  /** The most the partial can hold: counted when it cannot be looked at, so the quota errs on the safe side. */
  long mostHeld() {
    return Math.max(kept, offset + received);
  }

  long size() {
    return size;
  }

  long kept() {
    return kept;
  }

  long offset() {
    return offset;
  }

  long received() {
    return received;
  }
}
