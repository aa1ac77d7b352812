package fr.sante.workbench.studies.ald;

import fr.sante.workbench.anonymisation.PublishedTable;
import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import fr.sante.workbench.studies.Charts;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirFigures;
import fr.sante.workbench.studies.DerivedTable;
import fr.sante.workbench.studies.Figures;
import fr.sante.workbench.studies.StudyTable;
import fr.sante.workbench.studies.StudyOutput;
import fr.sante.workbench.studies.StudyReport;
import fr.sante.workbench.studies.StudyResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * reimbursement under ALD exemption ({@code EXO_MTF} 41-46) by region when Open DAMIR is loaded. Counts
 * leave through the gate; every rate is computed from the published counts and the public population.
 */
public final class AldStudy {
  public static final String NAME = "ald";
  public static final String PERSONS = "persons";
  public static final String BY_TERRITORY = "persons-by-ald-territory";
  public static final String BY_STRATUM = "persons-by-ald-territory-sex-age";
  public static final String SHARE = "expenditure-by-region-ald-exemption";

  private AldStudy() {}

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
    List<String> notes = new ArrayList<>();
    Column total = col("sex").equalTo(9).and(col("age_class").equalTo("ALL"));
    Column stratum = col("sex").isin(1, 2).and(col("age_class").notEqual("ALL"));
    long masked = rows.filter(col("persons").isNull()).count();
    if (masked > 0) {
      notes.add(masked + " counts masked at the source (e.g. '<10') are left out: a territory with a masked stratum gets no standardised rate,"
          + " nor a crude one unless the source gives its total");
    }
    if (rows.filter(col("rounding").gt(1)).limit(1).count() > 0) {
      notes.add("the source rounds counts (e.g. to 10): rates and intervals treat them as exact");
    }
    // crude counts: the source's totals where it has them, else its strata (which the gate sums). One selection
    // of rows, each kept once (filters and anti joins only), so the gate can trace the count to the source's column:
    // a stratum row is dropped when its territory has a total, or has a masked stratum (no exact count then).
    Dataset<Row> strata = rows.filter(stratum.and(col("persons").isNotNull()));
    Dataset<Row> withTotal = rows.filter(total.and(col(PERSONS).isNotNull())).select("ald_code", "geo_code").distinct().alias("t");
    Dataset<Row> withMasked = rows.filter(stratum.and(col(PERSONS).isNull())).select("ald_code", "geo_code").distinct().alias("m");
    Dataset<Row> crude =
        rows.filter(total.or(stratum).and(col(PERSONS).isNotNull())).alias("r")
            .join(withTotal, col("r.ald_code").equalTo(col("t.ald_code")).and(col("r.geo_code").equalTo(col("t.geo_code"))).and(stratum), "left_anti").alias("r2")
            .join(withMasked, col("r2.ald_code").equalTo(col("m.ald_code")).and(col("r2.geo_code").equalTo(col("m.geo_code"))).and(stratum), "left_anti")
            .select("ald_code", "geo_code", PERSONS);
    String filters = "ALD prevalence " + year + ", départements" + (options.alds().isEmpty() ? "" : ", ALD " + options.alds());
    StudyTable byTerritory =
        output.publish(BY_TERRITORY, "People in ALD by ALD and département",
            crude.select(col("ald_code").cast("string").as("ald"), col("geo_code").as("territory"), col(PERSONS)),
            output.personsPolicy(List.of("ald", "territory"), PERSONS, List.of()), filters + "; source totals, else the sum of age-sex strata");
    Optional<StudyTable> byStratum = Optional.empty();
    if (!strata.isEmpty()) {
      byStratum = Optional.of(
          output.publish(BY_STRATUM, "People in ALD by ALD, département, sex and age class",
              strata.select(col("ald_code").cast("string").as("ald"), col("geo_code").as("territory"), col("sex").cast("string").as("sex"), col("age_class"), col(PERSONS)),
              output.personsPolicy(List.of("ald", "territory", "sex", "age_class"), PERSONS, List.of()), filters + "; age-sex strata"));
    } else {
      notes.add("the source has no age-sex strata for " + year + " (e.g. CNAM's département series): crude rates only");
    }
    PopulationBands population = PopulationBands.load(spark, year);
    if (population.year() != year) {
      notes.add("denominators: population " + population.source() + " " + population.year() + ", the nearest year to " + year);
    }
    DerivedTable prevalence = prevalence(byTerritory, byStratum, population, options);
    List<DerivedTable> derived = new ArrayList<>(List.of(prevalence));
    Path report = output.reportDir();
    List<Charts.Chart> charts = new ArrayList<>();
    StudyReport html =
        new StudyReport("ALD prevalence " + year, "People in long-term illness (ALD) per 100,000 inhabitants by département: crude and directly age-sex standardised ("
            + options.standard() + ") rates, " + Math.round(options.confidence() * 100) + " % confidence intervals.", output.inputs());
    notes.forEach(html::text);
    for (String code : prevalence.column("ald").stream().distinct().toList()) {
      charts.add(rateChart(report.resolve("charts"), prevalence, code));
    }
    html.section("Prevalence by département");
    charts.forEach(html::chart);
    html.derived(prevalence, 120);
    if (output.inputs().containsKey(Lake.DAMIR)) {
      Dataset<Row> damir = spark.table(Lake.DAMIR);
      StudyTable share =
          output.publish(SHARE, "Reimbursement by region and ALD exemption",
              DamirFigures.measures(damir, List.of(DamirAxis.REGION.column(), DamirAxis.ALD_EXEMPTION.column()), List.of(DamirAxis.REGION.value(), DamirAxis.ALD_EXEMPTION.value())),
              output.rowsPolicy(List.of(DamirAxis.REGION.column(), DamirAxis.ALD_EXEMPTION.column()), DamirFigures.LINES, List.of(DamirFigures.SPENT, DamirFigures.REIMBURSED)),
              "every Open DAMIR line (all scopes, every month in the lake); EXO_MTF 41-46 = ALD, 99 = unknown; " + DamirFigures.DEFINITIONS);
      DerivedTable shares = aldShare(share);
      derived.add(shares);
      Charts.Chart chart = DamirFigures.barChart(report.resolve("charts"), "ald-share", "Share of reimbursement under ALD exemption", shares, DamirAxis.REGION, "ald_share_of_known_pct", "%", false);
      charts.add(chart);
      html.section("Share of reimbursement under ALD exemption").chart(chart).derived(shares, 20);
    } else {
      notes.add("no damir table in the lake: no share of expenditure under ALD exemption");
    }
    derived.forEach(d -> d.write(report));
    return new StudyResult(NAME, options.out(), output.published(), derived, charts, html.write(report), notes);
  }

  /** One line per (ALD, département) of the published counts: crude and standardised rates, ranks. */
  static DerivedTable prevalence(StudyTable byTerritory, Optional<StudyTable> byStratum, PopulationBands population, AldOptions options) {
    Map<List<String>, List<PublishedTable.Cell>> strataOf = new LinkedHashMap<>();
    byStratum.ifPresent(t -> t.inner().forEach(c -> strataOf.computeIfAbsent(c.key().subList(0, 2), k -> new ArrayList<>()).add(c)));
    List<List<String>> rows = new ArrayList<>();
    for (PublishedTable.Cell cell : byTerritory.inner()) {
      String ald = cell.key().get(0);
      String geo = cell.key().get(1);
      OptionalLong people = population.total(geo);
      List<String> row = new ArrayList<>(List.of(ald, geo, Geography.departement(geo).map(Departement::label).orElse(geo)));
      row.add(cell.count().isPresent() ? String.valueOf(cell.count().getAsLong()) : "");
      row.add(people.isPresent() ? String.valueOf(people.getAsLong()) : "");
      if (cell.count().isPresent() && people.isPresent()) {
        DirectStandardisation.Rate r = DirectStandardisation.crude(cell.count().getAsLong(), people.getAsLong(), options.confidence());
        row.addAll(List.of(round(r.rate()), round(r.lower()), round(r.upper())));
      } else {
        row.addAll(List.of("", "", ""));
      }
      Optional<DirectStandardisation.Rate> dsr = standardised(strataOf.getOrDefault(cell.key(), List.of()), geo, population, options);
      row.addAll(dsr.isPresent() ? List.of(round(dsr.get().rate()), round(dsr.get().lower()), round(dsr.get().upper())) : List.of("", "", ""));
      row.add("");
      rows.add(row);
    }
    // rank within each ALD by the standardised rate, else the crude rate (1 = highest)
    int rateColumn = byStratum.isPresent() ? 8 : 5;
    Map<String, List<List<String>>> byAld = new LinkedHashMap<>();
    rows.forEach(r -> byAld.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r));
    for (List<List<String>> group : byAld.values()) {
      List<List<String>> ranked = group.stream().filter(r -> !r.get(rateColumn).isEmpty()).sorted(Comparator.comparing((List<String> r) -> new BigDecimal(r.get(rateColumn))).reversed()).toList();
      for (int i = 0; i < ranked.size(); i++) {
        ranked.get(i).set(11, String.valueOf(i + 1));
      }
    }
    String level = Math.round(options.confidence() * 100) + "";
    return new DerivedTable(
        "prevalence",
        "Crude and standardised prevalence per 100,000",
        List.of("ald", "territory", "territory_label", PERSONS, "population", "crude_per_100k", "crude_low" + level, "crude_high" + level,
            "standardised_per_100k", "standardised_low" + level, "standardised_high" + level, "rank"),
        rows,
        byStratum.isPresent() ? List.of("tables/" + BY_TERRITORY, "tables/" + BY_STRATUM, "population table") : List.of("tables/" + BY_TERRITORY, "population table"),
        "crude = 100,000 × persons / population, exact Poisson limits; standardised = direct age-sex standardisation on the " + options.standard()
            + " standard population from the published strata, gamma limits (Fay & Feuer 1997), blank when a stratum is hidden, masked or has no population; "
            + "rank within each ALD by the standardised rate (crude when the source has no strata), 1 = highest; population " + population.source() + " " + population.year() + ".");
  }

  private static Optional<DirectStandardisation.Rate> standardised(List<PublishedTable.Cell> strata, String geo, PopulationBands population, AldOptions options) {
    if (strata.isEmpty()) {
      return Optional.empty();
    }
    List<DirectStandardisation.Stratum> usable = new ArrayList<>();
    for (PublishedTable.Cell s : strata) {
      Optional<AgeRange> range = AgeRange.parse(s.key().get(3));
      int sex = Integer.parseInt(s.key().get(2));
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
  static DerivedTable aldShare(StudyTable share) {
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
    return new DerivedTable("ald-expenditure-share", "Share of reimbursement under ALD exemption by region",
        List.of("region", "region_label", "ald_reimbursed_eur", "known_reimbursed_eur", "all_reimbursed_eur", "ald_share_of_known_pct", "ald_share_of_all_pct"),
        rows, List.of("tables/" + SHARE),
        "ALD = EXO_MTF 41-46; known = ALD + no ALD exemption (EXO_MTF 99, the unknown block of non-RG flows, left out); all includes it; FLT_REM_MNT.");
  }

  private static Optional<BigDecimal> amount(PublishedTable.Cell cell) {
    return cell == null ? Optional.empty() : cell.amount(DamirFigures.REIMBURSED);
  }

  private static String round(double value) {
    return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** The standardised rate (else crude) of one ALD's départements, the 30 highest, as bars. */
  private static Charts.Chart rateChart(Path dir, DerivedTable prevalence, String ald) {
    boolean standardised = prevalence.column("standardised_per_100k").stream().anyMatch(v -> !v.isEmpty());
    String column = standardised ? "standardised_per_100k" : "crude_per_100k";
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
    return Charts.write(dir, "prevalence-ald-" + ald, String.format(Locale.ROOT, "ALD %s: %s prevalence per 100,000, highest départements", ald, standardised ? "standardised" : "crude"),
        "département", "per 100,000", Charts.Kind.BARS, labels, Charts.single(column, values));
  }
}
