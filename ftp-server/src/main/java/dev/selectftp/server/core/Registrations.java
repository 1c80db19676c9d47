package dev.selectftp.server.core;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.RegistrationLimits;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.storage.UserNames;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.Optional;

/**
 * The rules of self-registration, for every door, in the order a request meets them: closed or open, the
 * name, the key material's strength, the rate limits (checked last, so a bad request costs no slot), then the
 * write. Everything but {@link #register} is loop work.
 */
public final class Registrations {
  private final AccountRepository accounts;
  private final RegistrationLimits limits;

  public Registrations(AccountRepository accounts, RegistrationLimits limits) {
    this.accounts = accounts;
    this.limits = limits;
  }

  /** @throws Refused FORBIDDEN when this server takes no self-registrations */
  public void refuseIfClosed() throws Refused {
    if (!limits.policy().open()) {
      throw new Refused(Refusal.FORBIDDEN, "registration is closed on this server; ask its administrator for an account");
    }
  }

  /** @throws Refused BAD_USER_NAME as {@link UserNames#check} */
  public void checkName(String name) throws Refused {
    UserNames.check(name);
  }

  /**
   * Checks the credentials' strength (also checked when writing; refused here so a bad request costs no
   * slot), then takes a slot of the per-address and per-server limits.
   *
   * @throws Refused WEAK_CREDENTIALS, LOCKED_OUT when too many accounts were made lately
   */
  public void admit(ScramCredentials credentials, String address) throws Refused {
    if (credentials.iterations() < accounts.iterations()) {
      throw new Refused(Refusal.WEAK_CREDENTIALS, "use at least " + accounts.iterations() + " iterations");
    }
    Optional<RegistrationLimits.Refusal> limited = limits.tryAcquire(address);
    if (limited.isPresent()) {
      RegistrationLimits.Refusal refusal = limited.get();
      long minutes = Math.max(1, (refusal.retryAfter().toSeconds() + 59) / 60);
      String who = refusal instanceof RegistrationLimits.Refusal.AddressRate ? "from your address" : "on this server";
      throw new Refused(Refusal.LOCKED_OUT,
          "too many new accounts " + who + " this hour; try again in " + minutes + " min");
    }
  }

  /**
   * Blocking (persisted before it returns): creates the account. Helper threads only.
   *
   * @throws Refused as {@link AccountRepository#create}
   */
  public User register(String name, ScramCredentials credentials) throws Refused, IOException {
    return accounts.create(name, credentials);
  }
}
