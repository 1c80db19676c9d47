package dev.selectftp.client.console;

import dev.selectftp.client.FtpException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns exceptions into the one line a user sees and the exit status a script sees. */
final class Errors {
  private Errors() {}

  /** One human line, without the {@code error: } prefix. Branches on types, never on message text. */
  static String describe(Exception e) {
    // A server's or the JDK's message could hold a line break; the user still gets exactly one line.
    return describeAny(e).replaceAll("\\R+", " ").strip();
  }

  private static String describeAny(Exception e) {
    if (e instanceof FtpException || e instanceof UsageException) return e.getMessage();
    if (e instanceof NoSuchFileException n) return "no such local file: " + n.getFile();
    if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
    if (e instanceof FileAlreadyExistsException f) return "local file exists: " + f.getFile();
    if (e instanceof NotDirectoryException n) return "not a local folder: " + n.getFile();
    if (e instanceof UnknownHostException u) return "unknown host " + u.getMessage();
    if (e instanceof ConnectException c) return "cannot connect: " + c.getMessage();
    if (e instanceof SocketTimeoutException) return "the server did not answer in time";
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  static int exitCode(Exception e) {
    if (e instanceof FtpException || e instanceof ExistingTargetException || e instanceof BatchFailedException) {
      return ExitCode.REFUSED;
    }
    if (e instanceof UsageException) return ExitCode.USAGE;
    if (e instanceof IOException) return ExitCode.IO;
    return ExitCode.IO;
  }
}
