package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.storage.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listing going out over a data connection one page at a time: a page is read and formatted on a helper
 * thread ({@link FtpServices#listings()}), written to the data connection in slices, and only once the
 * connection took all of it is the next page read. So a folder of any size costs one page of heap
 * ({@link ListingPages#MAX_PAGE_BYTES}, about) and no work on the loop beyond writing. Loop-thread confined.
 */
final class ListingStream {
  private static final Logger log = LoggerFactory.getLogger(ListingStream.class);

  private final FtpServices services;
  private final ListingPages pages;
  private final String address;
  private DataChannel channel;
  private DataChannel.Owner owner;
  /** Still the transfer its control connection waits for; false once aborted or closed. */
  private BooleanSupplier wanted;
  /** Told once whether the first page could be read (null) or not (the failure). */
  private Consumer<Exception> firstPage;
  private final DataTransfer.Listing transfer = new DataTransfer.Listing(this);
  /** The page being written; null while the next is read. */
  private ByteBuffer page;
  /** The cursor after {@link #page}, null when it is the last. */
  private String next;
  private boolean reading;
  private boolean started;

  ListingStream(FtpServices services, ListingPages pages, String address) {
    this.services = services;
    this.pages = pages;
    this.address = address;
  }

  /** A listing of one line, already made (LIST of a file). */
  static ListingStream of(String text, String address) {
    ListingStream one = new ListingStream(null, null, address);
    one.page = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return one;
  }

  /**
   * Reads the first page, tells {@code firstPage} (null, or the failure: the caller then answers and closes
   * the channel), and starts {@code channel} with it. A later page that cannot be read abandons the channel
   * and tells {@code owner}. Nothing happens once {@code wanted} says false.
   */
  void start(DataChannel channel, DataChannel.Owner owner, BooleanSupplier wanted, Consumer<Exception> firstPage) {
    this.channel = channel;
    this.owner = owner;
    this.wanted = wanted;
    this.firstPage = firstPage;
    if (page != null) {
      started = true;
      firstPage.accept(null);
      channel.start(transfer, owner);
    } else {
      read(null);
    }
  }

  private void read(String after) {
    reading = true;
    services.listings().run(() -> pages.read(after), (read, failure) -> {
      reading = false;
      if (!wanted.getAsBoolean()) return; // aborted or closed; the channel is gone
      if (failure != null && !started) {
        firstPage.accept(failure);
        return;
      }
      if (failure != null) {
        log.info("{}: listing stopped: {}", address, LogText.of(failure.toString()));
        channel.abandon();
        owner.failed(transfer, DataFailure.lost("the listing could not be read"));
        return;
      }
      page = read.text();
      next = read.next();
      if (started) {
        channel.resume();
      } else {
        started = true;
        firstPage.accept(null);
        channel.start(transfer, owner);
      }
    });
  }

  /**
   * Writes some bytes of the listing to {@code out}; returns true while more remain, including while the
   * next page is being read ({@link #waiting()} then says so, and the data connection waits for
   * {@link DataChannel#resume()}).
   */
  boolean send(ByteSink out) throws IOException {
    if (page == null) return reading;
    out.write(page);
    if (page.hasRemaining()) return true;
    page = null;
    if (next == null) return false;
    read(next);
    return true;
  }

  /** True while the next page is read: nothing to write until then. */
  boolean waiting() {
    return page == null && reading;
  }

  /** Heap held for the page being written (none once the transfer ended or was aborted). */
  long bufferedBytes() {
    return page == null || wanted == null || !wanted.getAsBoolean() ? 0 : page.capacity();
  }
}
