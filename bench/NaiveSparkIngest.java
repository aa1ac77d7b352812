import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.spark.Sessions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark competitor: the naive Spark pipeline (read.csv on the .gz, one task, casts, Delta write).
 * Args: CSV_GZ LAKE_TABLE_PATH.
 */
public class NaiveSparkIngest {
  public static void main(String[] args) {
    SparkSession spark = Sessions.withDelta(SparkSession.builder().master("local[*]").appName("naive").config("spark.ui.enabled", "false")).getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Dataset<Row> raw = spark.read().option("header", "true").option("sep", ";").option("inferSchema", "false").csv(args[0]);
    List<Column> typed = new ArrayList<>();
    for (FieldSpec field : Schemas.openDamir().fields()) {
      typed.add(col(field.name()).cast(field.sparkType()).as(field.name()));
    }
    Dataset<Row> out = raw.select(typed.toArray(Column[]::new));
    out.write().format("delta").mode("overwrite").partitionBy("FLX_ANN_MOI").save(args[1]);
    System.out.println("naive rows " + spark.read().format("delta").load(args[1]).count());
  }
}
