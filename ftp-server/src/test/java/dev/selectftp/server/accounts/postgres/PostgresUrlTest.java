package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresUrlTest {
  @Test
  void theConfigFileKeyAccountsTakesTheUrlAndAFlagWins(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("server.properties"),
        "accounts = postgresql://db:5432/ftp?user=sel&password=x\n");
    assertEquals("postgresql://sel@db:5432/ftp", Settings.resolve(file, Map.of()).toServerConfig().accounts().toString());
    assertEquals("other", Settings.resolve(file, Map.of("accounts", "postgresql://other/ftp")).accounts().host());
    assertNull(Settings.resolve(null, Map.of()).toServerConfig().accounts(), "users.json stays the default");
    Settings.Invalid bad = assertThrows(Settings.Invalid.class, () -> Settings.resolve(null, Map.of("accounts", "x")));
    assertTrue(bad.getMessage().startsWith("--accounts: "), bad.getMessage());
  }

  @Test
  void queryParametersGiveUserAndPasswordAndTheRestGoToTheDriver() {
    PostgresUrl url = PostgresUrl.parse("postgresql://db.example:6543/ftp?user=sel&password=s%26cret&sslmode=require",
        Map.of());
    assertEquals("db.example", url.host());
    assertEquals(6543, url.port());
    assertEquals("ftp", url.database());
    assertEquals("sel", url.user());
    assertEquals("s&cret", url.password());
    assertEquals("jdbc:postgresql://db.example:6543/ftp?sslmode=require", url.jdbcUrl());
  }

  @Test
  void userInfoFormAndDefaultPortWork() {
    PostgresUrl url = PostgresUrl.parse("postgres://sel:pw@127.0.0.1/ftp", Map.of());
    assertEquals(PostgresUrl.DEFAULT_PORT, url.port());
    assertEquals("sel", url.user());
    assertEquals("pw", url.password());
  }

  @Test
  void aMissingPasswordComesFromPgpassword() {
    assertEquals("from-env", PostgresUrl.parse("postgresql://h/db?user=u", Map.of("PGPASSWORD", "from-env")).password());
    assertEquals("in-url", PostgresUrl.parse("postgresql://h/db?user=u&password=in-url",
        Map.of("PGPASSWORD", "from-env")).password());
    assertNull(PostgresUrl.parse("postgresql://h/db?user=u", Map.of()).password());
  }

  @Test
  void printingTheUrlNeverShowsThePassword() {
    PostgresUrl url = PostgresUrl.parse("postgresql://u:hunter2@h:5432/db?password=hunter2", Map.of());
    assertEquals("postgresql://u@h:5432/db", url.toString());
    assertFalse(url.jdbcUrl().contains("hunter2"));
  }

  @Test
  void somethingElseIsRefusedInOneLineWithoutThePassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PostgresUrl.parse("mysql://u:hunter2@h/db?password=hunter2", Map.of()));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("postgresql://"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgresql://h:5432/", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgresql:///db", Map.of()));
  }
}
