package dev.selectftp.client.console;

import dev.selectftp.client.TransferListener;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * What the shell's command classes share: the connection, the terminal, the local folder, the clock and
 * Ctrl-C routing of transfers, and how existing names are decided.
 *
 * @param interrupts where Ctrl-C is routed while a transfer runs
 * @param listeners wraps each transfer's progress listener (tests hook in here; identity otherwise)
 * @param ask true to ask before a transfer replaces a file (prompt, menus); false to refuse unless a flag
 *     says what to do (one-shot)
 * @param rerun how to spell a command for the shell, in "to resume, run: ..." after a cut transfer
 */
record Context(Session session, Terminal terminal, LocalFolder local, LongSupplier nanoClock,
    Interrupts interrupts, UnaryOperator<TransferListener> listeners, boolean ask, Rerun rerun) {}
