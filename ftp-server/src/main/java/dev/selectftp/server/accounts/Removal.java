package dev.selectftp.server.accounts;

import java.nio.file.Path;

/**
 * What {@link AccountRepository#remove} did.
 *
 * @param retiredHome where the home folder went, or null when the user had none (or the repository keeps
 *     no homes of its own)
 */
public record Removal(User user, Path retiredHome) {}
