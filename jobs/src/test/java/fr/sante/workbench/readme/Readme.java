package fr.sante.workbench.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of the project's README.md, with the test markers a block may carry on the line
 * before its fence: {@code <!-- readme-test: skip REASON -->} (not run; the first word of the reason is its
 * kind, counted in the summary) and {@code <!-- readme-test: file NAME -->} (the block is written to NAME in
 * the working folder before any shell block runs).
 */
public final class Readme {
  private static final Pattern MARKER = Pattern.compile("<!--\\s*readme-test:\\s*(skip|file)\\s+(.*?)\\s*-->");
  private static final Pattern EXITS = Pattern.compile("\\(exits with (\\d+)\\)|\\bexits with (\\d+)\\b");

  /** One fenced block; {@code marker} and {@code argument} are null for an unmarked block. */
  public record Block(String language, int line, String text, String marker, String argument) {
    boolean skipped() {
      return "skip".equals(marker);
    }

    /** The first word of a skip reason: {@code cluster}, {@code notebooks}, ... */
    String skipKind() {
      return argument.split("\\s+")[0];
    }
  }

  /** One shell command of a block: its text (continuation lines joined) and the exit code the README announces. */
  record Command(int line, String text, int expectedExit) {}

  private Readme() {}

  static Path file() {
    String root = System.getProperty("workbench.root", "");
    Path dir = root.isBlank() || root.startsWith("${") ? Path.of("..") : Path.of(root);
    return dir.resolve("README.md").toAbsolutePath().normalize();
  }

  public static String text() {
    try {
      return Files.readString(file(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file(), e);
    }
  }

  public static List<Block> blocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("```")) {
        continue;
      }
      String language = lines[i].substring(3).trim();
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i = i + 1; i < lines.length && !lines[i].startsWith("```"); i++) {
        text.append(lines[i]).append('\n');
      }
      if (i == lines.length) {
        throw new IllegalStateException("README.md: the code block opened at line " + (start + 1) + " is never closed");
      }
      Matcher marker = start > 0 ? MARKER.matcher(lines[start - 1]) : null;
      boolean marked = marker != null && marker.find();
      blocks.add(new Block(language, start + 1, text.toString(), marked ? marker.group(1) : null, marked ? marker.group(2) : null));
    }
    return blocks;
  }

  /**
   * The commands of a shell block: comments dropped, lines ending with {@code \} and lines inside an open
   * double-quoted string joined. A comment line announcing {@code (exits with N)} sets the exit code expected
   * of the command that follows it.
   */
  static List<Command> commands(Block block) {
    List<Command> commands = new ArrayList<>();
    String[] lines = block.text().split("\n");
    int expected = 0;
    StringBuilder current = null;
    int firstLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (current == null) {
        String trimmed = line.trim();
        if (trimmed.isEmpty()) {
          expected = 0;
          continue;
        }
        if (trimmed.startsWith("#")) {
          Matcher exits = EXITS.matcher(trimmed);
          if (exits.find()) {
            expected = Integer.parseInt(exits.group(1) != null ? exits.group(1) : exits.group(2));
          }
          continue;
        }
        current = new StringBuilder();
        firstLine = block.line() + 1 + i;
      }
      boolean continued = line.endsWith("\\");
      current.append(continued ? line.substring(0, line.length() - 1) : line);
      if (continued || openQuote(current)) {
        current.append(continued ? "" : "\n");
        continue;
      }
      commands.add(new Command(firstLine, stripTrailingComment(current.toString()).trim(), expected));
      current = null;
      expected = 0;
    }
    if (current != null) {
      throw new IllegalStateException("README.md line " + firstLine + ": a command is never finished (open quote or trailing \\)");
    }
    return commands;
  }

  /** Splits a command into words as the shell would for our commands: quotes removed, no expansion. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  private static boolean openQuote(CharSequence text) {
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
    }
    return quote != 0;
  }

  /** Drops a {@code  # comment} after a command (outside quotes). */
  private static String stripTrailingComment(String command) {
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else if (quote == 0 && c == '#' && i > 0 && Character.isWhitespace(command.charAt(i - 1))) {
        return command.substring(0, i);
      }
    }
    return command;
  }
}
