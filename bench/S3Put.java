import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * bench/s3's uploader: {@code java -cp workbench.jar:hadoop-aws.jar:bundle.jar bench/S3Put.java [-D name=value]... FILE
 * s3a://bucket/folder/}, one object through the S3A connector (Hadoop's {@code fs -put} first checks that the folder
 * exists, which S3Proxy's filesystem backend never reports for a folder holding no object yet).
 */
public final class S3Put {
  public static void main(String... args) throws Exception {
    Configuration conf = new Configuration();
    int i = 0;
    for (; i + 1 < args.length && args[i].equals("-D"); i += 2) {
      conf.set(args[i + 1].substring(0, args[i + 1].indexOf('=')), args[i + 1].substring(args[i + 1].indexOf('=') + 1));
    }
    Path file = Path.of(args[i]);
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(args[i + 1]), file.getFileName().toString());
    FileSystem fs = target.getFileSystem(conf);
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = fs.create(target, true)) {
      in.transferTo(out);
    }
    System.out.println("Uploaded " + file + " to " + target);
  }
}
