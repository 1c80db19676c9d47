package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Commands over many files: {@code mput GLOB...}, {@code mget GLOB...}, {@code put -r LOCALDIR [REMOTE]} and
 * {@code get -r REMOTEDIR [LOCAL]}. Each file goes through {@link OneFile}, so the rules for a name that
 * exists (ask, or the flag) are put's and get's. A file that fails is reported and the rest still move; the
 * command then fails with exit 1 ({@link BatchFailedException}). A glob is matched against one folder's
 * names (its last segment only: {@code docs/*.txt}), locally with java.nio's glob syntax and remotely
 * against the folder's whole listing; a pattern that matches nothing is an error.
 */
final class ManyFiles {
  private final Context context;
  private final OneFile oneFile;

  ManyFiles(Context context, OneFile oneFile) {
    this.context = context;
    this.oneFile = oneFile;
  }

  /** mput GLOB...: uploads the matching local files into the current remote folder under their names. */
  void mput(List<String> globs, Existing flag) throws IOException {
    eachMatch(globs, "local", this::localMatches, file -> oneFile.put(file.toString(), null, flag));
  }

  /** mget GLOB...: downloads the matching remote files into the local folder under their names. */
  void mget(List<String> globs, Existing flag) throws IOException {
    eachMatch(globs, "remote", this::remoteMatches, remote -> oneFile.get(remote, null, flag));
  }

  /** The files one glob matches. */
  private interface Glob<T> {
    List<T> matches(String glob) throws IOException;
  }

  /** Moves one matched file. */
  private interface Move<T> {
    void move(T file) throws IOException;
  }

  /**
   * Moves every file the globs match, in order; a glob that matches nothing is a failure of its own, and
   * when none matches anything, the one error of the command.
   */
  private <T> void eachMatch(List<String> globs, String side, Glob<T> glob, Move<T> move) throws IOException {
    List<T> files = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    for (String pattern : globs) {
      List<T> matched = glob.matches(pattern);
      if (matched.isEmpty()) unmatched.add(pattern);
      files.addAll(matched);
    }
    String none = "no " + side + " file matches ";
    if (files.isEmpty()) throw new BatchFailedException(none + String.join(" ", globs));
    Batch batch = newBatch();
    for (String pattern : unmatched) batch.fail(none + pattern);
    for (T file : files) batch.run(() -> move.move(file));
    batch.finish(files.size() + unmatched.size(), "files and patterns");
  }

  /**
   * put -r LOCALDIR [REMOTE]: uploads a local folder's tree into REMOTE (by default the folder's own name in
   * the current remote folder), making the remote folders that are missing.
   */
  void putTree(String localDir, String remoteOrNull, Existing flag) throws IOException {
    Path root = context.local().resolve(localDir);
    SortedMap<String, TreeEntry> tree = LocalTree.walk(root);
    String remoteRoot = remoteOrNull != null ? remoteOrNull : LocalFolder.nameOf(root);
    FtpClient client = context.session().client();
    makeRemoteFolders(client, remoteRoot);
    Batch batch = newBatch();
    int files = 0;
    for (Map.Entry<String, TreeEntry> e : tree.entrySet()) {
      String remote = RemoteTree.join(remoteRoot, e.getKey());
      if (e.getValue().dir()) {
        batch.run(() -> makeRemoteFolder(context.session().client(), remote));
      } else {
        files++;
        Path file = root.resolve(e.getKey());
        batch.run(() -> oneFile.put(file.toString(), remote, flag));
      }
    }
    batch.finish(tree.size(), "files and folders");
    context.terminal().println("put -r " + localDir + ": " + files + " files to " + remoteRoot);
  }

  /**
   * get -r REMOTEDIR [LOCAL]: downloads a remote folder's tree into LOCAL (by default the folder's own name in
   * the local folder), making the local folders that are missing.
   */
  void getTree(String remoteDir, String localOrNull, Existing flag) throws IOException {
    SortedMap<String, TreeEntry> tree = RemoteTree.walk(context.session().client(), remoteDir);
    LocalFolder local = context.local();
    Path root = localOrNull != null ? local.resolve(localOrNull) : local.targetFor(remoteDir);
    Files.createDirectories(root);
    Batch batch = newBatch();
    int files = 0;
    for (Map.Entry<String, TreeEntry> e : tree.entrySet()) {
      Path target = root.resolve(e.getKey());
      if (e.getValue().dir()) {
        batch.run(() -> Files.createDirectories(target));
      } else {
        files++;
        String remote = RemoteTree.join(remoteDir, e.getKey());
        batch.run(() -> oneFile.get(remote, target.toString(), flag));
      }
    }
    batch.finish(tree.size(), "files and folders");
    String shown = local.shown(root);
    context.terminal().println("get -r " + remoteDir + ": " + files + " files to " + shown);
  }

  private Batch newBatch() {
    return new Batch(context.session(), context.terminal());
  }

  /** The regular files in the local folder of {@code glob} whose names match its last segment, by name. */
  private List<Path> localMatches(String glob) throws IOException {
    int slash = glob.lastIndexOf('/');
    Path folder = slash < 0 ? context.local().path() : context.local().resolve(glob.substring(0, slash + 1));
    List<Path> matched = new ArrayList<>();
    if (!Files.isDirectory(folder)) return matched;
    try (DirectoryStream<Path> names = Files.newDirectoryStream(folder, glob.substring(slash + 1))) {
      for (Path file : names) {
        if (Files.isRegularFile(file) && !LocalTree.isPartial(file.getFileName().toString())) matched.add(file);
      }
    }
    matched.sort(null);
    return matched;
  }

  /** The remote files in the folder of {@code glob} whose names match its last segment, as paths to get. */
  private List<String> remoteMatches(String glob) throws IOException {
    int slash = glob.lastIndexOf('/');
    String folder = slash < 0 ? null : glob.substring(0, slash + 1);
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(slash + 1));
    List<String> matched = new ArrayList<>();
    List<Response.Entry> entries;
    try {
      entries = context.session().client().list(folder);
    } catch (FtpException e) {
      if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.NOT_A_DIRECTORY) return matched;
      throw e;
    }
    for (Response.Entry entry : entries) {
      if (!entry.dir() && matcher.matches(Path.of(entry.name()))) {
        matched.add(folder == null ? entry.name() : folder + entry.name());
      }
    }
    return matched;
  }

  /** Makes {@code path} and its missing parents on the server, as {@code mkdir -p}. */
  static void makeRemoteFolders(FtpClient client, String path) throws IOException {
    StringBuilder prefix = new StringBuilder(path.startsWith("/") ? "/" : "");
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) continue;
      prefix.append(segment);
      makeRemoteFolder(client, prefix.toString());
      prefix.append('/');
    }
  }

  /** Makes one folder on the server; one that exists already is fine. */
  static void makeRemoteFolder(FtpClient client, String path) throws IOException {
    try {
      client.mkdir(path);
    } catch (FtpException e) {
      if (e.code() != ErrorCode.EXISTS) throw e;
    }
  }
}
