package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.net.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the FTP door says about itself, before or after a login: SYST, FEAT (RFC 2389: the extensions this
 * door answers, with the lines the listings, the hash and the security give as they stand now), HELP, and
 * OPTS, which hands MLST and HASH to the part of the door they set. Loop-thread confined.
 */
final class FtpFeatures {
  /** What HELP lists: the commands this door answers. */
  private static final String HELP = "USER PASS QUIT NOOP SYST FEAT OPTS HELP TYPE MODE STRU PWD CWD CDUP MKD RMD"
      + " DELE RNFR RNTO SIZE MDTM REST PASV EPSV LIST NLST RETR STOR APPE ALLO ABOR AUTH PBSZ PROT STAT MLSD MLST HASH XSHA256";
  /** The FEAT lines that need no part of the door to say them. */
  private static final List<String> PLAIN_FEATURES = List.of("UTF8", "SIZE", "MDTM", "EPSV", "PASV", "REST STREAM");

  private final Peer peer;
  /** The FEAT lines of the door's parts, asked at each FEAT (they change with OPTS and TLS). */
  private final Supplier<List<String>> partFeatures;
  private final Consumer<String> mlstOptions;
  private final Consumer<String> hashOptions;

  /**
   * @param partFeatures the FEAT lines of the listings, the hash and the security, as they stand
   * @param mlstOptions takes OPTS MLST's value (the facts)
   * @param hashOptions takes OPTS HASH's value (the algorithm)
   */
  FtpFeatures(Peer peer, Supplier<List<String>> partFeatures, Consumer<String> mlstOptions,
      Consumer<String> hashOptions) {
    this.peer = peer;
    this.partFeatures = partFeatures;
    this.mlstOptions = mlstOptions;
    this.hashOptions = hashOptions;
  }

  void syst() {
    reply(215, "UNIX Type: L8");
  }

  void feat() {
    List<String> features = new ArrayList<>(PLAIN_FEATURES);
    features.addAll(partFeatures.get());
    peer.send(Replies.multi(211, "Features:", features, "End"));
  }

  void help() {
    peer.send(Replies.multi(214, "Commands:", List.of(HELP), "See RFC 959."));
  }

  /** OPTS UTF8 ON, OPTS MLST facts (RFC 3659), OPTS HASH algorithm (draft-bryan-ftpext-hash). */
  void options(String arg) {
    int space = arg.indexOf(' ');
    String name = (space < 0 ? arg : arg.substring(0, space)).toUpperCase(Locale.ROOT);
    String value = space < 0 ? "" : arg.substring(space + 1);
    switch (name) {
      case "UTF8" -> {
        if (value.strip().equalsIgnoreCase("ON")) {
          reply(200, "always in UTF-8");
        } else {
          reply(501, "only OPTS UTF8 ON is known");
        }
      }
      case "MLST" -> mlstOptions.accept(value);
      case "HASH" -> hashOptions.accept(value);
      default -> reply(501, "OPTS knows UTF8, MLST and HASH");
    }
  }

  private void reply(int code, String text) {
    peer.send(Replies.line(code, text));
  }
}
