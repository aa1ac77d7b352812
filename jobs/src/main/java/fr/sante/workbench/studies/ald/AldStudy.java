package fr.sante.workbench.studies.ald;

import fr.sante.workbench.anonymisation.PublishedTable;
import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import fr.sante.workbench.studies.Charts;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirFigures;
import fr.sante.workbench.studies.DamirSelection;
import fr.sante.workbench.studies.DerivedTable;
import fr.sante.workbench.studies.Figures;
import fr.sante.workbench.studies.StudyTable;
import fr.sante.workbench.studies.StudyOutput;
import fr.sante.workbench.anonymisation.ReportText;
import fr.sante.workbench.studies.StudyReport;
import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.TimeAxis;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Prevalence of long-term illness (ALD) by département: crude and directly age-sex standardised rates per
 * 100,000 with confidence intervals (exact Poisson; gamma method), ranked within each ALD; and the share of
 * reimbursement under ALD exemption ({@code EXO_MTF} 41-46) by region when Open DAMIR is loaded (in the scope of the
 * Open DAMIR studies, {@code TOP_PS5_TRG = 1}). Counts
 * leave through the gate; every rate is computed from the published counts and the public population.
 */
public final class AldStudy {
  public static final String NAME = "ald";
  public static final String PERSONS = "persons";
  /** The tables of ALD {@code n} are {@code ald-<n>-by-territory} and {@code ald-<n>-by-territory-sex-age}. */
  public static String byTerritory(String ald) {
    return "ald-" + ald + "-by-territory";
  }

  public static String byStratum(String ald) {
    return "ald-" + ald + "-by-territory-sex-age";
  }
  public static final String SHARE = "expenditure-by-region-ald-exemption";

  private AldStudy() {}

  /** The scope of {@link #SHARE} in words. */
  static String shareScope(DamirSelection selection) {
    return selection.scope() == DamirSelection.Scope.PS5
        ? "the scope of CNAM's monthly statistics (TOP_PS5_TRG = 1; lines of TOP_PS5_TRG 0 and 9 left out), as in the Open DAMIR studies"
        : "all lines (TOP_PS5_TRG 0, 1 and 9)";
  }

  /** The damir lines of {@link #SHARE}: the Open DAMIR studies' default scope, every processing month of the lake. */
  static DamirSelection shareSelection() {
    DamirSelection studies = DamirSelection.defaults();
    return new DamirSelection(TimeAxis.PROCESSING, java.util.Optional.empty(), java.util.Optional.empty(), studies.scope());
  }

