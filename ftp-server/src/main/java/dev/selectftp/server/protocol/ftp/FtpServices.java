package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.core.PasswordCache;
import dev.selectftp.server.core.Checksums;
import dev.selectftp.server.core.Downloads;
import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.core.StoreCalls;
import dev.selectftp.server.core.Uploads;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.transfer.FileHashes;
import dev.selectftp.server.transfer.TransferLog;

/**
 * What every FTP session shares with the SelectFTP door: the same accounts and login throttle (through
 * {@link Logins}), homes, quotas and upload locks (through {@link FileOperations}, {@link Uploads},
 * {@link Downloads}), helper pools and transfer log, built once by the server. {@code passwords} runs PASS
 * checks (one PBKDF2 each), a bounded pool of its own so a login storm never queues an upload's commit behind
 * it, and {@code passwordCache} spares a repeated login its PBKDF2; {@code background} commits uploads and
 * hashes, {@code listings} reads folders, {@code store} makes every other call of the homes' store.
 *
 * @param passive where passive data connections listen (port range) and what PASV advertises (NAT)
 * @param tls what the door offers of FTPS (AUTH TLS, PROT P)
 */
public record FtpServices(
    EventLoop loop,
    Background passwords,
    PasswordCache passwordCache,
    Background background,
    Background listings,
    Logins logins,
    Storage files,
    Quotas quotas,
    StoreCalls store,
    FileOperations operations,
    Uploads uploads,
    Downloads downloads,
    FileHashes fileHashes,
    Checksums checksums,
    TransferLog transfers,
    PassiveListeners passive,
    FtpTls tls) {}
