package dev.selectftp.client.console;

import dev.selectftp.common.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * "Change directory" as a menu: the current folder's subfolders numbered, {@code ..} first when there is a
 * parent, and a last item to type a path (for a folder deeper down, or one named like a number).
 */
final class FolderMenu {
  static final String PARENT = "..";
  static final String TYPE_A_PATH = "type a path";

  private final Terminal terminal;
  private final Ask ask;
  private final Shell shell;

  FolderMenu(Terminal terminal, Ask ask, Shell shell) {
    this.terminal = terminal;
    this.ask = ask;
    this.shell = shell;
  }

  /** The folder to change to; "" to go back without changing, null at the end of input. */
  String choose() throws IOException {
    String here = shell.session().client().pwd();
    List<String> choices = new ArrayList<>();
    if (!here.equals("/")) choices.add(PARENT);
    for (Response.Entry entry : shell.session().client().list(null)) {
      if (entry.dir()) choices.add(entry.name());
    }
    int typeIt = choices.size() + 1;
    terminal.println("---- folders in " + here + " ----");
    terminal.println("    0: back");
    for (int i = 0; i < choices.size(); i++) terminal.println("    " + (i + 1) + ": " + choices.get(i));
    terminal.println("    " + typeIt + ": " + TYPE_A_PATH);
    int choice = ask.number("Input folder number>>>: ", 0, typeIt);
    if (choice == Ask.END_OF_INPUT) return null;
    if (choice == 0) return "";
    if (choice == typeIt) return ask.text("folder path: ");
    return choices.get(choice - 1);
  }
}
