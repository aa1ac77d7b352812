package fr.sante.workbench.readme;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.cli.Workbench;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code workbench} subcommand and option that the README names exists, in its code blocks (run or
 * skipped, including {@code spark-submit ... Workbench jar <command>}) and in its inline code.
 */
class ReadmeOptionsTest {
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`\n]+)`");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

  @Test
  void everyCommandAndOptionTheReadmeNamesExists() {
    String readme = Readme.text();
    CommandLine cli = Workbench.commandLine();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Readme.Block block : Readme.blocks(readme)) {
      if (!block.language().equals("bash")) {
        continue;
      }
      for (Readme.Command command : Readme.commands(block)) {
        List<String> args = workbenchArguments(Readme.words(command.text()));
        if (args != null) {
          checked++;
          check("README.md line " + command.line(), cli, args, problems);
        }
      }
    }
    Set<String> allOptions = new TreeSet<>();
    collectOptions(cli, allOptions);
    Matcher inline = INLINE_CODE.matcher(readme);
    int inlineChecked = 0;
    while (inline.find()) {
      String code = inline.group(1);
      if (code.startsWith("./workbench ") || code.startsWith("workbench ")) {
        inlineChecked++;
        // `./workbench audit list|show ID|verify [ID]`: each alternative of the first word is a subcommand
        List<String> words = Readme.words(code.replaceAll("\\[[^]]*]", ""));
        CommandLine parent = cli;
        String first = words.size() > 1 ? words.get(1) : null;
        if (first != null && !first.startsWith("-") && cli.getSubcommands().containsKey(first)) {
          parent = cli.getSubcommands().get(first);
          for (String alternative : words.size() > 2 ? words.get(2).split("\\|") : new String[0]) {
            if (alternative.matches("[a-z]+") && !parent.getSubcommands().isEmpty() && !parent.getSubcommands().containsKey(alternative)) {
              problems.add("inline `" + code + "`: 'workbench " + first + "' has no subcommand '" + alternative + "' (has " + parent.getSubcommands().keySet() + ")");
            }
          }
        } else if (first != null && !first.startsWith("-")) {
          problems.add("inline `" + code + "`: no command '" + first + "' (has " + cli.getSubcommands().keySet() + ")");
        }
      }
      Matcher option = OPTION.matcher(code);
      while (option.find()) {
        inlineChecked++;
        if (!allOptions.contains(option.group()) && !code.startsWith("mvn ") && !code.startsWith("bench/") && !code.startsWith("notebooks/") && !code.contains("spark-submit") && !isSparkSubmitOption(option.group())) {
          problems.add("inline `" + code + "`: no workbench command has an option " + option.group());
        }
      }
    }
    assertThat(checked).as("README command lines that call the workbench").isGreaterThan(25);
    assertThat(inlineChecked).as("inline mentions checked").isGreaterThan(10);
    assertThat(problems).as("README mentions that the CLI does not have").isEmpty();
  }

  /** The README also shows a few of spark-submit's own options and Maven's in prose. */
  private static boolean isSparkSubmitOption(String option) {
    return Set.of("--packages", "--conf", "--class", "--deploy-mode", "--executor-memory", "--num-executors").contains(option);
  }

  /** The words after {@code ./workbench} or after {@code spark-submit ... --class ...Workbench JAR}; null otherwise. */
  private static List<String> workbenchArguments(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("./workbench") || word.equals("workbench")) {
        return words.subList(i + 1, words.size());
      }
      if (word.equals(Workbench.class.getName()) && i + 2 <= words.size() && words.get(i - 1).equals("--class")) {
        return words.subList(i + 2, words.size());
      }
    }
    return null;
  }

  private static void check(String where, CommandLine root, List<String> args, List<String> problems) {
    CommandLine command = root;
    int i = 0;
    while (i < args.size() && command.getSubcommands().containsKey(args.get(i))) {
      command = command.getSubcommands().get(args.get(i));
      i++;
    }
    if (i < args.size() && !args.get(i).startsWith("-") && !command.getSubcommands().isEmpty()) {
      problems.add(where + ": '" + command.getCommandName() + "' has no subcommand '" + args.get(i) + "' (has " + command.getSubcommands().keySet() + ")");
      return;
    }
    for (; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        continue;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!hasOption(command.getCommandSpec(), name)) {
        problems.add(where + ": 'workbench " + qualifiedName(command) + "' has no option " + name);
      }
    }
  }

  /** {@code --no-x} is picocli's negated form of a negatable {@code --x}. */
  private static boolean hasOption(CommandLine.Model.CommandSpec spec, String name) {
    if (spec.findOption(name) != null) {
      return true;
    }
    CommandLine.Model.OptionSpec positive = name.startsWith("--no-") ? spec.findOption("--" + name.substring(5)) : null;
    return positive != null && positive.negatable();
  }

  private static String qualifiedName(CommandLine command) {
    return command.getCommandSpec().qualifiedName(" ").replaceFirst("^workbench ", "");
  }

  private static void collectOptions(CommandLine command, Set<String> into) {
    for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
      for (String name : option.names()) {
        into.add(name);
        if (option.negatable() && name.startsWith("--")) {
          into.add("--no-" + name.substring(2));
        }
      }
    }
    command.getSubcommands().values().forEach(sub -> collectOptions(sub, into));
  }
}
