package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code workbench} launcher's JVM command line, run against a stand-in {@code java} that prints it. */
class LauncherScriptTest {
  private static final String VECTOR = "--add-modules=jdk.incubator.vector";

  @TempDir Path dir;

  @Test
  void startsTheJvmWithoutTheIncubatorModuleThatPrintsAWarning() throws Exception {
    Path script = Files.copy(Path.of("..", "workbench"), dir.resolve("workbench"));
    Files.createDirectories(dir.resolve("jobs/target/classes/fr/sante/workbench"));
    Files.writeString(dir.resolve("jobs/target/workbench.jar"), "");
    Files.writeString(
        dir.resolve("jobs/target/classes/fr/sante/workbench/build.properties"),
        "jvm.flags=-XX:+IgnoreUnrecognizedVMOptions " + VECTOR + " --add-opens=java.base/java.lang=ALL-UNNAMED\n");
    Path java = Files.writeString(dir.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));

    assertThat(launch(script, java, "")).contains("--add-opens=java.base/java.lang=ALL-UNNAMED").doesNotContain(VECTOR).endsWith("-jar " + dir.resolve("jobs/target/workbench.jar") + " --help");
    assertThat(launch(script, java, VECTOR)).as("WORKBENCH_JAVA_OPTS brings it back").contains(VECTOR);
  }

  private String launch(Path script, Path java, String javaOpts) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true);
    builder.environment().put("JAVA", java.toString());
    builder.environment().put("WORKBENCH_CDS", "0");
    builder.environment().put("WORKBENCH_BUILD", "0");
    builder.environment().put("WORKBENCH_JAVA_OPTS", javaOpts);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
