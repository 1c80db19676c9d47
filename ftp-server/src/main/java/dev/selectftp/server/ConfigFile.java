package dev.selectftp.server;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the server's optional config file: one {@code key = value} per line (Java {@code .properties}
 * style, {@code :} also separates), keys named like the long command-line options without the dashes,
 * {@code #} or {@code !} starting a comment line. Values are taken literally (no backslash escapes, so
 * Windows paths work), trimmed, and may be wrapped in matching quotes. Unknown or repeated keys are errors,
 * so a typo never silently falls back to a default. Uses no logger: it runs before logging is set up.
 */
public final class ConfigFile {
  /** A value and the line it came from, for error messages. */
  public record Value(String text, int line) {}

  private ConfigFile() {}

  /**
   * The settings in {@code file}, in file order.
   *
   * @throws Settings.Invalid when the file is missing, unreadable, or has a bad line or unknown key
   */
  public static Map<String, Value> read(Path file) throws Settings.Invalid {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new Settings.Invalid("config file " + file + " does not exist");
    } catch (MalformedInputException e) {
      throw new Settings.Invalid("config file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new Settings.Invalid("cannot read config file " + file + ": " + e.getMessage());
    }
    return parse(lines, "config file " + file);
  }

  /** Parses the lines of a config file; {@code source} names it in error messages. */
  public static Map<String, Value> parse(List<String> lines, String source) throws Settings.Invalid {
    Map<String, Value> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1).strip(); // BOM from some editors
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) continue;
      String where = source + ", line " + lineNo;
      int eq = line.indexOf('=');
      int colon = line.indexOf(':');
      int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (sep <= 0) throw new Settings.Invalid(where + ": expected \"key = value\", got \"" + line + "\"");
      String key = line.substring(0, sep).strip();
      String value = unquote(line.substring(sep + 1).strip());
      if (!Settings.KEYS.contains(key)) throw new Settings.Invalid(where + ": " + unknownKey(key));
      if (value.isEmpty()) throw new Settings.Invalid(where + ": \"" + key + "\" has no value");
      Value before = out.putIfAbsent(key, new Value(value, lineNo));
      if (before != null) {
        throw new Settings.Invalid(where + ": \"" + key + "\" is already set on line " + before.line());
      }
    }
    return out;
  }

  private static String unknownKey(String key) {
    String normalized = key.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    while (normalized.startsWith("-")) normalized = normalized.substring(1);
    String hint = Settings.KEYS.contains(normalized) ? "; did you mean \"" + normalized + "\"?"
        : "; known settings: " + String.join(", ", Settings.KEYS);
    return "unknown setting \"" + key + "\"" + hint;
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    return value;
  }
}
