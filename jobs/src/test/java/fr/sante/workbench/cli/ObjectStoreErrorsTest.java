package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.testing.CliRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one-line messages of an s3a:// location the settings do not let us reach. The failures of a real S3 server are
 * run by S3ObjectStorageIT; here, the unit tests' classpath has no S3A connector (as the default jars), and the
 * wording of each case is checked on exceptions shaped as the connector throws them.
 */
class ObjectStoreErrorsTest {
  private static final Map<String, String> SETTINGS =
      Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000", "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");

  @Test
  void anS3aLakeWithoutTheConnectorGivesOneLine() {
    CliRunner cli = new CliRunner();
    assertThat(cli.run("tables", "--lake", "s3a://bucket/lake")).isEqualTo(1);
    assertThat(cli.err.toString().lines().toList())
        .containsExactly(
            "Error: Cannot use an s3a:// location: expected the S3A connector (org.apache.hadoop:hadoop-aws) on the classpath but found none"
                + " (Class org.apache.hadoop.fs.s3a.S3AFileSystem not found); build with 'mvn -Ps3 package', or pass"
                + " '--packages org.apache.hadoop:hadoop-aws:3.4.1' to spark-submit (see README.md, \"Lakes on S3 and S3-compatible stores\")");
  }

  @Test
  void aRefusedConnectionNamesTheEndpoint() {
    Exception e = new WorkbenchException("Cannot list 's3a://bucket/raw/'", fromS3a(new IOException("getFileStatus on s3a://bucket/raw", new ConnectException("Connection refused"))));
    assertThat(ObjectStoreErrors.describe(e, SETTINGS::get))
        .contains(
            "Cannot reach the S3 store: expected an S3-compatible server at fs.s3a.endpoint = http://127.0.0.1:9000 but found no server answering (Connection refused);"
                + " check spark.hadoop.fs.s3a.endpoint (scheme, host, port) and that the server is up (see README.md, \"Lakes on S3 and S3-compatible stores\")");
  }

  @Test
  void aRefusedAccessSaysWhichKeysToCheck() {
    Exception e = new UncheckedIOException(fromS3a(new java.nio.file.AccessDeniedException("s3a://bucket/lake: getFileStatus on s3a://bucket/lake: 403 Forbidden")));
    assertThat(ObjectStoreErrors.describe(e, SETTINGS::get).orElseThrow())
        .isEqualTo(
            "The S3 store at http://127.0.0.1:9000 refused access (s3a://bucket/lake: getFileStatus on s3a://bucket/lake: 403 Forbidden): expected credentials allowed"
                + " to read and write the bucket; check spark.hadoop.fs.s3a.access.key and secret.key, and the bucket's policy (see README.md, \"Lakes on S3 and"
                + " S3-compatible stores\")");
  }

  @Test
  void otherStoragesKeepTheirOwnMessages() {
    Exception hdfs = new WorkbenchException("Cannot list 'hdfs://nn/raw'", new IOException("Call to nn failed", new ConnectException("Connection refused")));
    assertThat(ObjectStoreErrors.describe(hdfs, SETTINGS::get)).isEmpty();
  }

  /** {@code e} as thrown from inside the S3A connector (the frame the classifier looks for). */
  private static <T extends Throwable> T fromS3a(T e) {
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.apache.hadoop.fs.s3a.S3AFileSystem", "getFileStatus", "S3AFileSystem.java", 3800)});
    return e;
  }
}
