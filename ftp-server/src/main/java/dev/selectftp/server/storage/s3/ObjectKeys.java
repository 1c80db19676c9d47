package dev.selectftp.server.storage.s3;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.UserNames;
import dev.selectftp.server.storage.VirtualPath;

/**
 * The jail of one user on S3: every key of the home starts with {@code PREFIX/USER/} (the trailing slash keeps
 * {@code alice} from reaching {@code alice2}). Keys are made only from paths {@link VirtualPath} normalized
 * (no {@code ..}, no backslash, no empty or dot names), so a user can name no key outside the prefix; a
 * key that does not start with the prefix is refused once more here, as a second wall.
 */
final class ObjectKeys {
  /** The separator of S3 "folders" (a convention of ListObjectsV2's delimiter, not of the store). */
  static final String SLASH = "/";

  private final String root;

  private ObjectKeys(String root) {
    this.root = root;
  }

  /**
   * The keys of {@code user} under {@code prefix}.
   *
   * @param prefix where all homes live in the bucket, for example {@code "homes"}; empty for the bucket's top.
   *     Operator input: each of its names must be acceptable to {@link VirtualPath}.
   * @throws IllegalArgumentException for a bad prefix or user name
   */
  static ObjectKeys of(String prefix, String user) {
    if (!UserNames.isValid(user)) throw new IllegalArgumentException("not a valid user name");
    String clean;
    try {
      clean = prefix.isEmpty() ? "" : VirtualPath.resolve(VirtualPath.ROOT, prefix).substring(1);
    } catch (Refused e) {
      throw new IllegalArgumentException("not a valid key prefix: " + e.getMessage(), e);
    }
    return new ObjectKeys((clean.isEmpty() ? "" : clean + SLASH) + user + SLASH);
  }

  /** {@code PREFIX/USER/}: the home's folder prefix. */
  String root() {
    return root;
  }

  /** Resolves what a user typed against the current folder, as the local store does. */
  String resolve(String cwd, String path) throws Refused {
    return VirtualPath.resolve(cwd, path);
  }

  /** The object key of a file at a normalized virtual path other than {@code /}. */
  String file(String virtual) throws Refused {
    if (virtual.equals(VirtualPath.ROOT)) throw new Refused(Refusal.BAD_PATH, "/ is your home folder, not a file");
    return confined(root + virtual.substring(1));
  }

  /** The prefix of everything inside the folder at a normalized virtual path ({@link #root} for {@code /}). */
  String folder(String virtual) throws Refused {
    return virtual.equals(VirtualPath.ROOT) ? root : confined(root + virtual.substring(1) + SLASH);
  }

  /** The virtual path of a key of this home, for example {@code "/docs/a.txt"}. */
  String virtualOf(String key) {
    if (!key.startsWith(root)) throw new IllegalArgumentException("a key outside the home");
    String rest = key.substring(root.length());
    if (rest.endsWith(SLASH)) rest = rest.substring(0, rest.length() - 1);
    return VirtualPath.ROOT + rest;
  }

  private String confined(String key) throws Refused {
    if (!key.startsWith(root) || key.contains("//") || key.contains("/../") || key.contains("\\")) {
      throw new Refused(Refusal.BAD_PATH, "the path would leave your home folder");
    }
    return key;
  }
}
