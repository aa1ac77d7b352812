package fr.sante.workbench.linked;

import static fr.sante.workbench.testing.DamirFixtures.baseLine;
import static fr.sante.workbench.testing.DamirFixtures.render;
import static fr.sante.workbench.testing.DamirFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of linked releases: an attacker holds every table a study published and solves them together. The
 * attacker here is independent of the gate: it reads the published CSV files with a plain split, builds its own
 * LP over the atoms (the finest cells, region × age × sex, non-negative), every published cell a known sum of
 * atoms, and asks for the lowest and highest value of every hidden cell; the true values come from the test's
 * own design of the data, not from the gate.
 */
class LinkedReleasesTest {
  private static final String[] REGIONS = {"11", "24", "84", "93"};
  private static final String[] AGES = {"20", "30", "40", "50"};
  private static final String[] SEXES = {"1", "2"};
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /** The design: how many lines each region × age × sex has (about a third of them small). */
  private Map<List<String>, Integer> design(long seed) {
    Random random = new Random(seed);
    Map<List<String>, Integer> counts = new LinkedHashMap<>();
    for (String r : REGIONS) {
      for (String a : AGES) {
        for (String s : SEXES) {
          counts.put(List.of(r, a, s), random.nextDouble() < 0.35 ? 1 + random.nextInt(10) : 11 + random.nextInt(40));
        }
      }
    }
    return counts;
  }

