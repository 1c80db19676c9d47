package dev.selectftp.server.accounts;

import dev.selectftp.common.ScramCredentials;
import java.util.Objects;

/**
 * One account as kept in the users file.
 *
 * @param name the login name, as registered (case preserved)
 * @param credentials SCRAM salt, iteration count and keys; never the password
 * @param quotaBytes how many bytes the home may hold
 * @param created when the account was made, ISO-8601 (for example {@code 2025-01-31T12:00:00Z})
 */
public record User(String name, ScramCredentials credentials, long quotaBytes, String created) {
  public User {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(created, "created");
    if (quotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
  }

  /** This user with another quota. */
  public User withQuotaBytes(long bytes) {
    return new User(name, credentials, bytes, created);
  }

  /** This user with other credentials (a password change). */
  public User withCredentials(ScramCredentials value) {
    return new User(name, value, quotaBytes, created);
  }

  /** Never prints salt or keys, so a user can be logged safely. */
  @Override
  public String toString() {
    return "User[name=" + name + ", iterations=" + credentials.iterations() + ", quotaBytes=" + quotaBytes
        + ", created=" + created + "]";
  }
}
