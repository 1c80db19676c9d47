package dev.selectftp.server.refusal;

/**
 * Why the server refuses a well-formed request, in words of the rules and not of any wire: the SelectFTP
 * door turns each into an error code, the FTP door into a reply code (550, 552, 553...). Storage, accounts
 * and the core raise these; no protocol type appears below the doors.
 */
public enum Refusal {
  /** No such file or folder. */
  NOT_FOUND,
  /** The target name is already taken. */
  EXISTS,
  /** A folder must be empty before it can be deleted. */
  NOT_EMPTY,
  /** A folder was named where a file is needed. */
  IS_A_DIRECTORY,
  /** A file was named where a folder is needed. */
  NOT_A_DIRECTORY,
  /** The path is malformed, too long, or would leave the home. */
  BAD_PATH,
  /** An argument the rules cannot accept (a listing cursor never given, an offset or length that disagrees). */
  BAD_REQUEST,
  /** The path exists but may not be used this way (a symlink, a special file, the OS said no). */
  FORBIDDEN,
  /** Another session holds the name (an upload in flight), or the user's files are still being counted. */
  BUSY,
  /** The change would take the user over their byte or entry quota. */
  QUOTA_EXCEEDED,
  /** The bytes received do not hash to the SHA-256 the client declared; nothing was stored. */
  CHECKSUM_MISMATCH,
  /** The server's disk is full. */
  DISK_FULL,
  /** The user name breaks {@code UserNames}' rule. */
  BAD_USER_NAME,
  /** Somebody already registered that name. */
  USER_EXISTS,
  /** The key material or iteration count is not acceptable. */
  WEAK_CREDENTIALS,
  /** Too many failed logins or new accounts: this account or address must wait. */
  LOCKED_OUT,
  /** The server is stopping and takes no new work. */
  SHUTTING_DOWN,
  /** Anything else on the server's side; details are in the server log, not in the message. */
  INTERNAL
}