  private Lake lake(Map<List<String>, Integer> design) throws Exception {
    List<String> lines = new ArrayList<>();
    design.forEach((cell, n) -> {
      for (int i = 0; i < n; i++) {
        lines.add(render(with(baseLine(202401), "BEN_RES_REG", cell.get(0), "AGE_BEN_SNDS", cell.get(1), "BEN_SEX_COD", cell.get(2))));
      }
    });
    Files.createDirectories(dir.resolve("raw"));
    Path file = DamirFixtures.write(dir.resolve("raw/A202401.csv"), DamirFixtures.header(Variant.REG), lines);
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(file.toString()), lake));
    return lake;
  }

  @Test
  void tablesOfOneStudyDoNotGiveBackEachOthersSmallCells() throws Exception {
    for (long seed = 1; seed <= 2; seed++) {
      Map<List<String>, Integer> truth = design(seed);
      Lake lake = lake(truth);
      Path out = dir.resolve("out-" + seed);
      StudyResult result =
          ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, out).withBreakdowns(List.of(List.of(DamirAxis.AGE, DamirAxis.SEX), List.of(DamirAxis.REGION, DamirAxis.AGE, DamirAxis.SEX))));
      assertThat(result.tables()).extracting(t -> t.name()).contains("by-age-sex", "by-region-age-sex");
      Map<List<String>, String> coarse = read(out.resolve("tables/by-age-sex/table.csv"), 2);
      Map<List<String>, String> fine = read(out.resolve("tables/by-region-age-sex/table.csv"), 3);
      // every cell of both tables as a cell of region × age × sex (by-age-sex is the region = Total slice)
      Map<List<String>, String> cells = new LinkedHashMap<>(fine);
      coarse.forEach((k, v) -> {
        List<String> key = List.of("Total", k.get(0), k.get(1));
        String other = cells.get(key);
        assertThat(other == null || other.equals(v)).as("cell %s is %s in one table and %s in the other", key, other, v).isTrue();
        cells.put(key, v);
      });
      int small = 0;
      for (Map.Entry<List<String>, String> cell : cells.entrySet()) {
        long value = truth.entrySet().stream().filter(e -> matches(cell.getKey(), e.getKey())).mapToLong(Map.Entry::getValue).sum();
        if (value >= 1 && value <= 10) {
          small++;
          assertThat(cell.getValue()).as("small cell %s (%d) is hidden", cell.getKey(), value).isEmpty();
          double[] bounds = attack(cells, cell.getKey());
          assertThat(bounds[1]).as("highest value of %s (true %d) an attacker can prove, seed %d", cell.getKey(), value, seed).isGreaterThanOrEqualTo(11 - 1e-6);
          assertThat(bounds[1] - bounds[0]).as("width of %s", cell.getKey()).isGreaterThanOrEqualTo(1 - 1e-6);
        }
      }
      assertThat(small).as("the design has small cells").isGreaterThan(5);
      // the DPO's re-check runs the same attack from the files and the audit log
      StringWriter text = new StringWriter();
      picocli.CommandLine cli = fr.sante.workbench.cli.Workbench.commandLine();
      cli.setOut(new PrintWriter(text, true));
      cli.setErr(new PrintWriter(text, true));
      assertThat(cli.execute("audit", "verify", "--lake", lake.root())).as(text.toString()).isZero();
      deleteRecursively(dir.resolve("lake"));
      deleteRecursively(dir.resolve("raw"));
    }
  }

  @Test
  void verifyNamesTablesThatNoLongerAgree() throws Exception {
    Map<List<String>, Integer> truth = design(4);
    // age 20 × sex 1 is small in every region and in total: hidden in both tables
    for (String r : REGIONS) {
      truth.put(List.of(r, "20", "1"), 2);
    }
    Lake lake = lake(truth);
    Path out = dir.resolve("out");
    ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, out).withBreakdowns(List.of(List.of(DamirAxis.AGE, DamirAxis.SEX), List.of(DamirAxis.REGION, DamirAxis.AGE, DamirAxis.SEX))));
    // the coarse table shows one of its hidden cells with its true value: alone it is a changed file; with the
    // finer table, the value also undoes the hidden Total row there
    Path csv = out.resolve("tables/by-age-sex/table.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    int at = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).endsWith(",true") && !lines.get(i).startsWith("Total")) {
        at = i;
        break;
      }
    }
    assertThat(at).as("by-age-sex has a hidden inner cell").isPositive();
    String[] f = lines.get(at).split(",", -1);
    long value = truth.entrySet().stream().filter(e -> e.getKey().get(1).equals(f[0]) && e.getKey().get(2).equals(f[1])).mapToLong(Map.Entry::getValue).sum();
    f[2] = String.valueOf(value);
    f[f.length - 1] = "false";
    lines.set(at, String.join(",", f));
    Files.write(csv, lines);
    StringWriter text = new StringWriter();
    picocli.CommandLine cli = fr.sante.workbench.cli.Workbench.commandLine();
    cli.setOut(new PrintWriter(text, true));
    cli.setErr(new PrintWriter(text, true));
    assertThat(cli.execute("audit", "verify", "--lake", lake.root())).isEqualTo(1);
    assertThat(text.toString()).contains("was altered").contains("(published together): Cell [" + f[0] + ", " + f[1] + ", Total] is published by");
  }

  /** Found by an attacker: groups that share no dimension share the grand total, which one group hid and another published. */
  @Test
  void theGrandTotalIsHiddenInEveryTableOrInNone() throws Exception {
    Lake lake = lake(design(5));
    Path out = dir.resolve("total");
    // a threshold high enough for the cubes of the region/age/sex group to reach the grand total
    StudyResult result =
        ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, out)
            .withBreakdowns(List.of(List.of(DamirAxis.REGION, DamirAxis.AGE), List.of(DamirAxis.AGE, DamirAxis.SEX), List.of(DamirAxis.REGION, DamirAxis.SEX)))
            .withSuppression(new fr.sante.workbench.anonymisation.SuppressionPolicy(300, fr.sante.workbench.anonymisation.SuppressionPolicy.Zeros.PUBLISH)));
    java.util.Set<Boolean> hidden = new java.util.HashSet<>();
    for (var table : result.tables()) {
      String prefix = "Total,".repeat(table.dimensions().size());
      String total = Files.readAllLines(out.resolve("tables").resolve(table.name()).resolve("table.csv")).stream()
          .filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
      hidden.add(total.endsWith(",true"));
    }
    assertThat(hidden).as("the grand total is hidden in all tables or in none").hasSize(1);
    StringWriter text = new StringWriter();
    picocli.CommandLine cli = fr.sante.workbench.cli.Workbench.commandLine();
    cli.setOut(new PrintWriter(text, true));
    cli.setErr(new PrintWriter(text, true));
    assertThat(cli.execute("audit", "verify", "--lake", lake.root())).as(text.toString()).isZero();
    // a published folder holds what the gate wrote, nothing else
    Files.writeString(out.resolve("tables/by-age-sex/NOTES.txt"), "84 x 2 is 4");
    assertThat(cli.execute("audit", "verify", "--lake", lake.root())).isEqualTo(1);
    assertThat(text.toString()).contains("holds NOTES.txt, which the gate did not write");
  }

  private static boolean matches(List<String> cell, List<String> atom) {
    for (int d = 0; d < cell.size(); d++) {
      if (!cell.get(d).equals("Total") && !cell.get(d).equals(atom.get(d))) {
        return false;
      }
    }
    return true;
  }

  /** The published file as cell → value (empty when hidden), read with a plain split. */
  private static Map<List<String>, String> read(Path csv, int dims) throws Exception {
    Map<List<String>, String> cells = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      cells.put(List.of(f).subList(0, dims), f[f.length - 1].equals("true") ? "" : f[dims]);
    }
    return cells;
  }

  /** The attacker's lowest and highest value for {@code target}, over non-negative atoms meeting every published cell. */
  private static double[] attack(Map<List<String>, String> cells, List<String> target) {
    List<List<String>> atoms = new ArrayList<>();
    for (String r : REGIONS) {
      for (String a : AGES) {
        for (String s : SEXES) {
          atoms.add(List.of(r, a, s));
        }
      }
    }
    Map<List<String>, Integer> index = new HashMap<>();
    for (int i = 0; i < atoms.size(); i++) {
      index.put(atoms.get(i), i);
    }
    List<LinearConstraint> constraints = new ArrayList<>();
    cells.forEach((cell, value) -> {
      if (!value.isEmpty()) {
        constraints.add(new LinearConstraint(row(atoms, cell), Relationship.EQ, Double.parseDouble(value)));
      }
    });
    double[] objective = row(atoms, target);
    double low = solve(objective, constraints, GoalType.MINIMIZE);
    double high = solve(objective, constraints, GoalType.MAXIMIZE);
    return new double[] {low, high};
  }

  private static double[] row(List<List<String>> atoms, List<String> cell) {
    double[] coefficients = new double[atoms.size()];
    for (int i = 0; i < atoms.size(); i++) {
      if (matches(cell, atoms.get(i))) {
        coefficients[i] = 1;
      }
    }
    return coefficients;
  }

  private static double solve(double[] objective, List<LinearConstraint> constraints, GoalType goal) {
    try {
      return new SimplexSolver(1e-9, 10, 1e-12)
          .optimize(new MaxIter(200_000), new LinearObjectiveFunction(objective, 0), new LinearConstraintSet(constraints), goal, new NonNegativeConstraint(true))
          .getValue();
    } catch (UnboundedSolutionException e) {
      return Double.POSITIVE_INFINITY;
    }
  }

  private static void deleteRecursively(Path path) throws java.io.IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
