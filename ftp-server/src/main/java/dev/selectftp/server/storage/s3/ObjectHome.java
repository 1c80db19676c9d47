package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One user's home on S3-compatible storage, jailed to the key prefix {@code PREFIX/USER/} (see
 * {@link ObjectKeys}). A file is an object; a folder is a prefix holding at least one key, made by
 * {@link #makeDir} as a zero-byte marker {@code name/}. Paths are virtual paths as in {@code HomeStore}.
 *
 * <p><b>Threads.</b> Every method is a blocking network call (one or more HTTP requests) and runs on helper
 * threads only ({@code loop/Background}), never on the event loop.
 *
 * <p><b>Errors.</b> What the user did wrong is a {@link Refused} (NOT_FOUND, EXISTS, NOT_A_DIRECTORY,
 * IS_A_DIRECTORY, NOT_EMPTY, BAD_PATH); a store that is down or answers an error is an {@link IOException}.
 * Nothing the store confirmed (a written object, a stored part) is deleted by a failure.
 */
public final class ObjectHome {
  private final S3Client s3;
  private final String bucket;
  private final ObjectKeys keys;
  private final ObjectCopy copier;

  ObjectHome(S3Client s3, String bucket, ObjectKeys keys) {
    this(s3, bucket, keys, new ObjectCopy(s3, bucket));
  }

  /** With the copier's limits lowered by a test. */
  ObjectHome(S3Client s3, String bucket, ObjectKeys keys, ObjectCopy copier) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
    this.copier = copier;
  }

  /**
   * The home of {@code user} under {@code prefix} in {@code bucket}; touches nothing (a home with no key yet is
   * an empty folder).
   *
   * @throws IllegalArgumentException for a bad user name or prefix
   */
  public static ObjectHome of(S3Client s3, String bucket, String prefix, String user) {
    return new ObjectHome(s3, bucket, ObjectKeys.of(prefix, user));
  }

  /** Blocking (one or two requests): what is at a path; a missing file is not an error. */
  public FileInfo stat(String cwd, String path) throws Refused, IOException {
    return statVirtual(keys.resolve(cwd, path));
  }

  FileInfo statVirtual(String virtual) throws Refused, IOException {
    if (virtual.equals(VirtualPath.ROOT)) return new FileInfo(Path.of(keys.root()), true, true, 0, 0, null);
    String key = keys.file(virtual);
    Optional<HeadObjectResponse> head = head(key);
    if (head.isPresent()) {
      HeadObjectResponse h = head.get();
      return new FileInfo(Path.of(key), true, false, h.contentLength(), h.lastModified().toEpochMilli(), h.eTag());
    }
    String folder = keys.folder(virtual);
    ListObjectsV2Response inside = io("list", () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(folder).maxKeys(1)));
    if (inside.keyCount() > 0 || head(folder).isPresent()) return new FileInfo(Path.of(folder), true, true, 0, 0, null);
    return FileInfo.missing(Path.of(key));
  }

  /** Blocking: the SHA-256 an upload stored with the object ({@code x-amz-meta-sha256}), if it has one. */
  public Optional<String> storedSha256(String cwd, String path) throws Refused, IOException {
    String key = keys.file(keys.resolve(cwd, path));
    return head(key).map(h -> h.metadata().get(ObjectUpload.SHA256_METADATA));
  }

  /**
   * Blocking: one page of a folder by name in code point order (see {@link ObjectListing}); folder markers,
   * multipart uploads in flight and keys no virtual path can name are left out.
   *
   * @param after null for the first page, else the previous page's {@link Listing#next}
   * @throws Refused NOT_FOUND, NOT_A_DIRECTORY, BAD_PATH
   */
  public Listing list(String cwd, String path, String after, PageSize size) throws Refused, IOException {
    String virtual = keys.resolve(cwd, path);
    FileInfo info = statVirtual(virtual);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such folder: " + virtual);
    if (!info.dir()) throw new Refused(Refusal.NOT_A_DIRECTORY, virtual + " is a file, not a folder");
    // Any cursor is harmless: it only moves StartAfter, and the folder's prefix still bounds every key.
    return new ObjectListing(s3, bucket, keys.folder(virtual)).page(virtual, after, size);
  }

  /**
   * Blocking: creates one folder as a zero-byte marker {@code name/}; its parent must be a folder.
   *
   * @throws Refused EXISTS, NOT_FOUND (no parent), NOT_A_DIRECTORY (the parent is a file), BAD_PATH
   */
  public void makeDir(String cwd, String path) throws Refused, IOException {
    String virtual = keys.resolve(cwd, path);
    requireParentFolder(virtual);
    if (statVirtual(virtual).exists()) throw new Refused(Refusal.EXISTS, virtual + " already exists");
    String marker = keys.folder(virtual);
    io("put folder marker", () -> s3.putObject(r -> r.bucket(bucket).key(marker), RequestBody.empty()));
  }

  /**
   * Blocking: deletes one file, or one empty folder's marker. A folder holding an upload in flight is not
   * empty, as a folder holding a partial is not on disk.
   *
   * @return the bytes freed
   * @throws Refused BAD_PATH for {@code /}, NOT_FOUND, NOT_EMPTY
   */
  public long delete(String cwd, String path) throws Refused, IOException {
    String virtual = keys.resolve(cwd, path);
    String key = keys.file(virtual);
    FileInfo info = statVirtual(virtual);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder: " + virtual);
    if (!info.dir()) {
      io("delete", () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
      return info.size();
    }
    String folder = keys.folder(virtual);
    ListObjectsV2Response inside = io("list", () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(folder).maxKeys(2)));
    boolean onlyMarker = inside.contents().stream().allMatch(o -> o.key().equals(folder));
    boolean uploads = !io("list uploads",
        () -> s3.listMultipartUploads(r -> r.bucket(bucket).prefix(folder))).uploads().isEmpty();
    if (!onlyMarker || uploads) throw new Refused(Refusal.NOT_EMPTY, virtual + " is not empty");
    io("delete folder marker", () -> s3.deleteObject(r -> r.bucket(bucket).key(folder)));
    return 0;
  }

  /**
   * Blocking: renames or moves a file or folder; the target must not exist and its parent must be a folder.
   * A file costs one copy ({@link ObjectCopy}: one CopyObject, or a multipart copy above 5 GiB) and one
   * DeleteObject. A folder costs one copy per key under it, then
   * one DeleteObject per key, so it takes time in proportion to the folder's keys and bytes (each copy is
   * server-side) and is <b>not atomic</b>: a reader during the move may see both trees, and a failure part-way
   * leaves keys under both names, never under neither (all copies finish before the first delete).
   *
   * @return how many keys were moved
   * @throws Refused BAD_PATH for {@code /} or a folder into itself, NOT_FOUND, EXISTS, NOT_A_DIRECTORY
   */
  public int rename(String cwd, String from, String to) throws Refused, IOException {
    String source = keys.resolve(cwd, from);
    String target = keys.resolve(cwd, to);
    if (source.equals(VirtualPath.ROOT) || target.equals(VirtualPath.ROOT)) {
      throw new Refused(Refusal.BAD_PATH, "/ is your home folder; it cannot be renamed or replaced");
    }
    FileInfo info = statVirtual(source);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder: " + source);
    requireParentFolder(target);
    if (statVirtual(target).exists()) throw new Refused(Refusal.EXISTS, target + " already exists");
    if (!info.dir()) {
      move(Map.of(keys.file(source), info.size()), keys.file(source), keys.file(target));
      return 1;
    }
    if (target.startsWith(source + "/")) throw new Refused(Refusal.BAD_PATH, "a folder cannot move into itself");
    String oldPrefix = keys.folder(source);
    Map<String, Long> all = new LinkedHashMap<>();
    // Filesystem-backed stores (S3Proxy's, MinIO's) leave a folder's own marker out of a listing of its prefix.
    if (head(oldPrefix).isPresent()) all.put(oldPrefix, 0L);
    for (S3Object o : S3Calls.allKeys(s3, bucket, oldPrefix)) if (!o.key().equals(oldPrefix)) all.put(o.key(), o.size());
    move(all, oldPrefix, keys.folder(target));
    return all.size();
  }

  /**
   * Copies every key (markers are written anew, not copied), then deletes the sources deepest first.
   *
   * @param sources each key with its size as listed
   */
  private void move(Map<String, Long> sources, String oldPrefix, String newPrefix) throws IOException {
    for (Map.Entry<String, Long> source : sources.entrySet()) {
      String key = source.getKey();
      String moved = newPrefix + key.substring(oldPrefix.length());
      if (key.endsWith(ObjectKeys.SLASH)) {
        io("put folder marker", () -> s3.putObject(r -> r.bucket(bucket).key(moved), RequestBody.empty()));
      } else {
        copier.copy(key, moved, source.getValue());
      }
    }
    List<String> deepestFirst = new ArrayList<>(sources.keySet());
    deepestFirst.sort(Comparator.reverseOrder());
    for (String key : deepestFirst) io("delete", () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
  }

  /**
   * Blocking: {@code length} bytes of a file from {@code offset} (one ranged GetObject), as a stream the caller
   * closes. Fewer bytes come when the file ends first; none past its end.
   *
   * @throws Refused NOT_FOUND, IS_A_DIRECTORY, BAD_PATH
   */
  public InputStream openRange(String cwd, String path, long offset, long length) throws Refused, IOException {
    if (offset < 0 || length < 0) throw new IllegalArgumentException("negative offset or length");
    String virtual = keys.resolve(cwd, path);
    FileInfo info = statVirtual(virtual);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file: " + virtual);
    if (info.dir()) throw new Refused(Refusal.IS_A_DIRECTORY, virtual + " is a folder");
    if (length == 0 || offset >= info.size()) return InputStream.nullInputStream();
    String key = keys.file(virtual);
    String range = "bytes=" + offset + "-" + (offset + Math.min(length, info.size() - offset) - 1);
    return io("get", () -> s3.getObject(r -> r.bucket(bucket).key(key).range(range)));
  }

  /**
   * Blocking, bounded: reads up to {@code into.remaining()} bytes of a file from {@code offset} into
   * {@code into} (one ranged GetObject of that size).
   *
   * @return bytes read, or -1 at or past the end of the file
   */
  public int read(String cwd, String path, long offset, ByteBuffer into) throws Refused, IOException {
    int wanted = into.remaining();
    int total = 0;
    try (InputStream in = openRange(cwd, path, offset, wanted)) {
      byte[] chunk = new byte[Math.min(wanted, 64 * 1024)];
      int n;
      while (total < wanted && (n = in.read(chunk, 0, Math.min(chunk.length, wanted - total))) > 0) {
        into.put(chunk, 0, n);
        total += n;
      }
    }
    return total == 0 && wanted > 0 ? -1 : total;
  }

  /**
   * Blocking: starts an upload of a file as a new multipart upload (the S3 "partial": invisible to
   * listings and reads until {@link ObjectUpload#complete}). An earlier interrupted upload of the same
   * target stays until aborted or resumed.
   *
   * @throws Refused IS_A_DIRECTORY, NOT_FOUND (no parent folder), NOT_A_DIRECTORY, BAD_PATH
   */
  public ObjectUpload startUpload(String cwd, String path) throws Refused, IOException {
    String key = uploadTarget(keys.resolve(cwd, path));
    return ObjectUpload.start(s3, bucket, key);
  }

  /**
   * Blocking: the interrupted upload of a target (the one its saved state names, else the one with the most
   * parts stored; see {@link ObjectUpload}), ready to continue at its
   * {@link ObjectUpload#length()} (a part boundary: bytes that were buffered but never stored as a part are
   * gone and must be sent again), or empty when there is none.
   */
  public Optional<ObjectUpload> findInterruptedUpload(String cwd, String path) throws Refused, IOException {
    String key = uploadTarget(keys.resolve(cwd, path));
    return ObjectUpload.findInterrupted(s3, bucket, key);
  }

  private String uploadTarget(String virtual) throws Refused, IOException {
    requireParentFolder(virtual);
    FileInfo info = statVirtual(virtual);
    if (info.exists() && info.dir()) throw new Refused(Refusal.IS_A_DIRECTORY, virtual + " is a folder");
    return keys.file(virtual);
  }

  private void requireParentFolder(String virtual) throws Refused, IOException {
    if (virtual.equals(VirtualPath.ROOT)) throw new Refused(Refusal.BAD_PATH, "/ is your home folder");
    String parent = virtual.substring(0, virtual.lastIndexOf('/'));
    FileInfo info = statVirtual(parent.isEmpty() ? VirtualPath.ROOT : parent);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such folder: " + (parent.isEmpty() ? "/" : parent));
    if (!info.dir()) throw new Refused(Refusal.NOT_A_DIRECTORY, parent + " is a file, not a folder");
  }

  private Optional<HeadObjectResponse> head(String key) throws IOException {
    return S3Calls.head(s3, bucket, key);
  }
}
