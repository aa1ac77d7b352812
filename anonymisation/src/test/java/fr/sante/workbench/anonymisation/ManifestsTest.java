package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one codec of manifests and DPO detail: what it writes it reads back, the public part names no hidden cell, old manifests still read. */
class ManifestsTest {
  @TempDir Path dir;

  private static final ExportPolicy POLICY =
      new ExportPolicy(List.of("region", "label"), "n", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults());

  @Test
  void aTableManifestRoundTripsAndHoldsNoDetail() throws Exception {
    Map<List<String>, Long> published = new LinkedHashMap<>();
    // a category holding the old separator and a quote: cells are arrays, never joined strings
    published.put(List.of("84", "a|b \"c\""), 120L);
    published.put(List.of("Total", "Total"), 409L);
    TableManifest manifest =
        new TableManifest(
            new Provenance("SELECT 1", Map.of("damir", 3L), "0.1.0", "analyst", "2026-12-02T00:00:00Z"), POLICY, 9, 4, ProtectionMethod.LP, published,
            Map.of("table.csv", "ab".repeat(32)), List.of(List.of("93", "Total")));
    Path file = dir.resolve("manifest.json");
    Files.writeString(file, Manifests.write(manifest));
    assertThat(Manifests.read(file)).isEqualTo(manifest);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    for (String key : Manifests.detailKeys()) {
      assertThat(root.has(key)).as(key).isFalse();
    }
    assertThat(root.path("published").get(0).path("cell").get(1).asText()).isEqualTo("a|b \"c\"");
    assertThat(Manifests.legacyDetail(file)).isEmpty();
  }

  @Test
  void theDetailRoundTripsWithUnboundedIntervals() {
    ProtectionDetail detail =
        new ProtectionDetail(
            List.of(List.of("84", "2")), List.of(List.of("84", "2")), List.of(), List.of(List.of("84", "1"), List.of("93", "2")),
            Map.of(List.of("84", "2"), List.of("93", "1")), Map.of(List.of("84", "2"), new Interval(0, Double.POSITIVE_INFINITY)));
    assertThat(Manifests.readDetail(Manifests.writeDetail(detail))).isEqualTo(detail);
  }

  @Test
  void aManifestWrittenBeforeTheDetailMovedStillReads() throws Exception {
    Path file = dir.resolve("old.json");
    Files.writeString(file, """
        {"kind":"table","description":"q","inputs":{"damir":2},
         "policy":{"dimensions":["region","label"],"count-column":"n","counts":"persons","min-count":11,"zeros":"publish","margins":true,"rounding":1,"secondary":true},
         "counts":"persons","cells":9,"cells_primary":1,"cells_secondary":3,"secondary_loss":57,"method":"lp",
         "residual_risk":{"published_small_cells":0,"narrowest_small_cell_interval":13.0},
         "primary":["84|2"],"secondary":["84|1","93|2"],
         "published":{"93|1":120,"Total|Total":409},
         "sha256":{"table.csv":"00"},"workbench_version":"0.0.9","user":"u","time":"t"}
        """);
    TableManifest manifest = (TableManifest) Manifests.read(file);
    assertThat(manifest.cellsHidden()).isEqualTo(4);
    assertThat(manifest.published()).containsEntry(List.of("93", "1"), 120L).containsEntry(List.of("Total", "Total"), 409L);
    ProtectionDetail detail = Manifests.legacyDetail(file).orElseThrow();
    assertThat(detail.primary()).containsExactly(List.of("84", "2"));
    // without a dominance rule, an old manifest's primary cells are all small
    assertThat(detail.primarySmall()).containsExactly(List.of("84", "2"));
    assertThat(detail.secondary()).containsExactly(List.of("84", "1"), List.of("93", "2"));
  }

  @Test
  void aModelManifestAndATablesPublicCellsReadBackAsWritten() throws Exception {
    Provenance provenance = new Provenance("model", Map.of("damir", 3L), "test", "u", "2026-12-03T00:00:00Z");
    ModelManifest model =
        new ModelManifest(provenance, ModelPolicy.of(List.of("a", "b"), "n", ExportPolicy.CountUnit.ROWS, "amount", SuppressionPolicy.defaults()),
            "Poisson, log link", Map.of("a", "x", "b", "u"), Map.of("a", 3, "b", 2), 40, 4, 36, 1.0,
            List.of(List.of("(intercept)", "", "", "", "1.00000000", "0.10000000"), List.of("a=y", "a", "y", "x", "0.20000000", "0.05000000")), Map.of("coefficients.csv", "ab"));
    Path file = dir.resolve("model.json");
    Files.writeString(file, Manifests.write(model));
    assertThat(Manifests.read(file)).isEqualTo(model);

    TableManifest table =
        new TableManifest(provenance, new ExportPolicy(List.of("territory"), "persons", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults()), 3, 1,
            ProtectionMethod.LP, Map.of(List.of("01"), 10L), Map.of("table.csv", "cd"), List.of(List.of("Total")), "ald_prevalence: CNAM publishes each row",
            List.of(List.of("01")));
    Files.writeString(file, Manifests.write(table));
    assertThat(Manifests.read(file)).isEqualTo(table);
  }

  @Test
  void aFileThatIsNotAManifestIsNamed() throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"kind\":\"poster\"}");
    assertThatThrownBy(() -> Manifests.read(file)).hasMessageContaining("Expected kind 'table', 'microdata' or 'model'").hasMessageContaining("found 'poster'");
  }

  @Test
  void hashesStreamLargeFiles() throws Exception {
    Path file = dir.resolve("big.bin");
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) 7);
    java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
    try (var out = Files.newOutputStream(file)) {
      for (int i = 0; i < 5; i++) {
        out.write(block);
        expected.update(block);
      }
      out.write(block, 0, 3);
      expected.update(block, 0, 3);
    }
    assertThat(Hashes.sha256(file)).isEqualTo(java.util.HexFormat.of().formatHex(expected.digest()));
  }
}
