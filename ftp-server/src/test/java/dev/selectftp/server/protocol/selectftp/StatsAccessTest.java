package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.ServerConfig;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Server figures are for the host itself (the load generator) and for logged-in users, not for strangers. */
class StatsAccessTest {
  private static final Response.ServerStats FIGURES = new Response.ServerStats(200, "ok", 1, 2, 3, 4, 5);

  private static Response askStats(String address) {
    RecordingPeer peer = new RecordingPeer(address);
    Services services = new Services(ServerConfig.forTests(Path.of("unused")), null, null, null, null, null, null, null, null, null, null, null, null, null,
        () -> FIGURES);
    Session session = new Session(services, peer);
    ByteBuffer frame = MessageCodec.encode(new Request.Stats());
    byte[] payload = new byte[frame.getInt()];
    frame.get(payload);
    session.onFrame(payload);
    assertEquals(1, peer.sent.size());
    return peer.sent.get(0);
  }

  @Test
  void statsBeforeLoginAreAnsweredOnTheServersOwnHost() {
    assertEquals(FIGURES, askStats("127.0.0.1"));
    assertEquals(FIGURES, askStats("0:0:0:0:0:0:0:1"));
  }

  @Test
  void statsBeforeLoginAreRefusedToOtherAddresses() {
    Response.Error error = assertInstanceOf(Response.Error.class, askStats("203.0.113.5"));
    assertEquals(ErrorCode.NOT_LOGGED_IN.code(), error.code());
  }
}
