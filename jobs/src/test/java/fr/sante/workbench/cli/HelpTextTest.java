package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** What a newcomer reads first: the command lists of {@code --help} and each command's own help. */
class HelpTextTest {
  private static final String COMMANDS_HEADING = "Commands:";

  @Test
  void everyCommandListSummaryIsACompleteSentence() {
    List<String> checked = new ArrayList<>();
    List<String> cut = new ArrayList<>();
    walk(
        Workbench.commandLine(),
        cli -> {
          for (Map.Entry<String, String> entry : commandList(cli.getUsageMessage(Ansi.OFF)).entrySet()) {
            String command = cli.getCommandSpec().qualifiedName() + " " + entry.getKey();
            checked.add(command);
            if (!isCompleteSentence(entry.getValue())) {
              cut.add(command + ": '" + entry.getValue() + "'");
            }
          }
        });
    assertThat(checked).as("commands listed").contains("workbench audit", "workbench study model", "workbench ingest ald", "workbench generate damir");
    assertThat(cut).as("summaries cut mid-sentence").isEmpty();
  }

  @Test
  void everyCommandRendersItsUsage() {
    walk(
        Workbench.commandLine(),
        cli -> assertThat(cli.getUsageMessage(Ansi.OFF)).as(cli.getCommandSpec().qualifiedName()).contains("Usage: " + cli.getCommandSpec().qualifiedName()));
  }

  @Test
  void modelStudyOffersNoBreakdowns() {
    CommandLine study = Workbench.commandLine().getSubcommands().get("study");
    CommandLine model = study.getSubcommands().get("model");
    assertThat(model.getCommandSpec().findOption("--by")).isNull();
    assertThat(model.getUsageMessage(Ansi.OFF)).doesNotContain("--by=");
    assertThat(study.getSubcommands().get("expenditure").getCommandSpec().findOption("--by")).as("expenditure keeps --by").isNotNull();
  }

  @Test
  void modelStudyRefusesByAsAnUnknownOption() {
    CommandLine cli = Workbench.commandLine();
    cli.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
    assertThat(cli.execute("study", "model", "--lake", "l", "--out", "o", "--by", "region")).isEqualTo(Workbench.EXIT_USAGE);
  }

  @Test
  void demoHelpNamesEveryStudyItRuns() {
    CommandLine cli = Workbench.commandLine();
    String demo = cli.getSubcommands().get("demo").getUsageMessage(Ansi.OFF).replaceAll("\\s+", " ");
    List<String> studies = new ArrayList<>(cli.getSubcommands().get("study").getSubcommands().keySet());
    studies.remove("help");
    assertThat(studies).hasSize(5);
    assertThat(demo).contains("the five studies").contains(studies.stream().map(s -> s + ",").toList().subList(0, 4)).contains(studies.get(4) + ")");
  }

  /**
   * A sentence of a command's description or an option's is never broken where its source line ended: picocli prints
   * each description element on a line of its own, so an element that does not end a sentence would leave a ragged
   * line ("shows what was" / "built, publishes ..."). Checked on what picocli prints: no line of a help text ends
   * without a sentence end where the next line is short enough to have fitted the next word.
   */
  @Test
  void noHelpTextBreaksASentenceWhereItsSourceLineEnded() {
    List<String> ragged = new ArrayList<>();
    walk(
        Workbench.commandLine(),
        cli -> {
          String name = cli.getCommandSpec().qualifiedName();
          String[] description = cli.getCommandSpec().usageMessage().description();
          for (int i = 0; i + 1 < description.length; i++) {
            if (!description[i].isBlank() && !description[i + 1].isBlank() && !endsASentence(description[i])) {
              ragged.add(name + " description: '" + description[i] + "'");
            }
          }
          for (String element : description) {
            if (element.replace("%%", "").replace("%n", "").contains("%")) {
              ragged.add(name + " description has a '%' picocli cannot format (write %%): '" + element + "'");
            }
          }
          for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
            String[] lines = option.description();
            for (int i = 0; i + 1 < lines.length; i++) {
              if (!lines[i].isBlank() && !endsASentence(lines[i])) {
                ragged.add(name + " " + option.longestName() + ": '" + lines[i] + "'");
              }
            }
          }
        });
    assertThat(ragged).as("description elements that end mid-sentence").isEmpty();
    String demo = Workbench.commandLine().getSubcommands().get("demo").getUsageMessage(Ansi.OFF);
    assertThat(demo).as("the demo's description, reflowed").doesNotContain("shows what was\n");
    assertThat(Workbench.paragraphs("One", "sentence.", "", "Two.", "Three", "words")).containsExactly("One sentence.", "", "Two.", "Three words");
  }

  private static boolean endsASentence(String line) {
    return line.stripTrailing().matches("(?s).*([.:;!?)]|%n)$");
  }

  /** A summary is complete when it ends with a full stop and leaves no bracket open. */
  private static boolean isCompleteSentence(String summary) {
    long open = summary.chars().filter(c -> c == '(').count();
    long closed = summary.chars().filter(c -> c == ')').count();
    return summary.endsWith(".") && open == closed;
  }

  /** The command list of a usage message: each command's summary, its wrapped lines joined. */
  private static Map<String, String> commandList(String usage) {
    Map<String, String> list = new LinkedHashMap<>();
    boolean inList = false;
    String current = null;
    for (String line : usage.split("\\R")) {
      if (line.equals(COMMANDS_HEADING)) {
        inList = true;
        continue;
      }
      if (!inList || line.isBlank()) {
        continue;
      }
      if (!line.startsWith(" ")) {
        inList = false; // the next section
        continue;
      }
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        String[] parts = line.trim().split("\\s+", 2);
        current = parts[0];
        list.put(current, parts.length > 1 ? parts[1] : "");
      } else if (current != null) {
        list.put(current, (list.get(current) + " " + line.trim()).trim());
      }
    }
    return list;
  }

  private static void walk(CommandLine cli, Consumer<CommandLine> action) {
    action.accept(cli);
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().parent() == cli.getCommandSpec()) {
        walk(sub, action);
      }
    }
  }
}
