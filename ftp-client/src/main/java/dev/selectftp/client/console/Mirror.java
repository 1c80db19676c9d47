package dev.selectftp.client.console;

import dev.selectftp.client.Digests;
import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.GetMode;
import dev.selectftp.client.PutMode;
import dev.selectftp.client.TransferCancelledException;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mirror REMOTE [LOCAL]} (download) and {@code mirror -R LOCAL [REMOTE]} (upload): makes the target
 * tree hold the source's files. A file whose size and SHA-256 are equal on both sides is skipped (the local
 * hash computed here, the remote one by the server's {@code hash} request); any other is copied, replacing
 * a different target file without asking (see docs/DECISIONS.md, "Client: many files and mirror"). With
 * {@code --delete} the target's files and folders that the source lacks are deleted; with {@code --dry-run}
 * each step is printed and nothing changes. One progress line covers the whole mirror, then one summary line
 * says how many files moved, were skipped and failed; any failure makes the command fail (exit 1) after the
 * rest was done.
 */
final class Mirror {
  private static final Logger log = LoggerFactory.getLogger(Mirror.class);

  private final Context context;
  private final Terminal terminal;
  private boolean upload;
  private Path localRoot;
  private String remoteRoot;

  Mirror(Context context) {
    this.context = context;
    this.terminal = context.terminal();
  }

  void run(CommandSpec.Parsed command) throws IOException {
    upload = command.has("-R");
    boolean dryRun = command.has("--dry-run");
    LocalFolder local = context.local();
    if (upload) {
      localRoot = local.resolve(command.arg(0));
      remoteRoot = command.arg(1) != null ? command.arg(1) : LocalFolder.nameOf(localRoot);
    } else {
      remoteRoot = command.arg(0);
      localRoot = command.arg(1) != null ? local.resolve(command.arg(1)) : local.targetFor(remoteRoot);
    }
    long startNanos = context.nanoClock().getAsLong();
    SortedMap<String, TreeEntry> source =
        upload ? LocalTree.walk(localRoot) : RemoteTree.walk(client(), remoteRoot);
    SortedMap<String, TreeEntry> target = upload ? remoteTarget() : localTarget();
    MirrorPlan plan = MirrorPlan.of(source, target, command.has("--delete"), this::same);
    if (dryRun) {
      show(plan);
      return;
    }
    apply(plan, startNanos);
  }

  private FtpClient client() throws IOException {
    return context.session().client();
  }

  private SortedMap<String, TreeEntry> remoteTarget() throws IOException {
    try {
      return RemoteTree.walk(client(), remoteRoot);
    } catch (FtpException e) {
      if (e.code() == ErrorCode.NOT_FOUND) return new TreeMap<>(); // made when the mirror runs
      throw e;
    }
  }

  private SortedMap<String, TreeEntry> localTarget() throws IOException {
    return Files.exists(localRoot) ? LocalTree.walk(localRoot) : new TreeMap<>();
  }

  /** True when the file's SHA-256 is the same on both sides (sizes were found equal already). */
  private boolean same(String path) throws IOException {
    String mine = Digests.sha256Of(localRoot.resolve(path));
    try {
      return mine.equals(client().hash(remote(path)).sha256());
    } catch (FtpException e) {
      log.info("no hash of {}, so it is copied: {}", LogText.of(remote(path)), e.toString());
      return false; // the copy then succeeds or fails on its own
    }
  }

  private String remote(String path) {
    return RemoteTree.join(remoteRoot, path);
  }

  private void show(MirrorPlan plan) {
    String verb = upload ? "put" : "get";
    for (String folder : plan.folders()) terminal.println("would make folder " + folder);
    for (MirrorPlan.Copy copy : plan.copies()) {
      terminal.println("would " + verb + " " + copy.path() + " (" + (copy.fresh() ? "new" : "changed") + ", "
          + HumanSize.bytes(copy.size()) + ")");
    }
    for (String conflict : plan.conflicts()) terminal.println("would fail: " + conflict);
    for (String path : plan.deletions()) terminal.println("would delete " + path);
    terminal.println("mirror --dry-run: " + files(plan.copies().size()) + " would move ("
        + HumanSize.bytes(plan.bytes()) + "), " + plan.skipped() + " skipped (same SHA-256), "
        + plan.conflicts().size() + " would fail, " + plan.deletions().size()
        + " would be deleted; nothing changed");
  }

  private void apply(MirrorPlan plan, long startNanos) throws IOException {
    if (upload) {
      ManyFiles.makeRemoteFolders(client(), remoteRoot);
    } else {
      Files.createDirectories(localRoot);
    }
    MirrorProgress progress = plan.copies().isEmpty() ? null
        : new MirrorProgress(context, plan.copies().size(), plan.bytes());
    Batch batch = new Batch(context.session(), terminal, () -> {
      if (progress != null) progress.interrupt();
    });
    for (String folder : plan.folders()) batch.run(() -> makeFolder(folder));
    int moved = 0;
    long movedBytes = 0;
    try {
      for (MirrorPlan.Copy copy : plan.copies()) {
        TransferListener listener = progress.file(copy.size());
        if (batch.run(() -> OneFile.routed(context, client(), listener, l -> copy(copy.path(), l)))) {
          moved++;
          movedBytes += copy.size();
        }
      }
    } catch (TransferCancelledException e) {
      progress.interrupt();
      throw e;
    } catch (IOException e) {
      // Only a lost connection gets here (Batch keeps the rest); what moved is kept, and skipped next time.
      progress.interrupt();
      throw new IOException("mirror stopped after " + moved + " of " + plan.copies().size() + " files ("
          + Errors.describe(e) + "); run the same command again to continue", e);
    }
    if (progress != null) progress.finished();
    for (String conflict : plan.conflicts()) batch.fail(conflict);
    int deleted = 0;
    for (String path : plan.deletions()) {
      if (batch.run(() -> delete(path))) deleted++;
    }
    long nanos = context.nanoClock().getAsLong() - startNanos;
    terminal.println(String.format(Locale.ROOT, "mirror: %s moved (%s), %d skipped (same SHA-256), "
        + "%d failed, %d deleted, in %s s", files(moved), HumanSize.bytes(movedBytes), plan.skipped(), batch.failed(),
        deleted, ProgressBar.seconds(nanos)));
    batch.finish(plan.copies().size() + plan.folders().size() + plan.conflicts().size()
        + plan.deletions().size(), "steps of the mirror");
  }

  private static String files(int count) {
    return count + (count == 1 ? " file" : " files");
  }

  private void makeFolder(String path) throws IOException {
    if (upload) {
      ManyFiles.makeRemoteFolder(client(), remote(path));
    } else {
      Files.createDirectories(localRoot.resolve(path));
    }
  }

  /** Copies one file, replacing a different one on the target side. */
  private Object copy(String path, TransferListener listener) throws IOException {
    if (upload) return client().put(localRoot.resolve(path), remote(path), PutMode.RESUME, listener);
    return client().get(remote(path), localRoot.resolve(path), GetMode.REPLACE, listener);
  }

  private void delete(String path) throws IOException {
    log.info("mirror deletes {} on the {} side", LogText.of(path), upload ? "remote" : "local");
    if (upload) {
      client().delete(remote(path));
    } else {
      Files.delete(localRoot.resolve(path));
    }
  }
}
