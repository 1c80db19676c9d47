package dev.selectftp.client.console;

import java.util.ArrayList;
import java.util.List;

/**
 * What the menus print, laid out as the original SelectFTP tool showed them: a banner line, then one
 * numbered item per line, then the prompt. Each item carries the one line that menu help prints for it.
 */
final class MenuText {
  /** One menu entry: its number, its label in the menu, and what help says it does. */
  record Item(int number, String label, String help) {}

  static final String GOODBYE = "Exit SelectFTP. Goodbye.";

  static final int LOG_IN = 1;
  static final int REGISTER = 2;
  static final int LOGIN_EXIT = 3;
  static final List<Item> LOGIN = List.of(
      new Item(LOG_IN, "Log in", "log in with your user name and password"),
      new Item(REGISTER, "Register", "create an account (the password is asked twice), then log in"),
      new Item(LOGIN_EXIT, "Exit", "leave SelectFTP"));

  static final int UPLOAD = 1;
  static final int DOWNLOAD = 2;
  static final int LIST = 3;
  static final int CHANGE_DIRECTORY = 4;
  static final int PRINT_DIRECTORY = 5;
  static final int MAKE_DIRECTORY = 6;
  static final int DELETE = 7;
  static final int RENAME = 8;
  static final int QUOTA = 9;
  static final int HELP = 10;
  static final int SIGN_OUT = 11;
  static final int EXIT = 0;
  static final List<Item> OPERATIONS = List.of(
      new Item(UPLOAD, "Upload a file", "pick a file of the local folder by number and send it here"),
      new Item(DOWNLOAD, "Download a file", "pick a file of this folder by number and fetch it into the local folder"),
      new Item(LIST, "List the folder", "show this folder's files and folders with size and date"),
      new Item(CHANGE_DIRECTORY, "Change directory", "pick a subfolder or .. by number, or type a path"),
      new Item(PRINT_DIRECTORY, "Print directory", "show the folder you are in (/ is your home)"),
      new Item(MAKE_DIRECTORY, "Make directory", "make a folder, named as you type it"),
      new Item(DELETE, "Delete", "delete a file or an empty folder, named as you type it"),
      new Item(RENAME, "Rename", "rename or move a file or folder"),
      new Item(QUOTA, "Quota", "show the space you use and the space you may use"),
      new Item(HELP, "Help", "show this description of the menu"),
      new Item(SIGN_OUT, "Sign out", "log out and return to the login menu"),
      new Item(EXIT, "Exit", "log out and leave SelectFTP"));
  static final int LAST_OPERATION = SIGN_OUT;

  static final String LOGIN_PROMPT = "Input your choice>>>: ";
  static final String OPERATION_PROMPT = "Input your operation>>>: ";

  private MenuText() {}

  static List<String> loginMenu() {
    return menu("------- SelectFTP User login Interface -------", LOGIN);
  }

  static List<String> operationsMenu(String user) {
    return menu("------[" + user + "] operation command ------", OPERATIONS);
  }

  /** The operations menu's help: one line per item, then how the menus treat typing. */
  static List<String> operationsHelp() {
    List<String> lines = new ArrayList<>();
    lines.add("The operations menu; type an item's number:");
    for (Item item : OPERATIONS) {
      lines.add(String.format("  %2d: %-17s %s", item.number(), item.label(), item.help()));
    }
    lines.add("In a numbered list of files or folders, 0 goes back. More commands, typed rather than");
    lines.add("picked, are at the prompt: ftp-client -u USER.");
    return lines;
  }

  private static List<String> menu(String banner, List<Item> items) {
    List<String> lines = new ArrayList<>();
    lines.add(banner);
    for (Item item : items) lines.add(String.format("    %d: %s", item.number(), item.label()));
    lines.add("");
    return lines;
  }
}
