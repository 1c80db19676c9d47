package dev.selectftp.client.console;

/**
 * One name of a folder tree walked for {@code put -r}, {@code get -r} and {@code mirror}, keyed elsewhere by
 * its path relative to the tree's root ({@code a/b.txt}, always with {@code /}).
 *
 * @param size bytes of a file, 0 for a folder
 */
record TreeEntry(boolean dir, long size) {}
