package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.core.Uploads;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.VirtualPath;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP commands of a logged-in user that move no file bytes: each becomes one call of the core's
 * {@link FileOperations} (or one stat of the home), its result a reply and its refusal the reply code
 * {@link FtpReplies} maps it to. Paths go through the same jail as every SelectFTP request; store calls run
 * off the loop while the session waits ({@link FtpStoreWaits}).
 */
final class FtpFiles {
  private static final Logger log = LoggerFactory.getLogger(FtpFiles.class);

  /** RFC 3659's time-val, in UTC. */
  private static final java.time.format.DateTimeFormatter MDTM =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

  private final FtpControl control;
  private final FileOperations operations;
  private final Uploads uploads;
  private final Peer peer;
  private final FtpStoreWaits waits;

  FtpFiles(FtpControl control, FtpServices services, Peer peer, FtpStoreWaits waits) {
    this.waits = waits;
    this.control = control;
    this.operations = services.operations();
    this.uploads = services.uploads();
    this.peer = peer;
  }

  FtpState handle(Ready ready, String verb, String arg) throws Refused {
    Login login = ready.login();
    String cwd = login.cwd();
    switch (verb) {
      case "PWD", "XPWD":
        control.reply(257, Replies.quoted(cwd) + " is the current folder");
        return ready;
      case "CWD", "XCWD":
        return changeDir(ready, verb, arg.isEmpty() ? VirtualPath.ROOT : arg);
      case "CDUP", "XCUP":
        return changeDir(ready, verb, "..");
      case "MKD", "XMKD": {
        String path = required(arg);
        return waits.<String>await(ready, verb, done -> operations.makeDir(login.user(), login.home(), cwd, path, done),
            made -> {
              log.info("{}: {} mkdir {}", peer.address(), login.user(), LogText.of(made));
              control.reply(257, Replies.quoted(made) + " created");
              return ready;
            });
      }
      case "RMD", "XRMD":
        return delete(ready, verb, required(arg), FileOperations.Kind.FOLDER);
      case "DELE":
        return delete(ready, verb, required(arg), FileOperations.Kind.FILE);
      case "RNFR": {
        String path = required(arg);
        return waits.<FileInfo>await(ready, verb, done -> operations.stat(login.home(), cwd, path, done), info -> {
          if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder");
          control.reply(350, "ready for RNTO");
          return new Ready(login, VirtualPath.resolve(cwd, path));
        });
      }
      case "RNTO": {
        if (ready.renameFrom() == null) {
          control.reply(503, "send RNFR first");
          return ready;
        }
        Ready after = ready.with(login); // RNFR is used up, whatever happens
        String to = required(arg);
        return waits.<FileOperations.Renamed>await(after, verb,
            done -> operations.rename(login.user(), login.home(), cwd, ready.renameFrom(), to, done), names -> {
              log.info("{}: {} renamed {} to {}", peer.address(), login.user(), LogText.of(names.from()),
                  LogText.of(names.to()));
              control.reply(250, "renamed");
              return after;
            });
      }
      case "SIZE": {
        // An interrupted upload's length when the name has one: how resuming clients ask what arrived.
        String path = required(arg);
        return waits.<Long>await(ready, verb, done -> uploads.resumableSize(login.home(), cwd, path, done), size -> {
          control.reply(213, Long.toString(size));
          return ready;
        });
      }
      case "MDTM": {
        String path = required(arg);
        return waits.<FileInfo>await(ready, verb, done -> operations.stat(login.home(), cwd, path, done), info -> {
          if (!info.exists() || info.dir()) throw new Refused(Refusal.NOT_FOUND, "not a file");
          control.reply(213, MDTM.format(java.time.Instant.ofEpochMilli(info.modifiedMillis())));
          return ready;
        });
      }
      case "TYPE":
        return type(ready, arg);
      case "MODE":
        return only(ready, arg, "S", "stream mode");
      case "STRU":
        return only(ready, arg, "F", "file structure");
      default:
        control.reply(502, "command not implemented");
        return ready;
    }
  }

  private FtpState changeDir(Ready ready, String verb, String path) {
    Login login = ready.login();
    return waits.<String>await(ready, verb, done -> operations.changeDir(login.home(), login.cwd(), path, done),
        next -> {
          control.reply(250, "now in " + Replies.quoted(next));
          return ready.with(login.withCwd(next));
        });
  }

  /** RMD takes only folders and DELE only files; the core deletes either, so the kind is checked first. */
  private FtpState delete(Ready ready, String verb, String path, FileOperations.Kind kind) {
    Login login = ready.login();
    return waits.<String>await(ready, verb,
        done -> operations.delete(login.user(), login.home(), login.cwd(), path, kind, done), target -> {
          log.info("{}: {} deleted {}", peer.address(), login.user(), LogText.of(target));
          control.reply(250, "deleted");
          return ready;
        });
  }

  /** TYPE A and I (with their optional second parameters); transfers are always binary for now. */
  private FtpState type(Ready ready, String arg) {
    String t = arg.strip().toUpperCase(Locale.ROOT);
    if (t.equals("I") || t.equals("L 8")) {
      control.reply(200, "type set to I");
    } else if (t.equals("A") || t.equals("A N")) {
      control.reply(200, "type set to A");
    } else {
      control.reply(504, "only TYPE A and I are supported");
    }
    return ready;
  }

  private FtpState only(Ready ready, String arg, String value, String what) {
    if (arg.strip().equalsIgnoreCase(value)) {
      control.reply(200, what);
    } else {
      control.reply(504, "only " + what + " is supported");
    }
    return ready;
  }

  private static String required(String arg) throws Refused {
    return FtpControl.required(arg);
  }
}
