package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files are read strictly: no silent coercion, no duplicate key, no unknown key. */
class PolicyFileTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static final String TABLE = "dimensions: [a, b]\ncount-column: n\n";

  @Test
  void valuesOfTheWrongTypeAreErrorsNamingTheKey() throws Exception {
    assertThatThrownBy(() -> Policy.read(file("r.yaml", TABLE + "rounding: five\n")))
        .hasMessageContaining("rounding is \"five\" (expected a whole number)");
    assertThatThrownBy(() -> Policy.read(file("s.yaml", TABLE + "secondary: nein\n")))
        .hasMessageContaining("secondary is \"nein\" (expected true or false)");
    assertThatThrownBy(() -> Policy.read(file("m.yaml", TABLE + "min-count: 11.5\n")))
        .hasMessageContaining("min-count is 11.5 (expected a whole number)");
    assertThatThrownBy(() -> Policy.read(file("c.yaml", TABLE + "counts: people\n")))
        .hasMessageContaining("counts is \"people\" (expected one of [persons, acts, rows, boxes, consumers])");
    assertThatThrownBy(() -> Policy.read(file("d.yaml", "dimensions: a\ncount-column: n\n")))
        .hasMessageContaining("dimensions is \"a\" (expected a list of column names");
    assertThatThrownBy(() -> Policy.read(file("k.yaml", "quasi-identifiers: {age: age}\nk: \"5\"\n")))
        .hasMessageContaining("k is \"5\" (expected a whole number)");
    assertThatThrownBy(() -> Policy.read(file("x.json", "{\"dimensions\": [\"a\"], \"count-column\": \"n\", \"margins\": \"yes\"}")))
        .hasMessageContaining("margins is \"yes\" (expected true or false)");
  }

  @Test
  void duplicateAndUnknownKeysAreErrors() throws Exception {
    assertThatThrownBy(() -> Policy.read(file("dup.yaml", TABLE + "min-count: 11\nmin-count: 2\n")))
        .isInstanceOf(AnonymisationException.class)
        .hasMessageContaining("min-count");
    assertThatThrownBy(() -> Policy.read(file("dup.json", "{\"dimensions\": [\"a\"], \"count-column\": \"n\", \"rounding\": 5, \"rounding\": 1}")))
        .hasMessageContaining("rounding");
    assertThatThrownBy(() -> Policy.read(file("u.yaml", TABLE + "treshold: 11\n"))).hasMessageContaining("unknown key 'treshold'");
  }

  @Test
  void wellTypedFilesStillRead() throws Exception {
    ExportPolicy policy = (ExportPolicy) Policy.read(file("ok.yaml", TABLE + "counts: persons\nmin-count: 15\nrounding: 5\nsecondary: false\nzeros: protect\n"));
    assertThat(policy.unit()).isEqualTo(ExportPolicy.CountUnit.PERSONS);
    assertThat(policy.suppression().minCount()).isEqualTo(15);
    assertThat(policy.rounding()).isEqualTo(5);
    assertThat(policy.secondary()).isFalse();
    assertThat(policy.suppression().zeros()).isEqualTo(SuppressionPolicy.Zeros.PROTECT);
  }
}
