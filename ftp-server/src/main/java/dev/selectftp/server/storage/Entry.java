package dev.selectftp.server.storage;

/**
 * One visible entry of a folder listing, as storage knows it; each door formats it its own way (a JSON
 * entry, an {@code ls -l} line, MLSD facts).
 *
 * @param size bytes of a regular file, 0 for a folder
 * @param modifiedMillis last modification, milliseconds since the epoch
 */
public record Entry(String name, boolean dir, long size, long modifiedMillis) {}
