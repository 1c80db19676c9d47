package dev.selectftp.client;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code -P PORT}: a TCP port a client can connect to, 1-65535. Anything else is a usage error (exit 2)
 * found while parsing, before any connection is tried.
 */
public final class PortNumber implements ITypeConverter<Integer> {
  static final int MIN = 1;
  static final int MAX = 65_535;

  @Override
  public Integer convert(String value) {
    int port;
    try {
      port = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a port number (" + MIN + "-" + MAX + ")");
    }
    if (port < MIN || port > MAX) {
      throw new TypeConversionException("port " + port + " is out of range (" + MIN + "-" + MAX + ")");
    }
    return port;
  }
}