  public static StudyResult run(SparkSession spark, AldOptions options) {
    StudyOutput output = StudyOutput.open(spark, options.lake(), options.out(), NAME, options.suppression(), options.progress(), Lake.ALD_PREVALENCE, Lake.POPULATION);
    Dataset<Row> ald = spark.table(Lake.ALD_PREVALENCE);
    int year = options.year().orElseGet(() -> ald.agg(org.apache.spark.sql.functions.max("year")).first().getInt(0));
    Dataset<Row> rows = ald.filter(col("year").equalTo(year).and(col("geo_level").equalTo("DEP")));
    if (!options.alds().isEmpty()) {
      rows = rows.filter(col("ald_code").isin(options.alds().toArray()));
    }
    if (rows.isEmpty()) {
      throw new fr.sante.workbench.WorkbenchException("Cannot run the ald study: no département rows for year " + year
          + (options.alds().isEmpty() ? "" : " and ALD " + options.alds()) + " in the lake's ald_prevalence table");
    }
    // the report's texts: the published tables' titles and filters stay in English (they go into the manifests)
    ReportText text = StudyReport.texts(options.language());
    List<String> notes = new ArrayList<>();
    Column total = col("sex").equalTo(9).and(col("age_class").equalTo("ALL"));
    Column stratum = col("sex").isin(1, 2).and(col("age_class").notEqual("ALL"));
    if (rows.filter(col("rounding").gt(1)).limit(1).count() > 0) {
      notes.add(text.msg("ald.note.rounded"));
    }
    // crude counts: the source's total where it has one, else its strata (which the gate sums). One selection of
    // rows, each kept once (filters and an anti join only), so the gate can trace the count to the source's column.
    // A masked count (null) stays in: the gate publishes its cell, and every sum of it, hidden as masked at the
    // source, never as 0.
    Dataset<Row> strata = rows.filter(stratum);
    Dataset<Row> withTotal = rows.filter(total).select("ald_code", "geo_code").distinct().alias("t");
    Dataset<Row> crude =
        rows.filter(total.or(stratum)).alias("r")
            .join(withTotal, col("r.ald_code").equalTo(col("t.ald_code")).and(col("r.geo_code").equalTo(col("t.geo_code"))).and(stratum), "left_anti")
            .select("ald_code", "geo_code", PERSONS);
    String filters = "ALD prevalence " + year + ", départements";
    // one table per ALD: a person can hold several ALDs, so a margin over ALDs would count some people more than once,
    // and hiding cells of one ALD to protect another through that margin would destroy information for nothing. The
    // rates of one ALD never depend on which other ALDs were asked for.
    Map<String, StudyTable> byTerritory = new LinkedHashMap<>();
    Map<String, StudyTable> byStratum = new LinkedHashMap<>();
    boolean hasStrata = !strata.isEmpty();
    List<Integer> codes = rows.select("ald_code").distinct().collectAsList().stream().map(r -> r.getInt(0)).sorted().toList();
    for (int code : codes) {
      String number = String.valueOf(code);
      byTerritory.put(number,
          output.publish(byTerritory(number), "People in ALD " + number + " by département",
              crude.filter(col("ald_code").equalTo(code)).select(col("geo_code").as("territory"), col(PERSONS)),
              output.personsPolicy(List.of("territory"), PERSONS, List.of()),
              filters + ", ALD " + number + "; source totals, else the sum of age-sex strata; Total = the ALD's people in all the départements"));
      Dataset<Row> aldStrata = strata.filter(col("ald_code").equalTo(code));
      if (hasStrata && !aldStrata.isEmpty()) {
        byStratum.put(number,
            output.publish(byStratum(number), "People in ALD " + number + " by département, sex and age class",
                aldStrata.select(col("geo_code").as("territory"), col("sex").cast("string").as("sex"), col("age_class"), col(PERSONS)),
                output.personsPolicy(List.of("territory", "sex", "age_class"), PERSONS, List.of()), filters + ", ALD " + number + "; age-sex strata"));
      }
    }
    if (!hasStrata) {
      notes.add(text.msg("ald.note.no_strata", String.valueOf(year)));
    }
    fr.sante.workbench.studies.PopulationChoice.Outcome chosen =
        fr.sante.workbench.studies.PopulationChoice.choose(spark, Lake.ALD_PREVALENCE, year, options.population(), text);
    Optional<PopulationBands> population = chosen.choice().map(c -> PopulationBands.load(spark, c));
    notes.add(chosen.choice().map(fr.sante.workbench.studies.PopulationChoice::statement).orElse(chosen.why()));
    Map<List<String>, BigDecimal> cnam = new LinkedHashMap<>();
    for (Row r : rows.filter(total.and(col("std_rate_100k").isNotNull())).select(col("ald_code").cast("string"), col("geo_code"), col("std_rate_100k")).collectAsList()) {
      cnam.put(List.of(r.getString(0), r.getString(1)), r.getDecimal(2));
    }
    DerivedTable prevalence = prevalence(text, byTerritory, byStratum, population, cnam, options);
    DerivedTable hidden = hiddenByAld(text, byTerritory);
    hidden.rows().forEach(r -> notes.add(text.msg("ald.note.hidden", r.get(0), r.get(2), r.get(1), r.get(3))));
    List<DerivedTable> derived = new ArrayList<>(List.of(prevalence, hidden));
    Path report = output.reportDir();
    List<Charts.Figure> charts = new ArrayList<>();
    StudyReport html =
        new StudyReport(text, text.msg("ald.title", String.valueOf(year)), text.msg("ald.introduction", options.standard().name(), Math.round(options.confidence() * 100)),
            output.inputs());
    notes.forEach(html::text);
    for (String code : prevalence.column("ald").stream().distinct().sorted(Charts.BY_NUMBER).toList()) {
      charts.add(rateChart(text, report.resolve("charts"), prevalence, code));
    }
    html.section(text.msg("ald.section.prevalence"));
    charts.forEach(html::chart);
    html.derived(prevalence, 120);
    if (output.inputs().containsKey(Lake.DAMIR)) {
      // the scope of the Open DAMIR studies (CNAM's monthly statistics, TOP_PS5_TRG = 1), over every processing month
      DamirSelection selection = shareSelection();
      Dataset<Row> damir = selection.rows(spark);
      StudyTable share =
          output.publish(SHARE, "Reimbursement by region and ALD exemption, " + shareScope(selection),
              DamirFigures.measures(damir, List.of(DamirAxis.REGION.column(), DamirAxis.ALD_EXEMPTION.column()), List.of(DamirAxis.REGION.value(), DamirAxis.ALD_EXEMPTION.value())),
              output.rowsPolicy(List.of(DamirAxis.REGION.column(), DamirAxis.ALD_EXEMPTION.column()), DamirFigures.LINES, List.of(DamirFigures.SPENT, DamirFigures.REIMBURSED)),
              "Open DAMIR " + selection.describe() + " (every month in the lake); EXO_MTF 41-46 = ALD, 99 = unknown; " + DamirFigures.DEFINITIONS);
      DerivedTable shares = aldShare(text, share, selection);
      derived.add(shares);
      Charts.Figure chart =
          DamirFigures.barChart(text, report.resolve("charts"), "ald-share", text.msg("ald.section.share"), shares, DamirAxis.REGION, "ald_share_of_known_pct", "%", false);
      charts.add(chart);
      html.section(text.msg("ald.section.share")).chart(chart).derived(shares, 20);
    } else {
      notes.add(text.msg("ald.note.no_damir"));
    }
    DerivedTable completeness = fr.sante.workbench.studies.Completeness.of(text, output.published(), derived);
    derived.add(completeness);
    html.section(completeness.title()).derived(completeness, 200);
    derived.forEach(d -> d.write(report));
    return new StudyResult(NAME, options.out(), output.published(), derived, Charts.drawn(charts), html.write(report), notes);
  }

