package fr.sante.workbench.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the architecture, read from the sources: the jobs, the CLI, the studies and the notebooks use the
 * export gate's public API only, never its algorithms ({@code anonymisation.internal}), and the anonymisation module
 * never reaches into {@code jobs}.
 */
class ModuleBoundaryTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void onlyTheGatesPublicApiIsUsedOutsideTheModule() throws IOException {
    assertThat(referencing(ROOT.resolve("jobs/src/main"), "fr.sante.workbench.anonymisation.internal")).isEmpty();
    assertThat(referencing(ROOT.resolve("notebooks"), "fr.sante.workbench.anonymisation.internal")).isEmpty();
  }

  @Test
  void theAnonymisationModuleDoesNotDependOnJobs() throws IOException {
    for (String pkg : List.of("fr.sante.workbench.cli", "fr.sante.workbench.studies", "fr.sante.workbench.lake", "fr.sante.workbench.ingest")) {
      assertThat(referencing(ROOT.resolve("anonymisation/src"), pkg)).as(pkg).isEmpty();
    }
  }

  /** Source files under {@code dir} (Java and notebooks) that mention {@code name}. */
  private static List<Path> referencing(Path dir, String name) throws IOException {
    assertThat(dir).as("the sources are read from the repository").isDirectory();
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".ipynb")).toList()) {
        if (Files.readString(file).contains(name)) {
          found.add(ROOT.relativize(file));
        }
      }
    }
    return found;
  }
}
