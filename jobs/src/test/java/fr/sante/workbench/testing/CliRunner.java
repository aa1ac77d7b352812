package fr.sante.workbench.testing;

import fr.sante.workbench.cli.Workbench;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the workbench's command line in the test JVM (its Spark session reused), keeping what it printed. */
public final class CliRunner {
  public final StringWriter out = new StringWriter();
  public final StringWriter err = new StringWriter();

  /** The exit code of {@code workbench ARGS...}. */
  public int run(String... args) {
    CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
