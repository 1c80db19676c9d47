package dev.selectftp.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything a client may send, one record per message type. The {@code type} names are the wire names
 * documented in {@code docs/PROTOCOL.md}; compact constructors reject what the server must never see.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Request.StartTls.class, name = "start-tls"),
    @JsonSubTypes.Type(value = Request.AuthStart.class, name = "auth-start"),
    @JsonSubTypes.Type(value = Request.AuthFinish.class, name = "auth-finish"),
    @JsonSubTypes.Type(value = Request.Register.class, name = "register"),
    @JsonSubTypes.Type(value = Request.List.class, name = "list"),
    @JsonSubTypes.Type(value = Request.ChangeDir.class, name = "cd"),
    @JsonSubTypes.Type(value = Request.PrintDir.class, name = "pwd"),
    @JsonSubTypes.Type(value = Request.MakeDir.class, name = "mkdir"),
    @JsonSubTypes.Type(value = Request.Delete.class, name = "delete"),
    @JsonSubTypes.Type(value = Request.Rename.class, name = "rename"),
    @JsonSubTypes.Type(value = Request.QuotaQuery.class, name = "quota"),
    @JsonSubTypes.Type(value = Request.Hash.class, name = "hash"),
    @JsonSubTypes.Type(value = Request.Put.class, name = "put"),
    @JsonSubTypes.Type(value = Request.PutData.class, name = "put-data"),
    @JsonSubTypes.Type(value = Request.PutCommit.class, name = "put-commit"),
    @JsonSubTypes.Type(value = Request.Get.class, name = "get"),
    @JsonSubTypes.Type(value = Request.Stats.class, name = "stats"),
    @JsonSubTypes.Type(value = Request.Quit.class, name = "quit"),
})
public sealed interface Request {
  /**
   * Longest path string accepted on the wire, in UTF-16 chars (as the server's VirtualPath counts); longer is
   * {@code bad-path}. The server applies the per-name limit and the limit of its own disk paths.
   */
  int MAX_PATH_CHARS = 4096;
  /** Longest SCRAM message accepted. */
  int MAX_SCRAM_CHARS = 1024;

  /**
   * Upgrade this connection to TLS: only as the first request after {@code hello}, on a server whose
   * {@code hello} offers {@code tls} other than {@code off}.
   */
  record StartTls() implements Request {}

  /** SCRAM client-first-message, e.g. {@code n,,n=xiaoyu,r=fyko+d2lbbFgONRv9qkxdawL}. */
  record AuthStart(@JsonProperty(required = true) String scram) implements Request {
    public AuthStart {
      Checks.text("scram", scram, MAX_SCRAM_CHARS);
    }
  }

  /** SCRAM client-final-message, e.g. {@code c=biws,r=...,p=...}. */
  record AuthFinish(@JsonProperty(required = true) String scram) implements Request {
    public AuthFinish {
      Checks.text("scram", scram, MAX_SCRAM_CHARS);
    }
  }

  /**
   * Creates an account from key material the client derived itself; the password never leaves the client.
   * Binary fields are standard base64.
   */
  record Register(
      @JsonProperty(required = true) String user,
      @JsonProperty(required = true) String salt,
      @JsonProperty(required = true) int iterations,
      @JsonProperty(required = true) String storedKey,
      @JsonProperty(required = true) String serverKey) implements Request {
    public Register {
      Checks.text("user", user, 64);
      Checks.base64("salt", salt);
      Checks.base64("storedKey", storedKey);
      Checks.base64("serverKey", serverKey);
      if (iterations <= 0) throw new IllegalArgumentException("iterations must be positive");
    }
  }

  /** Longest listing cursor accepted; the server's cursors are names, at most 255 UTF-8 bytes. */
  int MAX_CURSOR_CHARS = 1024;

  /**
   * Asks for one page of a folder's listing; a null path lists the current folder. {@code after} is null for
   * the first page and otherwise the {@link Response.Listing#next} of the previous page, copied unchanged: a
   * cursor is opaque to clients (see docs/PROTOCOL.md).
   */
  record List(String path, String after) implements Request {
    public List {
      if (path != null) Checks.path("path", path, MAX_PATH_CHARS);
      if (after != null) {
        Checks.text("after", after, MAX_CURSOR_CHARS);
        if (after.isEmpty()) throw new IllegalArgumentException("after must not be empty; omit it for the first page");
      }
    }

    /** The first page of {@code path} (null: the current folder). */
    public List(String path) {
      this(path, null);
    }
  }

  record ChangeDir(@JsonProperty(required = true) String path) implements Request {
    public ChangeDir {
      Checks.path("path", path, MAX_PATH_CHARS);
    }
  }

  record PrintDir() implements Request {}

  record MakeDir(@JsonProperty(required = true) String path) implements Request {
    public MakeDir {
      Checks.path("path", path, MAX_PATH_CHARS);
    }
  }

  /** Deletes a file or an empty folder. */
  record Delete(@JsonProperty(required = true) String path) implements Request {
    public Delete {
      Checks.path("path", path, MAX_PATH_CHARS);
    }
  }

  record Rename(
      @JsonProperty(required = true) String from,
      @JsonProperty(required = true) String to) implements Request {
    public Rename {
      Checks.path("from", from, MAX_PATH_CHARS);
      Checks.path("to", to, MAX_PATH_CHARS);
    }
  }

  record QuotaQuery() implements Request {}

  /**
   * Asks for the SHA-256 of a whole file, answered by {@link Response.Hash}: from the server's cache when
   * known, otherwise computed off the server's loop (see docs/PROTOCOL.md).
   */
  record Hash(@JsonProperty(required = true) String path) implements Request {
    public Hash {
      Checks.path("path", path, MAX_PATH_CHARS);
    }
  }

  /** Announces an upload of {@code size} bytes; answered by {@link Response.PutReady} or an error. */
  record Put(
      @JsonProperty(required = true) String path,
      @JsonProperty(required = true) long size) implements Request {
    public Put {
      Checks.path("path", path, MAX_PATH_CHARS);
      if (size < 0) throw new IllegalArgumentException("size must not be negative");
    }
  }

  /**
   * Header of the raw upload bytes: exactly {@code length} raw bytes follow this frame, to be written
   * at {@code offset}. The offset is the one {@link Response.PutReady} offered, or 0 to start over.
   */
  record PutData(
      @JsonProperty(required = true) long offset,
      @JsonProperty(required = true) long length) implements Request {
    public PutData {
      if (offset < 0) throw new IllegalArgumentException("offset must not be negative");
      if (length < 0) throw new IllegalArgumentException("length must not be negative");
    }
  }

  /** Sent after the raw bytes: the SHA-256 of the whole file as the client read it. */
  record PutCommit(@JsonProperty(required = true) String sha256) implements Request {
    public PutCommit {
      Checks.sha256("sha256", sha256);
    }
  }

  /**
   * Asks for a file from {@code offset}. When resuming ({@code offset > 0}), {@code prefixSha256} is the
   * SHA-256 of the client's first {@code offset} bytes; the server restarts from 0 if its bytes differ.
   */
  record Get(
      @JsonProperty(required = true) String path,
      long offset,
      String prefixSha256) implements Request {
    public Get {
      Checks.path("path", path, MAX_PATH_CHARS);
      if (offset < 0) throw new IllegalArgumentException("offset must not be negative");
      if (offset > 0) Checks.sha256("prefixSha256", prefixSha256);
    }
  }

  /** Asks for the server's own figures (loop pass times, connections, heap). */
  record Stats() implements Request {}

  record Quit() implements Request {}
}
