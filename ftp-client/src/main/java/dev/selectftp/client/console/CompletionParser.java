package dev.selectftp.client.console;

import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * JLine's parser, quoting completions the way {@link Words} reads them: a name with a blank or a quote is
 * wrapped in double quotes (JLine would write {@code my\ docs}, which {@link Words} does not read).
 */
final class CompletionParser extends DefaultParser {
  CompletionParser() {
    quoteChars(new char[] {'"'});
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    ParsedLine parsed = super.parse(line, cursor, context);
    return parsed instanceof CompletingParsedLine completing ? new Quoting(completing) : parsed;
  }

  private record Quoting(CompletingParsedLine parsed) implements CompletingParsedLine {
    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      int start = parsed.cursor() - parsed.rawWordCursor();
      boolean opened = start >= 0 && start < parsed.line().length() && parsed.line().charAt(start) == '"';
      String text = candidate.toString();
      if (opened || text.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"')) {
        return parsed.escape(candidate, complete);
      }
      String inner = text.replace("\\", "\\\\").replace("\"", "\\\"");
      return "\"" + inner + (complete ? "\"" : "");
    }

    @Override
    public int rawWordCursor() {
      return parsed.rawWordCursor();
    }

    @Override
    public int rawWordLength() {
      return parsed.rawWordLength();
    }

    @Override
    public String word() {
      return parsed.word();
    }

    @Override
    public int wordCursor() {
      return parsed.wordCursor();
    }

    @Override
    public int wordIndex() {
      return parsed.wordIndex();
    }

    @Override
    public List<String> words() {
      return parsed.words();
    }

    @Override
    public String line() {
      return parsed.line();
    }

    @Override
    public int cursor() {
      return parsed.cursor();
    }
  }
}
