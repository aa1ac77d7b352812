package fr.sante.workbench.cli;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.AnonymisationException;
import fr.sante.workbench.anonymisation.DisclosureCheckFailedException;
import fr.sante.workbench.anonymisation.QueryRefusedException;
import java.io.PrintWriter;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The {@code workbench} command line: {@code java -jar workbench.jar <command> ...}. */
@Command(
    name = "workbench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Research workbench for French health-insurance open data (Open DAMIR) on Spark and Delta Lake.",
      "Exit codes: 0 ok, 1 failure, 2 usage error, 3 export refused by the disclosure checks."
    },
    subcommands = {
      AuditCommand.class,
      DemoCommand.class,
      ExportCommand.class,
      IngestCommand.class,
      PolicyCommand.class,
      RiskCommand.class,
      GenerateCommand.class,
      SqlCommand.class,
      StudyCommand.class,
      TablesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Workbench implements Runnable {
  /** Exit code of a failure (picocli's software error). */
  public static final int EXIT_FAILURE = 1;
  /** Exit code of a usage error, and of a query that is not a read-only query of the lake (picocli's usage code). */
  public static final int EXIT_USAGE = 2;
  /** Exit code of an export refused by the disclosure checks (a project convention). */
  public static final int EXIT_REFUSED = 3;

  @Spec CommandSpec spec;

  public static void main(String... args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Workbench());
    cli.setExecutionExceptionHandler(Workbench::handle);
    // the heartbeat repeats the last step only while a command runs
    cli.setExecutionStrategy(parsed -> {
      try {
        return new CommandLine.RunLast().execute(parsed);
      } finally {
        TerminalProgress.idle();
      }
    });
    CommandLine.IParameterExceptionHandler picocli = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler((e, args) -> picocli.handleParseException(misspeltFirst(e), args));
    reflowDescriptions(cli);
    return cli;
  }

  /**
   * Picocli prints each element of a command's description on its own line(s): a sentence written over several
   * elements would be printed with a break wherever the source line ended ("shows what was" / "built, ..."). Elements
   * are joined into paragraphs here: an element that does not end a sentence (with {@code . : ; ! ? )}) continues on
   * the next one; an empty element stays a paragraph break. The first element, the command list's summary, is a
   * complete sentence ({@code HelpTextTest}) and so stays as written.
   */
  static void reflowDescriptions(CommandLine cli) {
    cli.getCommandSpec().usageMessage().description(paragraphs(cli.getCommandSpec().usageMessage().description()));
    cli.getSubcommands().values().forEach(Workbench::reflowDescriptions);
  }

  /** The description's elements joined into paragraphs (see {@link #reflowDescriptions}). */
  static String[] paragraphs(String... elements) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder current = null;
    for (String element : elements) {
      if (element.isBlank() && current != null) {
        out.add(current.toString());
        current = null;
      }
      if (current == null) {
        current = new StringBuilder(element);
      } else {
        current.append(' ').append(element.strip());
      }
      String text = current.toString().stripTrailing();
      if (text.isEmpty() || text.matches("(?s).*[.:;!?)]$") || text.endsWith("%n")) {
        out.add(current.toString());
        current = null;
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out.toArray(String[]::new);
  }

  /**
   * Picocli's usage errors, where a misspelled option comes first: picocli reports a required option missing before
   * the arguments it did not recognise, so {@code tables --lak x} would say "Missing required option: '--lake=DIR'"
   * without its "Possible solutions: --lake".
   */
  private static ParameterException misspeltFirst(ParameterException e) {
    CommandLine cli = e.getCommandLine();
    if (e instanceof CommandLine.MissingParameterException && !cli.getUnmatchedArguments().isEmpty()) {
      return new CommandLine.UnmatchedArgumentException(cli, cli.getUnmatchedArguments());
    }
    return e;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
  }

  /** A Delta conflict with another writer in {@code e} or its causes (concurrent append, delete, metadata or protocol change). */
  public static Throwable concurrentChange(Throwable e) {
    return fr.sante.workbench.ConcurrentChangeException.find(e);
  }

  /** The commands that run a query the user wrote. */
  private static final java.util.Set<String> USER_QUERY_COMMANDS = java.util.Set.of("sql", "export", "risk");

  /**
   * What a person needs of a Spark error: its error class and the first line of its message, with the position in
   * the query when Spark gives one; never the query plan, nor the hints of the message's other lines (such as
   * "To tolerate the error on drop use DROP VIEW IF EXISTS", which has nothing to do with a query).
   */
  static String queryMessage(Throwable e) {
    String text = e instanceof AnalysisException analysis ? analysis.message() : String.valueOf(e.getMessage());
    String first = text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("").replaceAll("\\s*SQLSTATE: \\w+\\s*", " ").strip();
    String condition = e instanceof SparkThrowable spark ? spark.getCondition() : null;
    if (condition != null && !first.startsWith("[")) {
      first = "[" + condition + "] " + first;
    }
    if (e instanceof AnalysisException analysis && analysis.line().isDefined() && analysis.startPosition().isDefined()) {
      first += " (line " + analysis.line().get() + ", position " + analysis.startPosition().get() + ")";
    }
    return first;
  }

  /** The Spark error with an error class in {@code e} or its causes, or null (an internal error of Spark is not the query's). */
  private static Throwable sparkError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable spark && spark.getCondition() != null && !spark.getCondition().startsWith("INTERNAL_ERROR")) {
        return t;
      }
    }
    return null;
  }

  /** Maps failures to exit codes in one place, printing a message a person can act on. */
  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof DisclosureCheckFailedException) {
      err.println("Refused: " + e.getMessage());
      err.flush();
      return EXIT_REFUSED;
    }
    if (e instanceof QueryRefusedException) {
      err.println("Error: " + e.getMessage());
      err.flush();
      return EXIT_USAGE;
    }
    Throwable conflict = concurrentChange(e);
    java.util.Optional<String> objectStore = ObjectStoreErrors.describe(e);
    if (e instanceof fr.sante.workbench.ConcurrentChangeException) {
      err.println("Error: " + e.getMessage()); // it names what was being written and what to do
    } else if (conflict != null) {
      // another process committed to the same table meanwhile: Delta refused this commit, the other one stands
      String first = String.valueOf(conflict.getMessage()).lines().findFirst().orElse("");
      err.println("Error: another process changed the lake at the same time, so this commit was refused (" + first + "). What this run committed"
          + " before stays (ingest_log and audit log list it); run the command again when the other one has ended: an ingest replaces a month,"
          + " never adds it twice.");
    } else if (objectStore.isPresent()) {
      // an s3a:// location the settings do not let us reach: a line about the settings, not a trace
      err.println("Error: " + objectStore.get());
    } else if (e instanceof WorkbenchException || e instanceof AnonymisationException) {
      err.println("Error: " + e.getMessage());
    } else if (e instanceof AnalysisException analysis) {
      err.println("Error: invalid query: " + queryMessage(analysis));
    } else if (USER_QUERY_COMMANDS.contains(cli.getCommandName()) && sparkError(e) != null) {
      // the user's query failed while it ran (a division by zero, a cast of a text that is not a number, ...)
      err.println("Error: the query failed: " + queryMessage(sparkError(e)));
    } else {
      err.println("Error: unexpected failure, please report it with this trace:");
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }
}
