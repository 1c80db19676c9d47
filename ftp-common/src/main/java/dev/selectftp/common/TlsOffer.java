package dev.selectftp.common;

import java.util.Locale;

/** What a server's {@code hello} says about TLS, and what {@code --tls} sets. */
public enum TlsOffer {
  /** No TLS: {@code start-tls} is refused. */
  OFF,
  /** TLS on request; plain-text clients are served too. */
  OPTIONAL,
  /** Every request before {@code start-tls} gets one {@code tls-required} error and the connection closes. */
  REQUIRED;

  /** The wire and command-line name: {@code off}, {@code optional}, {@code required}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; an absent field (an older server) means {@link #OFF}. */
  public static TlsOffer fromWire(String name) {
    if (name == null) return OFF;
    for (TlsOffer offer : values()) {
      if (offer.wireName().equals(name)) return offer;
    }
    throw new IllegalArgumentException("unknown tls offer: " + name);
  }
}
