package dev.selectftp.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ProxySourcesTest {
  private static InetAddress at(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void trustsExactlyTheListedAddressesAndBlocks() throws Exception {
    ProxySources s = ProxySources.parse("127.0.0.1, 10.1.0.0/16,fd00::/8,192.168.7.129/25");
    assertTrue(s.trusts(at("127.0.0.1")));
    assertFalse(s.trusts(at("127.0.0.2")), "an address without /BITS is that address alone");
    assertTrue(s.trusts(at("10.1.255.3")));
    assertFalse(s.trusts(at("10.2.0.1")));
    assertTrue(s.trusts(at("fd12::1")));
    assertFalse(s.trusts(at("fe80::1")));
    assertTrue(s.trusts(at("192.168.7.200")));
    assertFalse(s.trusts(at("192.168.7.100")), "/25 splits inside the last byte");
    assertFalse(s.trusts(at("::ffff:0:a01:1")), "an IPv6 address is not matched against IPv4 blocks");
    assertEquals("127.0.0.1/32,10.1.0.0/16,fd00:0:0:0:0:0:0:0/8,192.168.7.129/25", s.toString());
  }

  @Test
  void noneTrustsNobody() throws Exception {
    assertTrue(ProxySources.NONE.isEmpty());
    assertFalse(ProxySources.NONE.trusts(at("127.0.0.1")));
  }

  @Test
  void namesAndBadBitsAreRefused() {
    for (String bad : new String[] {"localhost", "haproxy.example", "10.0.0.0/33", "::1/129", "10.0.0.1/", "",
        "10.0.0.1,,10.0.0.2", "010.0.0.1", "10.1"}) {
      assertThrows(IllegalArgumentException.class, () -> ProxySources.parse(bad), bad);
    }
  }
}
