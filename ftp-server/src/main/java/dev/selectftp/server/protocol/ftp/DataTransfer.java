package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.Upload;

/** What one data connection carries, once it is connected. */
sealed interface DataTransfer {
  /** A listing, one page at a time (LIST, NLST, MLSD). */
  record Listing(ListingStream stream) implements DataTransfer {}

  /** A file going out (RETR), from its download's offset. */
  record Send(Download download) implements DataTransfer {}

  /** A file coming in (STOR), until the client closes the data connection. */
  record Receive(Upload upload) implements DataTransfer {}
}
