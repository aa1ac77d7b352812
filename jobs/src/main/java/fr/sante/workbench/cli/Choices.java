package fr.sante.workbench.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option values naming an enum constant, in lower case on the command line ({@code --time care}); any other value is a usage error (exit 2). */
final class Choices {
  private Choices() {}

  static <E extends Enum<E>> E parse(CommandSpec command, String option, String value, Class<E> type) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    int index = names.indexOf(value.trim().toLowerCase(Locale.ROOT));
    if (index < 0) {
      String expected = names.size() == 1 ? names.get(0) : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
      throw new ParameterException(command.commandLine(), "Invalid " + option + " '" + value + "' (expected " + expected + ")");
    }
    return type.getEnumConstants()[index];
  }
}
