package fr.sante.workbench.ingest.damir;

import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Snappy for Parquet pages, compressing each page's bytes in one call. Parquet's SNAPPY codec is raw Snappy
 * blocks (no Hadoop framing), so the output is what parquet-mr's own codec writes; the difference is that
 * parquet-mr builds a compression stream and its buffers for every page, which on a 57-column file of
 * small dictionary-id pages costs more than the compression itself. Not thread-safe; one per file writer.
 */
final class PageCompressor implements CompressionCodecFactory.BytesInputCompressor {
  private byte[] buffer = new byte[0];

  @Override
  public BytesInput compress(BytesInput page) throws IOException {
    byte[] raw = page.toByteArray();
    int bound = Snappy.maxCompressedLength(raw.length);
    if (buffer.length < bound) {
      buffer = new byte[Math.max(bound, 2 * buffer.length)];
    }
    int length = Snappy.compress(raw, 0, raw.length, buffer, 0);
    return BytesInput.from(Arrays.copyOf(buffer, length));
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.SNAPPY;
  }

  @Override
  public void release() {
    buffer = new byte[0];
  }
}
