package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A remote folder's tree, every folder and file under it by relative path: one whole listing (all its
 * pages) per folder. A path that would grow past what a request may carry ends the walk with an error, so
 * a server that lists folders forever cannot keep the client walking.
 */
final class RemoteTree {
  private RemoteTree() {}

  /**
   * Walks {@code root} (not included).
   *
   * @throws dev.selectftp.client.FtpException NOT_FOUND or NOT_A_DIRECTORY when {@code root} is no folder
   */
  static SortedMap<String, TreeEntry> walk(FtpClient client, String root) throws IOException {
    SortedMap<String, TreeEntry> tree = new TreeMap<>();
    Deque<String> folders = new ArrayDeque<>();
    folders.add("");
    while (!folders.isEmpty()) {
      String folder = folders.poll();
      String path = join(root, folder);
      if (path.length() > Request.MAX_PATH_CHARS) throw new IOException("remote path too long under " + root);
      for (Response.Entry entry : client.list(path)) {
        String relative = folder.isEmpty() ? entry.name() : folder + "/" + entry.name();
        tree.put(relative, new TreeEntry(entry.dir(), entry.dir() ? 0 : entry.size()));
        if (entry.dir()) folders.add(relative);
      }
    }
    return tree;
  }

  /** {@code relative} under the remote folder {@code root}, without doubling a {@code /}. */
  static String join(String root, String relative) {
    if (relative.isEmpty()) return root;
    if (root.isEmpty() || root.equals(".")) return relative;
    return root.endsWith("/") ? root + relative : root + "/" + relative;
  }
}
