package fr.sante.workbench.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real CNAM/INSEE files, reached through {@code -Dworkbench.data=DIR} (CI passes {@code ../shared/data}).
 * Not given: the test is skipped. Given but wrong: the test fails loudly.
 */
public final class SharedData {
  private SharedData() {}

  /** The file at {@code relative} under the data folder; skips the test when no folder was given. */
  public static Path require(String relative) {
    String given = System.getProperty("workbench.data", "");
    assumeTrue(
        !given.isBlank() && !given.startsWith("${"),
        "No real data folder given (-Dworkbench.data=../shared/data): conformance test skipped");
    Path dir = Path.of(given);
    if (!dir.isAbsolute()) {
      // relative paths are relative to the project root, where the README's test command is run
      String root = System.getProperty("workbench.root", "");
      dir = (root.isBlank() || root.startsWith("${") ? Path.of("..") : Path.of(root)).resolve(given);
    }
    Path file = dir.resolve(relative).normalize();
    if (!Files.isRegularFile(file)) {
      fail("workbench.data was given as '" + given + "' but " + file.toAbsolutePath() + " does not exist");
    }
    return file;
  }
}