  /** Published, masked at the source or suppressed by the gate. */
  static String status(StudyTable table, PublishedTable.Cell cell) {
    return !cell.suppressed() ? "published" : table.isMasked(cell) ? "masked at the source" : "suppressed by the gate";
  }

  /**
   * One line per (ALD, département) of the published counts: crude and standardised rates, CNAM's published
   * standardised rate, ranks. A hidden count (masked at the source or suppressed by the gate) has no rate and
   * no rank, never a zero.
   */
  static DerivedTable prevalence(
      ReportText text, Map<String, StudyTable> byTerritory, Map<String, StudyTable> byStratum, Optional<PopulationBands> population, Map<List<String>, BigDecimal> cnam,
      AldOptions options) {
    Map<List<String>, List<PublishedTable.Cell>> strataOf = new LinkedHashMap<>();
    byStratum.forEach((ald, t) -> t.inner().forEach(c -> strataOf.computeIfAbsent(List.of(ald, c.key().get(0)), k -> new ArrayList<>()).add(c)));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, StudyTable> table : byTerritory.entrySet()) {
    for (PublishedTable.Cell cell : table.getValue().inner()) {
      String ald = table.getKey();
      String geo = cell.key().get(0);
      List<String> key = List.of(ald, geo);
      OptionalLong people = population.map(p -> p.total(geo)).orElse(OptionalLong.empty());
      List<String> row = new ArrayList<>(List.of(ald, geo, Geography.departement(geo).map(Departement::label).orElse(geo)));
      row.add(cell.count().isPresent() ? String.valueOf(cell.count().getAsLong()) : "");
      row.add(status(table.getValue(), cell));
      row.add(people.isPresent() ? String.valueOf(people.getAsLong()) : "");
      if (cell.count().isPresent() && people.isPresent()) {
        DirectStandardisation.Rate r = DirectStandardisation.crude(cell.count().getAsLong(), people.getAsLong(), options.confidence());
        row.addAll(List.of(round(r.rate()), round(r.lower()), round(r.upper())));
      } else {
        row.addAll(List.of("", "", ""));
      }
      Optional<DirectStandardisation.Rate> dsr =
          cell.count().isPresent() && population.isPresent() ? standardised(strataOf.getOrDefault(key, List.of()), geo, population.get(), options) : Optional.empty();
      row.addAll(dsr.isPresent() ? List.of(round(dsr.get().rate()), round(dsr.get().lower()), round(dsr.get().upper())) : List.of("", "", ""));
      BigDecimal theirs = cnam.get(key);
      row.add(theirs == null ? "" : theirs.setScale(1, RoundingMode.HALF_EVEN).toPlainString());
      row.add("");
      rows.add(row);
    }
    }
    // rank within each ALD (1 = highest) by our standardised rate where the strata give one, else CNAM's published
    // standardised rate where the lake has it, else the crude rate; hidden counts are not ranked
    int rateColumn = column(rows, 9) ? 9 : column(rows, 12) ? 12 : 6;
    String rankedBy = text.msg(rateColumn == 9 ? "ald.rank.ours" : rateColumn == 12 ? "ald.rank.cnam" : "ald.rank.crude");
    Map<String, List<List<String>>> byAld = new LinkedHashMap<>();
    rows.forEach(r -> byAld.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r));
    for (List<List<String>> group : byAld.values()) {
      List<List<String>> ranked =
          group.stream().filter(r -> !r.get(3).isEmpty() && !r.get(rateColumn).isEmpty()).sorted(Comparator.comparing((List<String> r) -> new BigDecimal(r.get(rateColumn))).reversed()).toList();
      for (int i = 0; i < ranked.size(); i++) {
        ranked.get(i).set(13, String.valueOf(i + 1));
      }
    }
    String level = Math.round(options.confidence() * 100) + "";
    List<String> sources = new ArrayList<>();
    byTerritory.keySet().forEach(ald -> sources.add("tables/" + byTerritory(ald)));
    byStratum.keySet().forEach(ald -> sources.add("tables/" + byStratum(ald)));
    population.ifPresent(p -> sources.add(text.msg("breakdown.population_source")));
    sources.add(text.msg("ald.source.cnam"));
    return new DerivedTable(
        "prevalence",
        text.msg("ald.prevalence.title"),
        List.of("ald", "territory", "territory_label", PERSONS, "status", "population", "crude_per_100k", "crude_low" + level, "crude_high" + level,
            "standardised_per_100k", "standardised_low" + level, "standardised_high" + level, "cnam_standardised_per_100k", "rank"),
        rows,
        sources,
        text.msg("ald.prevalence.method", options.standard().name(), rankedBy,
            population.map(p -> text.msg("population.asked.source", p.source() + " " + p.year())).orElse(text.msg("ald.population.none"))));
  }

  private static boolean column(List<List<String>> rows, int index) {
    return rows.stream().anyMatch(r -> !r.get(index).isEmpty());
  }

  /** Per ALD: départements, how many the source masked, how many the gate suppressed. */
  static DerivedTable hiddenByAld(ReportText text, Map<String, StudyTable> byTerritory) {
    List<List<String>> rows = new ArrayList<>();
    int minCount = 0;
    for (Map.Entry<String, StudyTable> table : byTerritory.entrySet()) {
      long[] counts = new long[3];
      for (PublishedTable.Cell cell : table.getValue().inner()) {
        counts[0]++;
        String status = status(table.getValue(), cell);
        counts[1] += status.startsWith("masked") ? 1 : 0;
        counts[2] += status.startsWith("suppressed") ? 1 : 0;
      }
      rows.add(List.of(table.getKey(), String.valueOf(counts[0]), String.valueOf(counts[1]), String.valueOf(counts[2])));
      minCount = table.getValue().export().published().manifest().policy().suppression().minCount();
    }
    return new DerivedTable("hidden-by-ald", text.msg("ald.hidden.title"),
        List.of("ald", "territories", "masked_at_source", "suppressed_by_gate"), rows, byTerritory.keySet().stream().map(ald -> "tables/" + byTerritory(ald)).toList(),
        text.msg("ald.hidden.method", minCount));
  }

  private static Optional<DirectStandardisation.Rate> standardised(List<PublishedTable.Cell> strata, String geo, PopulationBands population, AldOptions options) {
    if (strata.isEmpty()) {
      return Optional.empty();
    }
    List<DirectStandardisation.Stratum> usable = new ArrayList<>();
    for (PublishedTable.Cell s : strata) {
      Optional<AgeRange> range = AgeRange.parse(s.key().get(2));
      int sex = Integer.parseInt(s.key().get(1));
      if (s.count().isEmpty() || range.isEmpty()) {
        return Optional.empty();
      }
      OptionalLong persons = population.stratum(geo, sex, range.get());
      OptionalDouble weight = population.standard(options.standard(), sex, range.get());
      if (persons.isEmpty() || weight.isEmpty()) {
        return Optional.empty();
      }
      usable.add(new DirectStandardisation.Stratum(s.count().getAsLong(), persons.getAsLong(), weight.getAsDouble()));
    }
    return Optional.of(DirectStandardisation.direct(usable, options.confidence()));
  }

  /** Share of the legal reimbursement under ALD exemption by region, among lines whose EXO_MTF is known and among all. */
  static DerivedTable aldShare(ReportText text, StudyTable share, DamirSelection selection) {
    Map<String, Map<String, PublishedTable.Cell>> byRegion = new LinkedHashMap<>();
    share.cells().forEach(c -> byRegion.computeIfAbsent(c.key().get(0), k -> new LinkedHashMap<>()).put(c.key().get(1), c));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, PublishedTable.Cell>> region : byRegion.entrySet()) {
      Optional<BigDecimal> aldAmount = amount(region.getValue().get("ald"));
      Optional<BigDecimal> notAld = amount(region.getValue().get("not-ald"));
      Optional<BigDecimal> all = amount(region.getValue().get(StudyTable.TOTAL));
      Optional<BigDecimal> known = aldAmount.flatMap(a -> notAld.map(a::add));
      rows.add(List.of(region.getKey(), DamirAxis.REGION.label(region.getKey()), Figures.text(aldAmount), Figures.text(known), Figures.text(all),
          Figures.text(Figures.percent(aldAmount, known)), Figures.text(Figures.percent(aldAmount, all))));
    }
    return new DerivedTable("ald-expenditure-share", text.msg("ald.share.title"),
        List.of("region", "region_label", "ald_reimbursed_eur", "known_reimbursed_eur", "all_reimbursed_eur", "ald_share_of_known_pct", "ald_share_of_all_pct"),
        rows, List.of("tables/" + SHARE),
        text.msg("ald.share.method", text.msg(selection.scope() == DamirSelection.Scope.PS5 ? "ald.scope.ps5" : "selection.scope.all")));
  }

  private static Optional<BigDecimal> amount(PublishedTable.Cell cell) {
    return cell == null ? Optional.empty() : cell.amount(DamirFigures.REIMBURSED);
  }

  private static String round(double value) {
    return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
  }

  /**
   * The standardised rate (else CNAM's standardised rate, else the crude rate) of one ALD's départements, the 30
   * highest, as bars: the first of these columns that has a value for this ALD.
   */
  static Charts.Figure rateChart(Path dir, DerivedTable prevalence, String ald) {
    return rateChart(StudyReport.texts(fr.sante.workbench.anonymisation.ReportLanguage.EN), dir, prevalence, ald);
  }

  /** {@link #rateChart(Path, DerivedTable, String)} in the report's language. */
  static Charts.Figure rateChart(ReportText text, Path dir, DerivedTable prevalence, String ald) {
    List<String> aldColumn = prevalence.column("ald");
    String column = List.of("standardised_per_100k", "cnam_standardised_per_100k", "crude_per_100k").stream()
        .filter(c -> {
          List<String> values = prevalence.column(c);
          for (int i = 0; i < values.size(); i++) {
            if (aldColumn.get(i).equals(ald) && !values.get(i).isEmpty()) {
              return true;
            }
          }
          return false;
        })
        .findFirst().orElse("crude_per_100k");
    boolean standardised = !column.equals("crude_per_100k");
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < prevalence.rows().size(); i++) {
      if (prevalence.rows().get(i).get(0).equals(ald) && !prevalence.column(column).get(i).isEmpty()) {
        order.add(i);
      }
    }
    order.sort(Comparator.comparing((Integer i) -> new BigDecimal(prevalence.column(column).get(i))).reversed());
    List<Integer> top = order.subList(0, Math.min(30, order.size()));
    List<String> labels = top.stream().map(i -> prevalence.column("territory_label").get(i)).toList();
    List<Double> values = top.stream().map(i -> Double.valueOf(prevalence.column(column).get(i))).toList();
    return Charts.bars(text, dir, "prevalence-ald-" + ald,
        text.msg(column.startsWith("cnam") ? "ald.chart.cnam" : standardised ? "ald.chart.standardised" : "ald.chart.crude", ald),
        text.msg("ald.chart.x"), text.msg("ald.chart.y"), labels, values);
  }
}
