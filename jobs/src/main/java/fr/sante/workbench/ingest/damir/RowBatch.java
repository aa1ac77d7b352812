package fr.sante.workbench.ingest.damir;

import org.apache.spark.unsafe.types.UTF8String;

/**
 * Rows parsed but not yet written, column by column and unboxed: integers, dates (days since 1970-01-01)
 * and decimals (unscaled) as {@code long}, text as {@link UTF8String}. Columns are indexed as the table's.
 * A row is filled in place at index {@link #size()} and kept by {@link #add()}; a rejected line's partial
 * row is simply overwritten by the next one.
 */
final class RowBatch {
  private final long[][] numbers;
  private final UTF8String[][] texts;
  private final boolean[][] nulls;
  private final int capacity;
  private int size;

  RowBatch(int columns, int capacity) {
    this.numbers = new long[columns][capacity];
    this.texts = new UTF8String[columns][];
    this.nulls = new boolean[columns][capacity];
    this.capacity = capacity;
  }

  int size() {
    return size;
  }

  boolean full() {
    return size == capacity;
  }

  /** Keeps the row at {@link #size()}. */
  void add() {
    size++;
  }

  void clear() {
    size = 0;
  }

  void setNumber(int column, int row, long value) {
    numbers[column][row] = value;
    nulls[column][row] = false;
  }

  void setText(int column, int row, UTF8String value) {
    UTF8String[] values = texts[column];
    if (values == null) {
      values = new UTF8String[capacity];
      texts[column] = values;
    }
    values[row] = value;
    nulls[column][row] = false;
  }

  void setNull(int column, int row) {
    nulls[column][row] = true;
  }

  boolean isNull(int column, int row) {
    return nulls[column][row];
  }

  long number(int column, int row) {
    return numbers[column][row];
  }

  UTF8String text(int column, int row) {
    return texts[column][row];
  }

  long[] numbers(int column) {
    return numbers[column];
  }

  UTF8String[] texts(int column) {
    return texts[column];
  }

  boolean[] nulls(int column) {
    return nulls[column];
  }
}
