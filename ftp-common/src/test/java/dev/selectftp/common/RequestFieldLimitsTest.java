package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every request refuses a missing or over-long field when it is made (the codec turns the refusal into
 * {@code bad-request} or {@code bad-path}), and accepts a field of exactly the longest allowed length.
 */
class RequestFieldLimitsTest {
  private static final String B64 = "QUJD";
  private static final String LONGEST_PATH = "p".repeat(Request.MAX_PATH_CHARS);
  private static final String PATH_TOO_LONG = "p".repeat(Request.MAX_PATH_CHARS + 1);

  private static void refused(Executable make) {
    assertThrows(IllegalArgumentException.class, make);
  }

  @Test
  void scramMessagesAreRequiredAndLimited() {
    refused(() -> new Request.AuthStart(null));
    refused(() -> new Request.AuthFinish(null));
    refused(() -> new Request.AuthFinish("c".repeat(Request.MAX_SCRAM_CHARS + 1)));
    assertDoesNotThrow(() -> new Request.AuthFinish("c".repeat(Request.MAX_SCRAM_CHARS)));
  }

  @Test
  void everyPathTakingRequestRefusesAMissingOrTooLongPath() {
    refused(() -> new Request.List(PATH_TOO_LONG, null));
    refused(() -> new Request.ChangeDir(null));
    refused(() -> new Request.ChangeDir(PATH_TOO_LONG));
    refused(() -> new Request.MakeDir(PATH_TOO_LONG));
    refused(() -> new Request.Delete(null));
    refused(() -> new Request.Delete(PATH_TOO_LONG));
    refused(() -> new Request.Rename(null, "/b"));
    refused(() -> new Request.Rename("/a", null));
    refused(() -> new Request.Rename("/a", PATH_TOO_LONG));
    refused(() -> new Request.Put(null, 1));
    refused(() -> new Request.Put(PATH_TOO_LONG, 1));
    refused(() -> new Request.Get(null, 0, null));
    refused(() -> new Request.Get(PATH_TOO_LONG, 0, null));
  }

  @Test
  void aPathOfExactlyTheLimitIsAccepted() {
    assertDoesNotThrow(() -> new Request.Put(LONGEST_PATH, 0));
    assertDoesNotThrow(() -> new Request.Rename(LONGEST_PATH, LONGEST_PATH));
  }

  @Test
  void sizesAndOffsetsMayBeZeroButNotNegative() {
    assertDoesNotThrow(() -> new Request.Put("/a", 0));
    assertDoesNotThrow(() -> new Request.PutData(0, 0));
    refused(() -> new Request.Put("/a", -1));
    refused(() -> new Request.PutData(-1, 0));
    refused(() -> new Request.PutData(0, -1));
  }

  @Test
  void aRegistrationNeedsANameBase64KeysAndAPositiveIterationCount() {
    assertDoesNotThrow(() -> new Request.Register("bob", B64, 1, B64, B64));
    refused(() -> new Request.Register(null, B64, 4096, B64, B64));
    refused(() -> new Request.Register("u".repeat(65), B64, 4096, B64, B64));
    refused(() -> new Request.Register("bob", "not base64!", 4096, B64, B64));
    refused(() -> new Request.Register("bob", B64, 4096, "not base64!", B64));
    refused(() -> new Request.Register("bob", B64, 4096, B64, "not base64!"));
    refused(() -> new Request.Register("bob", B64, 0, B64, B64));
  }
}
