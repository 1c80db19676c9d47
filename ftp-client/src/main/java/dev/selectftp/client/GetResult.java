package dev.selectftp.client;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A verified download.
 *
 * @param remotePath the path that was asked for
 * @param local where the file now is
 * @param size the file's size in bytes
 * @param resumedFrom bytes already in place that were kept (of the hidden partial, or of the local file itself
 *     with {@link GetMode#RESUME_LOCAL}); 0 when the whole file was fetched
 * @param sha256 lowercase hex SHA-256 of the whole file, equal to the server's
 * @param elapsed wall time of the whole download, retries included
 */
public record GetResult(
    String remotePath, Path local, long size, long resumedFrom, String sha256, Duration elapsed) {}
