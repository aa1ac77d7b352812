package fr.sante.workbench.ingest.ald;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Aggregates département-level prevalence to INSEE regions or to Open DAMIR's regions (every overseas
 * département in 5, Corse in 93), so ALD counts can sit beside DAMIR expenditure. Masked cells are not
 * guessed: {@code persons_known} sums the published counts, and {@code masked_cells} says how many were
 * left out, so a reader knows the sum is a lower bound.
 */
public final class AldAggregates {
  /** Target territory of an aggregation. */
  public enum Level {
    REGION,
    DAMIR_REGION
  }

  private static final StructType GEOGRAPHY =
      new StructType()
          .add("dep_code", DataTypes.StringType, false)
          .add("region", DataTypes.StringType, false)
          .add("damir_region", DataTypes.StringType, false);

  private AldAggregates() {}

  /** The départements and their regions as a small table. */
  public static Dataset<Row> geography(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Departement d : Geography.departements().values()) {
      rows.add(RowFactory.create(d.code(), d.region(), d.damirRegion()));
    }
    return spark.createDataFrame(rows, GEOGRAPHY);
  }

  /**
   * Sums {@code ald_prevalence} rows of level DEP by (year, ald_code, sex, age_class, territory):
   * {@code persons_known}, {@code masked_cells}, {@code departements}.
   */
  public static Dataset<Row> byTerritory(SparkSession spark, Dataset<Row> prevalence, Level level) {
    String territory = switch (level) {
      case REGION -> "region";
      case DAMIR_REGION -> "damir_region";
    };
    return prevalence
        .filter(col("geo_level").equalTo("DEP"))
        .join(geography(spark), col("geo_code").equalTo(col("dep_code")))
        .groupBy(col("year"), col("ald_code"), col("sex"), col("age_class"), col(territory).as("territory"))
        .agg(
            sum(when(col("persons_masked").equalTo(false), col("persons"))).as("persons_known"),
            count(when(col("persons_masked"), 1)).as("masked_cells"),
            countDistinct(col("geo_code")).as("departements"));
  }
}
