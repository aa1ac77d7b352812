package fr.sante.workbench.studies;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * The two time axes of Open DAMIR (reference §1.4): when the care took place ({@code SOI_ANN}/{@code SOI_MOI})
 * and when the flow was processed ({@code FLX_ANN_MOI}). Months are {@code yyyy-MM} strings.
 */
public enum TimeAxis {
  /** Care month; the placeholders {@code 0000/00}, {@code 0001/01} and any impossible month are null (unknown). */
  CARE,
  /** Processing month, always known. */
  PROCESSING;

  /** The month of a damir row, {@code yyyy-MM}, or null when the care date is a placeholder. */
  public Column month() {
    if (this == PROCESSING) {
      return format_string("%04d-%02d", col("FLX_ANN_MOI").divide(100).cast("int"), col("FLX_ANN_MOI").mod(100));
    }
    Column known = col("SOI_ANN").rlike("^(19|20)[0-9]{2}$").and(col("SOI_MOI").rlike("^(0[1-9]|1[0-2])$"));
    return when(known, concat_ws("-", col("SOI_ANN"), col("SOI_MOI"))).otherwise(lit(null).cast("string"));
  }

  /** The axis in words, in the report's language. */
  public String describe(fr.sante.workbench.anonymisation.ReportText text) {
    return text.msg(this == CARE ? "time.care" : "time.processing");
  }

  public String describe() {
    return this == CARE ? "care month (SOI_ANN/SOI_MOI; placeholder dates 0000/00 and 0001/01 left out)" : "processing month (FLX_ANN_MOI)";
  }
}
