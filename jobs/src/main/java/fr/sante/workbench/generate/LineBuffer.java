package fr.sante.workbench.generate;

import java.util.Arrays;

/** A growable ASCII byte buffer with the number formats of Open DAMIR files. */
final class LineBuffer {
  private byte[] bytes;
  private int size;

  LineBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  void clear() {
    size = 0;
  }

  private void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }

  /** Appends a field and its {@code ;}. */
  LineBuffer field(long value) {
    ensure(21);
    if (value < 0) {
      bytes[size++] = '-';
      value = -value;
    }
    digits(value);
    bytes[size++] = ';';
    return this;
  }

  /** Appends an empty field (its {@code ;}). */
  LineBuffer empty() {
    ensure(1);
    bytes[size++] = ';';
    return this;
  }

  LineBuffer field(String text) {
    ensure(text.length() + 1);
    for (int i = 0; i < text.length(); i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
    bytes[size++] = ';';
    return this;
  }

  /** A zero-padded field of {@code width} digits ({@code SOI_MOI} is written {@code 01}). */
  LineBuffer padded(int value, int width) {
    ensure(width + 1);
    for (int i = width - 1; i >= 0; i--) {
      bytes[size + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += width;
    bytes[size++] = ';';
    return this;
  }

  /**
   * Euros from cents, as the real files write them: {@code 240}, {@code 4.4}, {@code 754.41}, {@code .81},
   * {@code -.57}, {@code 0}.
   */
  LineBuffer euros(long cents) {
    ensure(24);
    if (cents < 0) {
      bytes[size++] = '-';
      cents = -cents;
    }
    long whole = cents / 100;
    int rest = (int) (cents % 100);
    if (whole != 0 || rest == 0) {
      digits(whole);
    }
    if (rest != 0) {
      bytes[size++] = '.';
      bytes[size++] = (byte) ('0' + rest / 10);
      if (rest % 10 != 0) {
        bytes[size++] = (byte) ('0' + rest % 10);
      }
    }
    bytes[size++] = ';';
    return this;
  }

  void newline() {
    ensure(1);
    bytes[size++] = '\n';
  }

  void append(byte[] other) {
    ensure(other.length);
    System.arraycopy(other, 0, bytes, size, other.length);
    size += other.length;
  }

  private void digits(long value) {
    if (value == 0) {
      bytes[size++] = '0';
      return;
    }
    int start = size;
    while (value > 0) {
      bytes[size++] = (byte) ('0' + value % 10);
      value /= 10;
    }
    for (int i = start, j = size - 1; i < j; i++, j--) {
      byte t = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = t;
    }
  }
}
