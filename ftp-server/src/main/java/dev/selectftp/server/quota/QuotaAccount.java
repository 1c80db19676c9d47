package dev.selectftp.server.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One user's totals as {@link Quotas} keeps them: what is stored, reserved and counted, and the state of the
 * count. Loop-thread confined, like {@link Quotas}, which alone changes it (and {@link Reservation} ending).
 */
final class QuotaAccount {
  boolean known;
  boolean counting;
  /** Changes begun off the loop and not yet applied; counts finishing meanwhile wait for them. */
  int pendingChanges;
  boolean recountWhenSettled;
  long stored;
  long entries;
  long reserved;
  /** Bumped on every change, so a count taken before one is not recorded after it. */
  long version;
  /** Which account of this name the totals belong to (its creation stamp). */
  String generation = "";
  final List<Consumer<Exception>> waiters = new ArrayList<>(1);
}
