package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact JSON of every message: this is the wire contract of docs/PROTOCOL.md. */
class MessageJsonTest {
  private static final String HASH = "ab".repeat(32);

  private static void assertRequestJson(Request message, String json) throws ProtocolException {
    assertEquals(json.strip(), MessageCodec.json(message));
    assertEquals(message, MessageCodec.decodeRequest(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertResponseJson(Response message, String json) throws ProtocolException {
    assertEquals(json.strip(), MessageCodec.json(message));
    assertEquals(message, MessageCodec.decodeResponse(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void authStartCarriesTheScramClientFirstMessage() throws Exception {
    assertRequestJson(new Request.AuthStart("n,,n=xiaoyu,r=abc"), """
        {"type":"auth-start","scram":"n,,n=xiaoyu,r=abc"}
        """);
  }

  @Test
  void authFinishCarriesTheScramClientFinalMessage() throws Exception {
    assertRequestJson(new Request.AuthFinish("c=biws,r=abcdef,p=cHJvb2Y="), """
        {"type":"auth-finish","scram":"c=biws,r=abcdef,p=cHJvb2Y="}
        """);
  }

  @Test
  void registerCarriesDerivedKeysNeverAPassword() throws Exception {
    assertRequestJson(new Request.Register("bob", "c2FsdA==", 600000, "c3RvcmVk", "c2VydmVy"), """
        {"type":"register","user":"bob","salt":"c2FsdA==","iterations":600000,"storedKey":"c3RvcmVk","serverKey":"c2VydmVy"}
        """);
  }

  @Test
  void listWithoutPathOrCursorOmitsTheFields() throws Exception {
    assertRequestJson(new Request.List(null, null), """
        {"type":"list"}
        """);
    assertRequestJson(new Request.List("docs", null), """
        {"type":"list","path":"docs"}
        """);
  }

  @Test
  void aFollowingPageIsAskedForWithTheCursorInAfter() throws Exception {
    assertRequestJson(new Request.List("docs", "notes.txt"), """
        {"type":"list","path":"docs","after":"notes.txt"}
        """);
    assertRequestJson(new Request.List(null, "a \"quoted\" name"), """
        {"type":"list","after":"a \\"quoted\\" name"}
        """);
  }

  @Test
  void browsingRequestsHaveTheirWireNames() throws Exception {
    assertRequestJson(new Request.ChangeDir(".."), """
        {"type":"cd","path":".."}
        """);
    assertRequestJson(new Request.PrintDir(), """
        {"type":"pwd"}
        """);
    assertRequestJson(new Request.MakeDir("photos"), """
        {"type":"mkdir","path":"photos"}
        """);
    assertRequestJson(new Request.Delete("old.txt"), """
        {"type":"delete","path":"old.txt"}
        """);
    assertRequestJson(new Request.Rename("a.txt", "docs/b.txt"), """
        {"type":"rename","from":"a.txt","to":"docs/b.txt"}
        """);
    assertRequestJson(new Request.QuotaQuery(), """
        {"type":"quota"}
        """);
    assertRequestJson(new Request.Stats(), """
        {"type":"stats"}
        """);
    assertRequestJson(new Request.Quit(), """
        {"type":"quit"}
        """);
  }

  @Test
  void uploadRequestsHaveTheirWireNames() throws Exception {
    assertRequestJson(new Request.Put("big.iso", 1073741824L), """
        {"type":"put","path":"big.iso","size":1073741824}
        """);
    assertRequestJson(new Request.PutData(52428800L, 1021313024L), """
        {"type":"put-data","offset":52428800,"length":1021313024}
        """);
    assertRequestJson(new Request.PutCommit(HASH), """
        {"type":"put-commit","sha256":"%s"}
        """.formatted(HASH));
  }

  @Test
  void getFromZeroOmitsThePrefixHash() throws Exception {
    assertRequestJson(new Request.Get("big.iso", 0, null), """
        {"type":"get","path":"big.iso","offset":0}
        """);
    assertRequestJson(new Request.Get("big.iso", 10, HASH), """
        {"type":"get","path":"big.iso","offset":10,"prefixSha256":"%s"}
        """.formatted(HASH));
  }

  @Test
  void helloAndAuthenticationResponsesHaveTheirWireNames() throws Exception {
    assertResponseJson(new Response.Hello(200, "SelectFTP ready", "SelectFTP/0.1.0", 600000, "optional"), """
        {"type":"hello","status":200,"message":"SelectFTP ready","server":"SelectFTP/0.1.0","iterations":600000,"tls":"optional"}
        """);
    assertResponseJson(new Response.StartTls(200, "go ahead"), """
        {"type":"start-tls","status":200,"message":"go ahead"}
        """);
    assertRequestJson(new Request.StartTls(), """
        {"type":"start-tls"}
        """);
    assertResponseJson(new Response.AuthChallenge(200, "continue", "r=abc,s=c2FsdA==,i=4096"), """
        {"type":"auth-challenge","status":200,"message":"continue","scram":"r=abc,s=c2FsdA==,i=4096"}
        """);
    assertResponseJson(new Response.AuthOk(200, "welcome bob", "v=c2ln", "bob"), """
        {"type":"auth-ok","status":200,"message":"welcome bob","scram":"v=c2ln","user":"bob"}
        """);
  }

  @Test
  void okAndErrorHaveStatusAndStableCode() throws Exception {
    assertResponseJson(new Response.Ok(201, "registered bob"), """
        {"type":"ok","status":201,"message":"registered bob"}
        """);
    assertResponseJson(Response.Error.of(ErrorCode.QUOTA_EXCEEDED, "needs 2 MiB, 1 MiB free"), """
        {"type":"error","status":413,"code":"quota-exceeded","message":"needs 2 MiB, 1 MiB free"}
        """);
  }

  @Test
  void browsingResponsesHaveTheirWireNames() throws Exception {
    assertResponseJson(new Response.Listing(200, "1 entries", "/",
        List.of(new Response.Entry("docs", true, 0, "2026-11-21T18:00:00Z")), null), """
        {"type":"listing","status":200,"message":"1 entries","path":"/","entries":[{"name":"docs","dir":true,"size":0,"modified":"2026-11-21T18:00:00Z"}],"next":null}
        """);
    assertResponseJson(new Response.Cwd(200, "/docs", "/docs"), """
        {"type":"cwd","status":200,"message":"/docs","path":"/docs"}
        """);
    assertResponseJson(new Response.QuotaInfo(200, "1 KiB of 1 MiB used", 1024, 1048576), """
        {"type":"quota-info","status":200,"message":"1 KiB of 1 MiB used","used":1024,"limit":1048576}
        """);
    assertResponseJson(new Response.Bye(200, "bye"), """
        {"type":"bye","status":200,"message":"bye"}
        """);
  }

  @Test
  void hashAsksByPathAndIsAnsweredWithPathSizeAndSha256() throws Exception {
    assertRequestJson(new Request.Hash("docs/a.txt"), """
        {"type":"hash","path":"docs/a.txt"}
        """);
    assertResponseJson(new Response.Hash(200, "sha256 of /docs/a.txt", "/docs/a.txt", 3, HASH), """
        {"type":"hash","status":200,"message":"sha256 of /docs/a.txt","path":"/docs/a.txt","size":3,"sha256":"%s"}
        """.formatted(HASH));
  }

  @Test
  void aListingPageWithMoreToComeCarriesItsCursorInNext() throws Exception {
    assertResponseJson(new Response.Listing(200, "1 entries, more follow", "/docs",
        List.of(new Response.Entry("a.txt", false, 3, "2026-11-21T18:00:00Z")), "a.txt"), """
        {"type":"listing","status":200,"message":"1 entries, more follow","path":"/docs","entries":[{"name":"a.txt","dir":false,"size":3,"modified":"2026-11-21T18:00:00Z"}],"next":"a.txt"}
        """);
  }

  @Test
  void aListingWithoutNextIsTheLastPage() throws Exception {
    // What a server that predates paging sent: the absent cursor reads as "complete".
    Response r = MessageCodec.decodeResponse("""
        {"type":"listing","status":200,"message":"0 entries","path":"/","entries":[]}
        """.getBytes(StandardCharsets.UTF_8));
    assertEquals(new Response.Listing(200, "0 entries", "/", List.of(), null), r);
  }

  @Test
  void transferResponsesHaveTheirWireNames() throws Exception {
    assertResponseJson(new Response.PutReady(200, "send from byte 0", 0, null), """
        {"type":"put-ready","status":200,"message":"send from byte 0","offset":0}
        """);
    assertResponseJson(new Response.PutDone(201, "stored /a", "/a", 3, HASH), """
        {"type":"put-done","status":201,"message":"stored /a","path":"/a","size":3,"sha256":"%s"}
        """.formatted(HASH));
    assertResponseJson(new Response.GetReady(200, "sending", 3, 0, null), """
        {"type":"get-ready","status":200,"message":"sending","size":3,"offset":0}
        """);
    assertResponseJson(new Response.GetDone(200, "sent /a", HASH), """
        {"type":"get-done","status":200,"message":"sent /a","sha256":"%s"}
        """.formatted(HASH));
    assertResponseJson(new Response.ServerStats(200, "ok", 3, 100, 850, 120, 1024), """
        {"type":"stats","status":200,"message":"ok","connections":3,"loopPasses":100,"maxPassMicros":850,"p99PassMicros":120,"heapUsedBytes":1024}
        """);
  }
}
