package dev.selectftp.client.console;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A local folder's tree, every folder and regular file under it by relative path. Symbolic links are not
 * followed and left out (as the server refuses them in homes), and so are the hidden partials of
 * interrupted downloads ({@code .NAME.selectftp-part}), which are not the user's files.
 */
final class LocalTree {
  /** The suffix of a partial download beside its target; the server refuses such names too. */
  static final String PARTIAL_SUFFIX = ".selectftp-part";

  private LocalTree() {}

  static boolean isPartial(String name) {
    return name.endsWith(PARTIAL_SUFFIX);
  }

  /**
   * Walks {@code root} (not included).
   *
   * @throws NoSuchFileException when it does not exist
   * @throws NotDirectoryException when it is not a folder
   */
  static SortedMap<String, TreeEntry> walk(Path root) throws IOException {
    if (!Files.exists(root)) throw new NoSuchFileException(root.toString());
    if (!Files.isDirectory(root)) throw new NotDirectoryException(root.toString());
    SortedMap<String, TreeEntry> tree = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root)) tree.put(relative(root, dir), new TreeEntry(true, 0));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && !isPartial(file.getFileName().toString())) {
          tree.put(relative(root, file), new TreeEntry(false, attrs.size()));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return tree;
  }

  private static String relative(Path root, Path inside) {
    return root.relativize(inside).toString().replace(inside.getFileSystem().getSeparator(), "/");
  }
}
