package dev.selectftp.server.session;

import dev.selectftp.server.files.Home;

/** A logged-in user, their sandbox and their current folder ("/" is the home). */
public record Login(String user, Home home, String cwd) {
  public Login withCwd(String newCwd) {
    return new Login(user, home, newCwd);
  }
}
