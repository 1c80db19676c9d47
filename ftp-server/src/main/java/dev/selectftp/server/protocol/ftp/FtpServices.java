package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.Storage;

/**
 * What every FTP session shares with the SelectFTP door: the same accounts and login throttle (through
 * {@link Logins}), homes, quotas and upload locks (through {@link FileOperations}), built once by the server.
 * {@code passwords} runs PASS checks (one PBKDF2 each), a bounded pool of its own so a login storm never queues
 * an upload's commit behind it.
 */
public record FtpServices(
    EventLoop loop,
    Background passwords,
    Logins logins,
    Storage files,
    Quotas quotas,
    FileOperations operations) {}
