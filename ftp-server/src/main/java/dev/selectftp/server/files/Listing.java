package dev.selectftp.server.files;

import dev.selectftp.common.Response;
import java.util.List;

/**
 * One folder's visible entries, folders first then by name.
 *
 * @param entries at most {@link Home#MAX_LIST_ENTRIES}, and few enough to fit one frame
 * @param truncated true when the folder holds more than was returned
 */
public record Listing(List<Response.Entry> entries, boolean truncated) {
  public Listing {
    entries = List.copyOf(entries);
  }
}
