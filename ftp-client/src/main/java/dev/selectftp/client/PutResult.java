package dev.selectftp.client;

import java.time.Duration;

/**
 * A verified upload.
 *
 * @param remotePath where the server stored the file (absolute within the home)
 * @param size the file's size in bytes
 * @param resumedFrom bytes the server already held and kept; 0 when the whole file was sent
 * @param sha256 lowercase hex SHA-256 of the whole file, as both sides computed it
 * @param elapsed from the {@code put} request to the {@code put-done} reply
 */
public record PutResult(String remotePath, long size, long resumedFrom, String sha256, Duration elapsed) {}
