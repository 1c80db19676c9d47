package dev.selectftp.server.storage.s3;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * One user's home on S3 as the core sees it: {@link ObjectHome} for files and folders, {@link ObjectPartials}
 * for uploads, and node-local spool files for the data path, so that the {@link FileChannel}s handed out are
 * local files the event loop may read and write.
 *
 * <p><b>Keys.</b> A file's {@link Path} is its object key ({@code PREFIX/USER/docs/a.txt}), a folder's its
 * prefix without the last slash, the home's {@code PREFIX/USER}; a partial's is the hidden key
 * {@code KEY.selectftp-part} holding its saved state.
 *
 * <p><b>Reads.</b> {@link #openRead} hands out an {@link ObjectReadChannel}: ranged GETs of 8 MiB windows
 * into spool files, from where the reader starts, at most two windows ahead of it, each deleted once passed,
 * and all pinned to the ETag seen when opened ({@code If-Match}). The loop sends from the spool windows
 * (zero-copy in plain text) and waits for none: a download whose next bytes have not arrived pauses
 * ({@code storage.ReadAhead}) until they have. So the first byte waits for one chunk, not the whole object,
 * and a download holds at most 16 MiB of the node's spool.
 *
 * <p><b>Threads.</b> Every method is a blocking network call: helper threads only. A store that is down or
 * answers an error is refused as INTERNAL ({@link #unavailable}), its detail in the cause.
 */
public final class ObjectHomeStore implements HomeStore {
  /** The suffix of a partial's key; {@code VirtualPath} refuses names ending so, so no user names one. */
  static final String PARTIAL_SUFFIX = VirtualPath.PARTIAL_SUFFIX;
  /** S3's longest key, in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  private final ObjectKeys keys;
  private final ObjectHome home;
  private final ObjectPartials partials;
  private final ObjectTally tally;
  private final ObjectSweep sweep;
  private final Spool spool;
  private final Path root;
  private final S3Client s3;
  private final String bucket;

  ObjectHomeStore(S3Client s3, String bucket, ObjectKeys keys, Spool spool) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
    this.home = new ObjectHome(s3, bucket, keys);
    this.partials = new ObjectPartials(s3, bucket, spool);
    this.tally = new ObjectTally(s3, bucket, keys.root(), partials);
    this.sweep = new ObjectSweep(s3, bucket, keys.root());
    this.spool = spool;
    this.root = Path.of(keys.root());
  }

  @Override
  public Path toReal(String virtualPath) throws Refused {
    return realOf(VirtualPath.resolve(VirtualPath.ROOT, virtualPath));
  }

  private Path realOf(String virtual) throws Refused {
    return virtual.equals(VirtualPath.ROOT) ? root : Path.of(keys.file(virtual));
  }

  private String virtualOf(Path real) {
    return real.equals(root) ? VirtualPath.ROOT : keys.virtualOf(real.toString());
  }

  @Override
  public FileInfo stat(String virtualPath) throws Refused {
    try {
      return home.stat(VirtualPath.ROOT, virtualPath);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public FileInfo statReal(Path real) throws Refused {
    try {
      if (real.toString().endsWith(PARTIAL_SUFFIX)) return partials.stat(real);
      return home.statVirtual(virtualOf(real));
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Listing list(String cwd, String path, String after, PageSize size) throws Refused {
    try {
      return home.list(cwd, path, after, size);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public String changeDir(String cwd, String path) throws Refused {
    String v = VirtualPath.resolveClamped(cwd, path);
    FileInfo info;
    try {
      info = home.statVirtual(v);
    } catch (IOException e) {
      throw unavailable(e);
    }
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such folder: " + v);
    if (!info.dir()) throw new Refused(Refusal.NOT_A_DIRECTORY, v + " is not a folder");
    return v;
  }

  @Override
  public void makeDir(String cwd, String path) throws Refused {
    try {
      home.makeDir(cwd, path);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public long delete(String cwd, String path) throws Refused {
    try {
      return home.delete(cwd, path);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /** Not atomic for a folder on S3: one copy and one delete per key (see {@link ObjectHome#rename}). */
  @Override
  public void rename(String cwd, String from, String to) throws Refused {
    try {
      home.rename(cwd, from, to);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /**
   * One HEAD (the size, the ETag every ranged GET then insists on, the SHA-256 label); the bytes come later,
   * in windows, from where the channel is first read (see the class comment). Its spool windows go when it
   * closes.
   */
  @Override
  public FileChannel openRead(Path real) throws Refused {
    if (real.toString().endsWith(PARTIAL_SUFFIX)) {
      throw new Refused(Refusal.FORBIDDEN, "an unfinished upload on S3 cannot be read back");
    }
    try {
      Optional<HeadObjectResponse> head = S3Calls.head(s3, bucket, real.toString());
      if (head.isEmpty()) {
        String virtual = virtualOf(real);
        if (home.statVirtual(virtual).dir()) throw new Refused(Refusal.IS_A_DIRECTORY, virtual + " is a folder");
        throw new Refused(Refusal.NOT_FOUND, "no such file: " + virtual);
      }
      HeadObjectResponse h = head.get();
      return new ObjectReadChannel(s3, bucket, real.toString(), h.eTag(), h.contentLength(),
          h.metadata().get(ObjectUpload.SHA256_METADATA), spool);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /** A {@link PartChannel}: appends to local spool files whose full parts go to S3 from helper threads. */
  @Override
  public FileChannel openWrite(Path real, boolean truncate) throws Refused {
    if (!real.toString().endsWith(PARTIAL_SUFFIX)) {
      throw new Refused(Refusal.FORBIDDEN, "a file on S3 is written only through its partial upload");
    }
    try {
      return partials.openWrite(real, truncate);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Path partialFor(Path real) {
    return Path.of(PartialState.keyOf(real.toString()));
  }

  @Override
  public boolean partialFits(Path partial) {
    return partial.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
  }

  /** The saved midstate of the partial's stored parts, when {@code bytes} is exactly them. */
  @Override
  public Optional<MessageDigest> heldDigest(Path partial, long bytes) {
    return partials.heldDigest(partial, bytes);
  }

  /** CompleteMultipartUpload (or one PutObject under a part): the object appears whole, atomically. */
  @Override
  public void publishPartial(Path partial, Path real) throws Refused {
    try {
      FileInfo target = home.statVirtual(virtualOf(real));
      if (target.exists() && target.dir()) throw new Refused(Refusal.IS_A_DIRECTORY, virtualOf(real) + " is a folder");
      if (!partials.publish(partial)) throw new Refused(Refusal.NOT_FOUND, "no synced upload of " + virtualOf(real));
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public long deletePartial(Path partial) throws Refused {
    try {
      return partials.delete(partial);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Tally tally() throws IOException {
    return tally.count();
  }

  @Override
  public Tally deleteStalePartials(Duration maxAge, Instant now, PartialGuard guard) throws IOException {
    return sweep.deleteStale(maxAge, now, heldHereToo(guard));
  }

  /**
   * The caller's guard (the upload locks) plus this node's own partials still being written or sent: a
   * channel whose last parts are still going out holds no lock any more but must not be aborted under it.
   */
  private PartialGuard heldHereToo(PartialGuard guard) {
    return new PartialGuard() {
      @Override
      public boolean tryHold(Path partial) {
        if (!guard.tryHold(partial)) return false;
        if (!partials.busy(partial)) return true;
        guard.release(partial);
        return false;
      }

      @Override
      public void release(Path partial) {
        guard.release(partial);
      }
    };
  }

  /** The store failed: refused as INTERNAL, its detail kept in the cause for the server log. */
  static Refused unavailable(IOException e) {
    return new Refused(Refusal.INTERNAL, "the file store is unavailable", e);
  }
}
