package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.internal.Amounts;
import fr.sante.workbench.anonymisation.internal.CellSuppression;
import fr.sante.workbench.anonymisation.internal.FrequencyTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's tables attacked by {@link AttackerLp}, which shares no code with the gate: random tables whose truth
 * the test knows go through the gate's protection and its {@code table.csv} writer, and the attacker, reading the
 * file as published, must prove no small cell below the threshold nor pin it (the README's promise: "no small
 * cell can be proven below the threshold or pinned by solving the table's equations").
 */
class IndependentAttackerTest {
  private static final int TABLES = 100;

  /** How the gate is called: each method by name, and secondary suppression off (published only if it protects). */
  enum Gate {
    LP,
    HYPERCUBE,
    PRIMARY_ONLY
  }

  /** The case the attacker first found: {a: 4, b: 7, c: 40}, a and b hidden alone, proved both below 11 since neither can be 0. */
  @Test
  void hiddenCellsKnownNonZeroDoNotGiveTheSmallOnesAway(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    fr.sante.workbench.anonymisation.internal.FrequencyTable table = fr.sante.workbench.anonymisation.internal.FrequencyTable.withMargins(
        List.of("d"), Map.of(List.of("a"), 4L, List.of("b"), 7L, List.of("c"), 40L));
    SuppressionPolicy suppression = SuppressionPolicy.defaults();
    var protection = fr.sante.workbench.anonymisation.internal.CellSuppression.protect(table, suppression);
    ExportPolicy policy = new ExportPolicy(List.of("d"), "n", ExportPolicy.CountUnit.ROWS, suppression, List.of(), null, null, true, 1, true);
    Path csv = dir.resolve("table.csv");
    TableCsv.write(csv, policy, Exports.publishedCells(protection, policy));
    Map<List<String>, AttackerLp.Bounds> bounds = AttackerLp.attack(AttackerCsv.read(csv), new AttackerLp.Knowledge(11, true, true, 1, Map.of()));
    for (List<String> small : List.of(List.of("a"), List.of("b"))) {
      assertThat(bounds).as("the small cell %s is hidden", small).containsKey(small);
      assertThat(bounds.get(small).high()).as("upper bound of %s, knowing hidden cells are >= 1", small).isGreaterThanOrEqualTo(11 - 1e-6);
    }
  }

  @Test
  void noSmallCellOfARandomPublishedTableIsBoundedBelowTheThresholdOrPinned(@TempDir Path dir) throws IOException {
    Random random = new Random(20261203);
    AttackTally tally = new AttackTally();
    for (int t = 0; t < TABLES; t++) {
      int dims = t % 3 == 2 ? 3 : 2;
      int[] categories = new int[dims];
      for (int d = 0; d < dims; d++) {
        categories[d] = 2 + random.nextInt(dims == 2 ? 6 : 3);
      }
      int minCount = random.nextInt(4) == 0 ? 5 : SuppressionPolicy.DEFAULT_MIN_COUNT;
      TruthTables truth = TruthTables.random(random, categories, 0.02 + 0.38 * random.nextDouble(), minCount);
      // secondary off publishes only tables whose few small cells the primary suppressions protect by themselves
      TruthTables sparse = TruthTables.random(random, categories, 0.01 + 0.05 * random.nextDouble(), minCount);
      for (Gate gate : Gate.values()) {
        SuppressionPolicy suppression = new SuppressionPolicy(minCount, random.nextBoolean() ? SuppressionPolicy.Zeros.PUBLISH : SuppressionPolicy.Zeros.PROTECT);
        boolean margins = random.nextInt(4) != 0;
        int rounding = new int[] {1, 1, 5, 10}[random.nextInt(4)];
        ExportPolicy policy =
            new ExportPolicy(truth.dimensions(), "n", ExportPolicy.CountUnit.ROWS, suppression, List.of(), null, null, margins, rounding, gate != Gate.PRIMARY_ONLY);
        attack(dir.resolve("case-" + tally.cases), gate == Gate.PRIMARY_ONLY ? sparse : truth, policy, gate, tally);
      }
    }
    System.out.println("IndependentAttackerTest: " + tally.summary());

    assertThat(tally.problems).as("cells the attacker exposed, or published wrongly (%s)", tally.summary()).isEmpty();
    assertThat(tally.cases).as("cases run").isEqualTo(TABLES * Gate.values().length);
    // the attacker knows the rules: hidden cells of an LP table are non-zero when zeros are published, and a table
    // published without margins must hold against a reader who has the true totals
    assertThat(tally.byNonZero).as("small cells exposed knowing that hidden cells are non-zero (%s)", tally.reproducers).isZero();
    assertThat(tally.byTrueTotals).as("small cells exposed knowing the true totals of a table without margins (%s)", tally.reproducers).isZero();
    assertThat(tally.published).as("tables published and attacked").isGreaterThanOrEqualTo(TABLES * 2);
    assertThat(tally.attackedSmall).as("small hidden cells attacked").isGreaterThanOrEqualTo(TABLES * 10);
    assertThat(tally.kinds.keySet())
        .as("kinds of tables attacked")
        .contains("2-D LP", "2-D HYPERCUBE", "3-D HYPERCUBE", "3-D LP", "rounded", "without margins", "secondary off", "zeros protected");
  }

  private static void attack(Path folder, TruthTables truth, ExportPolicy policy, Gate gate, AttackTally tally) throws IOException {
    tally.cases++;
    FrequencyTable table = FrequencyTable.withMargins(truth.dimensions(), truth.inner());
    SuppressionPolicy suppression = policy.suppression();
    CellSuppression.Result protection;
    try {
      protection =
          switch (gate) {
            // as Exports does: a table without margins is protected with its totals known
            case LP -> CellSuppression.protect(table, suppression, Amounts.none(), ProtectionMethod.LP, Set.of(), Exports.knownTotals(table, policy, Set.of()));
            case HYPERCUBE -> CellSuppression.protect(table, suppression, Amounts.none(), ProtectionMethod.HYPERCUBE, Set.of(), Exports.knownTotals(table, policy, Set.of()));
            case PRIMARY_ONLY -> CellSuppression.primaryOnly(table, suppression, Amounts.none(), Set.of(), Exports.knownTotals(table, policy, Set.of()));
          };
    } catch (AnonymisationException refused) {
      // a refusal publishes nothing: counted, and the assertions require enough published tables
      tally.refused.merge(gate.name(), 1, Integer::sum);
      return;
    }
    tally.published++;
    String label = truth.dimensions().size() + "-D " + protection.method();
    tally.kind(label);
    if (policy.rounding() > 1) {
      tally.kind("rounded");
    }
    if (!policy.margins()) {
      tally.kind("without margins");
    }
    if (gate == Gate.PRIMARY_ONLY) {
      tally.kind("secondary off");
    }
    boolean zerosPublished = suppression.zeros() == SuppressionPolicy.Zeros.PUBLISH;
    if (!zerosPublished) {
      tally.kind("zeros protected");
    }
    Files.createDirectories(folder);
    Path csv = folder.resolve(Exports.TABLE_FILE);
    TableCsv.write(csv, policy, Exports.publishedCells(protection, policy));

    AttackerCsv file = AttackerCsv.read(csv);
    String where = folder.getFileName() + " (" + label + ", min " + suppression.minCount() + ", zeros " + suppression.zeros()
        + ", rounding " + policy.rounding() + ", margins " + policy.margins() + ", " + gate + ")";
    AttackerLp.Knowledge knowledge = new AttackerLp.Knowledge(suppression.minCount(), zerosPublished, false, policy.rounding(), Map.of());
    AttackerCsv attacked = file;
    if (!policy.margins()) {
      // "protected as if the totals were known": the attacker holds the same table published with its margins
      ExportPolicy withMargins = new ExportPolicy(policy.dimensions(), policy.countColumn(), policy.unit(), suppression, List.of(), null, null, true,
          policy.rounding(), policy.secondary());
      Path other = folder.resolve("with-margins.csv");
      TableCsv.write(other, withMargins, Exports.publishedCells(protection, withMargins));
      attacked = file.withMarginsOf(AttackerCsv.read(other));
      Map<List<String>, Long> totals = new java.util.LinkedHashMap<>();
      truth.margins().forEach((key, value) -> {
        if (value == 0 ? zerosPublished : value >= suppression.minCount()) {
          totals.put(key, value);
        }
      });
      tally.byTrueTotals += exposed(file, file, truth, new AttackerLp.Knowledge(suppression.minCount(), zerosPublished, false, policy.rounding(), totals), where, tally);
    }
    if (zerosPublished && protection.method() == ProtectionMethod.LP) {
      // the README: "the cheapest related non-zero cell is hidden", and a small cell is 1..min-1 when zeros are published
      tally.byNonZero += exposed(file, attacked, truth, new AttackerLp.Knowledge(suppression.minCount(), zerosPublished, true, policy.rounding(), Map.of()), where, tally);
    }
    Map<List<String>, AttackerLp.Bounds> bounds = AttackerLp.attack(attacked, knowledge);
    int expectedCells = policy.margins() ? truth.inner().size() + truth.margins().size() : truth.inner().size();
    if (file.cells().size() != expectedCells) {
      tally.problems.add(where + ": expected " + expectedCells + " cells in table.csv but found " + file.cells().size());
    }
    for (Map.Entry<List<String>, OptionalLong> cell : file.cells().entrySet()) {
      long value = truth.count(cell.getKey());
      boolean small = value == 0 ? !zerosPublished : value < suppression.minCount();
      if (cell.getValue().isPresent()) {
        long expected = rounded(value, policy.rounding());
        if (small || cell.getValue().getAsLong() != expected) {
          tally.problems.add(where + ": cell " + cell.getKey() + " (true " + value + ") published as " + cell.getValue().getAsLong() + ", expected "
              + (small ? "hidden" : expected));
        }
        continue;
      }
      AttackerLp.Bounds b = bounds.get(cell.getKey());
      if (value < b.low() || value > b.high()) {
        tally.problems.add(where + ": the attacker's bounds " + b + " of " + cell.getKey() + " exclude its true " + value + " (a wrong assumption about the gate)");
      } else if (small) {
        tally.attackedSmall++;
        if (b.high() < suppression.minCount() || b.width() < 1) {
          tally.problems.add(where + ": small cell " + cell.getKey() + " = " + value + " exposed: the attacker proves " + b + " (expected high >= " + suppression.minCount()
              + " and width >= 1); truth " + truth.inner());
        }
      } else {
        tally.hiddenOthers++;
        if (b.width() < 1) {
          tally.pinnedOthers++;
        }
      }
    }
  }

  /**
   * Beyond the gate's model (reported, not failed; see the summary): how many small cells of {@code file} an attacker
   * with more {@code knowledge} exposes in {@code attacked}; the first such case is kept as a reproducer.
   */
  private static int exposed(AttackerCsv file, AttackerCsv attacked, TruthTables truth, AttackerLp.Knowledge knowledge, String where, AttackTally tally) {
    int exposed = 0;
    for (Map.Entry<List<String>, AttackerLp.Bounds> cell : AttackerLp.attack(attacked, knowledge).entrySet()) {
      long value = truth.count(cell.getKey());
      AttackerLp.Bounds b = cell.getValue();
      boolean small = value == 0 ? !knowledge.zerosPublished() : value < knowledge.minCount();
      if (file.cells().containsKey(cell.getKey()) && small && (b.high() < knowledge.minCount() || b.width() < 1)) {
        exposed++;
        tally.reproducers.putIfAbsent(knowledge.hiddenNonZero() ? "hidden cells non-zero" : "true totals known",
            where + ": " + cell.getKey() + " = " + value + " in " + b + "; truth " + truth.inner());
      }
    }
    return exposed;
  }

  /** Nearest multiple of {@code base}, halves up: the README's rounding. */
  private static long rounded(long value, int base) {
    return Math.floorDiv(value + base / 2, base) * base;
  }

  /** Counts of everything run, for the summary and the assertions. */
  private static final class AttackTally {
    int cases;
    int published;
    int attackedSmall;
    int hiddenOthers;
    int pinnedOthers;
    int byTrueTotals;
    int byNonZero;
    final Map<String, String> reproducers = new TreeMap<>();
    final Map<String, Integer> refused = new TreeMap<>();
    final Map<String, Integer> kinds = new TreeMap<>();
    final List<String> problems = new ArrayList<>();

    void kind(String kind) {
      kinds.merge(kind, 1, Integer::sum);
    }

    String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "%d cases, %d published and attacked %s, refused %s; %d small hidden cells attacked, %d exposed or wrong;"
              + " information loss: %d of %d hidden non-small cells computed exactly by the attacker;"
              + " knowing the rules: %d small cells exposed when the hidden cells of an LP table are known non-zero (zeros published),"
              + " %d in tables without margins when every non-small true total is known from elsewhere; first cases: %s",
          cases, published, kinds, refused, attackedSmall, problems.size(), pinnedOthers, hiddenOthers, byNonZero, byTrueTotals, reproducers);
    }
  }
}
