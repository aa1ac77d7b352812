package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.schemas.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The layout of a {@code damir} data file, fixed on the driver and shipped to the tasks: the columns of the
 * table without its partition column, converted to Parquet by Spark's own converter (so the files are those
 * Spark would write), where each one sits in the parser's row, and which columns get Delta statistics.
 *
 * @param parquetSchema the Parquet message type, as text ({@link MessageType} is not serializable)
 * @param sparkSchemaJson the Spark schema of the data columns, stored in the footer as Spark does
 * @param names data column names, in file order
 * @param kinds how each data column is encoded
 * @param rowIndex position of each data column in the parser's row
 * @param statsColumns positions (in {@code names}) of the columns with Delta min/max statistics (text or date)
 */
record DataFileFormat(String parquetSchema, String sparkSchemaJson, String[] names, Kind[] kinds, int[] rowIndex, int[] statsColumns)
    implements Serializable {

  /** Parquet encodings of a {@link RowBatch}'s values (numbers held as {@code long}, text as {@code UTF8String}). */
  enum Kind {
    INT, // -> INT32
    DATE, // days since 1970-01-01 -> INT32 (DATE)
    LONG, // -> INT64
    DECIMAL_INT, // unscaled, precision <= 9 -> INT32 (DECIMAL)
    DECIMAL_LONG, // unscaled, precision <= 18 -> INT64 (DECIMAL)
    STRING // -> BINARY (STRING)
  }

  /**
   * The data file format of {@code schema}'s table: every column but {@code partitionColumn}, with
   * statistics on {@code statsColumns} (the table's {@code delta.dataSkippingStatsColumns}).
   */
  static DataFileFormat of(TableSchema schema, String partitionColumn, List<String> statsColumns) {
    StructType table = schema.tableType();
    List<String> tableNames = List.of(table.fieldNames());
    List<StructField> data = new ArrayList<>();
    for (StructField field : table.fields()) {
      if (!field.name().equals(partitionColumn)) {
        data.add(field);
      }
    }
    StructType dataType = new StructType(data.toArray(StructField[]::new));
    String[] names = dataType.fieldNames();
    Kind[] kinds = new Kind[names.length];
    int[] rowIndex = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      kinds[i] = kindOf(data.get(i));
      rowIndex[i] = tableNames.indexOf(names[i]);
    }
    int[] stats = new int[statsColumns.size()];
    for (int i = 0; i < stats.length; i++) {
      stats[i] = Arrays.asList(names).indexOf(statsColumns.get(i));
      if (stats[i] < 0) {
        throw new IllegalArgumentException("Statistics column " + statsColumns.get(i) + " is not a data column of " + schema.name() + ": " + dataType.simpleString());
      }
      if (kinds[stats[i]] != Kind.STRING && kinds[stats[i]] != Kind.DATE) {
        throw new IllegalArgumentException(
            "Statistics column " + statsColumns.get(i) + " is a " + kinds[stats[i]] + " column; the ingest writes statistics on text and date columns only");
      }
    }
    MessageType parquet = new SparkToParquetSchemaConverter(SQLConf.get()).convert(dataType);
    return new DataFileFormat(parquet.toString(), dataType.json(), names, kinds, rowIndex, stats);
  }

  MessageType messageType() {
    return MessageTypeParser.parseMessageType(parquetSchema);
  }

  private static Kind kindOf(StructField field) {
    DataType type = field.dataType();
    if (type.equals(DataTypes.IntegerType)) {
      return Kind.INT;
    }
    if (type.equals(DataTypes.DateType)) {
      return Kind.DATE;
    }
    if (type.equals(DataTypes.LongType)) {
      return Kind.LONG;
    }
    if (type instanceof DecimalType decimal && decimal.precision() <= 18) {
      return decimal.precision() <= 9 ? Kind.DECIMAL_INT : Kind.DECIMAL_LONG;
    }
    if (type.equals(DataTypes.StringType)) {
      return Kind.STRING;
    }
    throw new IllegalArgumentException("Column " + field.name() + " has type " + type.simpleString() + ", which the ingest cannot write");
  }
}
