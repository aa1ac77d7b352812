package fr.sante.workbench.ingest.damir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexerTest {
  /** The bits the naive byte loop would find: the high bit of every byte equal to '\n'. */
  private static long naive(byte[] bytes) {
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      if (bytes[i] == '\n') {
        bits |= 0x80L << (8 * i);
      }
    }
    return bits;
  }

  private static long word(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void findsExactlyTheNewlinesOfAWord() {
    Random random = new Random(3);
    byte[] bytes = new byte[8];
    byte[] alphabet = {'\n', 0x0B, 0x09, 0x00, (byte) 0x8A, (byte) 0xFF, ';', '1', '.'};
    for (int trial = 0; trial < 200_000; trial++) {
      for (int i = 0; i < 8; i++) {
        bytes[i] = trial % 2 == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
      }
      assertThat(Indexer.newlineBits(word(bytes))).as("bytes %s", java.util.Arrays.toString(bytes)).isEqualTo(naive(bytes));
    }
  }

  @Test
  void aVerticalTabAfterANewlineIsNotANewline() {
    // the classic (x - 0x01..) & ~x & 0x80.. test flags this 0x0B by borrow; ours must not
    byte[] bytes = {'\n', 0x0B, 'a', 'b', 'c', 'd', 'e', 'f'};
    assertThat(Indexer.newlineBits(word(bytes))).isEqualTo(0x80L);
  }
}
