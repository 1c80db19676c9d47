package dev.selectftp.client.bench;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.tls.ClientTls;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one bench run will do, as {@link Bench} read it from the command line and checked: the server, the
 * users and the op mix, how many clients and passes, and the sizes and times in their units.
 *
 * @param users the names the clients log in as, round-robin (USER-0.. with {@code --register})
 * @param register how many bench users to register first (0: use {@code users} as they are)
 * @param duration how long to run when {@code requests} is 0; {@code durationText} as typed, for the report
 * @param requests total passes over the mix shared by all clients, 0 to run for {@code duration}
 * @param beforeStats shell command run before each heap reading, or null
 */
record Plan(String host, int port, List<String> users, String password, int register, List<Op> mix,
    int clients, long sizeBytes, Duration replyTimeout, Duration duration, String durationText, long requests,
    long warmup, int keepOpen, Duration statsEvery, String beforeStats) {

  /** The operations a pass may hold (the {@code --ops} words). */
  enum Op { LOGIN, LIST, PUT, GET }

  FtpClient connect(ClientTls tls) throws IOException {
    return FtpClient.connect(host, port, replyTimeout, tls);
  }

  boolean has(Op op) {
    return mix.contains(op);
  }

  /** The mix as the {@code --ops} words, for the report. */
  List<String> opNames() {
    return mix.stream().map(o -> o.name().toLowerCase(Locale.ROOT)).toList();
  }

  /** How long the measured round runs, for the report: a number of passes or the duration as typed. */
  String limit() {
    return requests > 0 ? requests + " passes" : durationText;
  }
}
