package dev.selectftp.client;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Browsing over one {@link Wire}: a listing's pages, a whole listing, and finding one entry (see
 * {@link FtpClient#listPages}, {@link FtpClient#list} and {@link FtpClient#find} for the contracts).
 */
final class Listings {
  /**
   * Most pages one listing may take: 1,000 pages hold 500,000 entries at the server's page size of 500, five
   * times the server's default limit on one user's files, and bound what a hostile server can make us hold.
   */
  static final int MAX_PAGES = 1_000;

  private final Wire wire;

  Listings(Wire wire) {
    this.wire = wire;
  }

  List<Response.Entry> all(String pathOrNull) throws IOException {
    List<Response.Entry> all = new ArrayList<>();
    pages(pathOrNull, page -> {
      all.addAll(page.entries());
      return true;
    });
    return all;
  }

  void pages(String pathOrNull, Predicate<Response.Listing> visitor) throws IOException {
    String path = pathOrNull;
    String after = null;
    for (int pages = 1; ; pages++) {
      Response.Listing page = wire.call(new Request.List(path, after), Response.Listing.class);
      if (!visitor.test(page) || page.next() == null) return;
      if (page.next().equals(after)) {
        throw wire.lost(new IOException("the server sent the same listing cursor twice"));
      }
      if (pages >= MAX_PAGES) {
        throw wire.lost(new IOException("the server's listing did not end after " + MAX_PAGES + " pages"));
      }
      if (page.path() != null) path = page.path();
      after = page.next();
    }
  }

  Response.Entry find(String remotePath) throws IOException {
    String trimmed = remotePath.endsWith("/") && remotePath.length() > 1
        ? remotePath.substring(0, remotePath.length() - 1) : remotePath;
    int slash = trimmed.lastIndexOf('/');
    String folder = slash < 0 ? null : slash == 0 ? "/" : trimmed.substring(0, slash);
    String name = trimmed.substring(slash + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) return null;
    Response.Entry[] found = {null};
    try {
      // Stops at the page that holds the name.
      pages(folder, page -> {
        for (Response.Entry entry : page.entries()) {
          if (entry.name().equals(name)) found[0] = entry;
        }
        return found[0] == null;
      });
    } catch (FtpException e) {
      if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.NOT_A_DIRECTORY) return null;
      throw e;
    }
    return found[0];
  }
}
