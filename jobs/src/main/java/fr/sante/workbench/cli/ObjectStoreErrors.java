package fr.sante.workbench.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * One line for the failures of an {@code s3a://} lake or input that a person fixes in the settings, not in the code:
 * no S3A connector on the classpath, an endpoint that does not answer, no credentials, access refused. The S3A
 * connector is optional ({@code mvn -Ps3}), so its exceptions are recognised by class name, never imported.
 */
final class ObjectStoreErrors {
  /** Where the README explains the settings. */
  static final String SEE = "see README.md, \"Lakes on S3 and S3-compatible stores\"";

  private static final String S3A_PACKAGE = "org.apache.hadoop.fs.s3a.";

  private ObjectStoreErrors() {}

  /** The message for {@code e} when it is one of those failures, read against the Hadoop settings the session gets. */
  static Optional<String> describe(Throwable e) {
    return describe(e, key -> hadoopSettings().get(key));
  }

  /** The same, with the settings given (tests). */
  static Optional<String> describe(Throwable e, Function<String, String> settings) {
    // Hadoop's core-default.xml names the connector's class for s3a://, so a missing jar is a class not found
    Optional<Throwable> noConnector =
        causes(e).filter(t -> (t instanceof UnsupportedFileSystemException && String.valueOf(t.getMessage()).contains("\"s3a\""))
            || (t instanceof ClassNotFoundException && String.valueOf(t.getMessage()).contains(S3A_PACKAGE + "S3AFileSystem"))).findFirst();
    if (noConnector.isPresent()) {
      return Optional.of(
          "Cannot use an s3a:// location: expected the S3A connector (org.apache.hadoop:hadoop-aws) on the classpath but found none ("
              + firstLine(noConnector.get())
              + "); build with 'mvn -Ps3 package', or pass '--packages org.apache.hadoop:hadoop-aws:3.4.1' to spark-submit ("
              + SEE
              + ")");
    }
    if (!fromS3a(e)) {
      return Optional.empty();
    }
    String endpoint = Optional.ofNullable(settings.apply("fs.s3a.endpoint")).filter(v -> !v.isBlank()).orElse("(not set: AWS S3)");
    Throwable noCredentials = find(e, "NoAwsCredentialsException", "NoAuthWithAWSException");
    if (noCredentials != null) {
      String provider = Optional.ofNullable(settings.apply("fs.s3a.aws.credentials.provider")).filter(v -> !v.isBlank()).orElse("(default chain)");
      return Optional.of(
          "Cannot reach the S3 store at "
              + endpoint
              + ": expected credentials from fs.s3a.aws.credentials.provider = "
              + provider.strip()
              + " but it found none ("
              + firstLine(noCredentials)
              + "); set spark.hadoop.fs.s3a.access.key and spark.hadoop.fs.s3a.secret.key, or a provider that finds yours ("
              + SEE
              + ")");
    }
    Throwable unreachable = unreachable(e);
    if (unreachable != null) {
      return Optional.of(
          "Cannot reach the S3 store: expected an S3-compatible server at fs.s3a.endpoint = "
              + endpoint
              + " but found "
              + what(unreachable)
              + "; check spark.hadoop.fs.s3a.endpoint (scheme, host, port) and that the server is up ("
              + SEE
              + ")");
    }
    Throwable denied = find(e, "AccessDeniedException");
    if (denied != null) {
      return Optional.of(
          "The S3 store at "
              + endpoint
              + " refused access ("
              + firstLine(denied)
              + "): expected credentials allowed to read and write the bucket; check spark.hadoop.fs.s3a.access.key and secret.key, and the bucket's policy ("
              + SEE
              + ")");
    }
    return Optional.empty();
  }

  /** Whether {@code e} or one of its causes was thrown by, or through, the S3A connector or the AWS SDK. */
  /** {@code e} and its causes, outermost first. */
  private static Stream<Throwable> causes(Throwable e) {
    return Stream.iterate(e, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
  }

  private static boolean fromS3a(Throwable e) {
    return causes(e).anyMatch(t -> t.getClass().getName().startsWith(S3A_PACKAGE) || t.getClass().getName().startsWith("software.amazon.awssdk.")
        || Arrays.stream(t.getStackTrace()).anyMatch(frame -> frame.getClassName().startsWith(S3A_PACKAGE)));
  }


  /** The first exception of {@code e}'s causes whose simple class name is one of {@code simpleNames}, or null. */
  private static Throwable find(Throwable e, String... simpleNames) {
    List<String> names = List.of(simpleNames);
    return causes(e).filter(t -> names.contains(t.getClass().getSimpleName())).findFirst().orElse(null);
  }


  /**
   * The innermost cause that says the endpoint did not answer (refused, unknown host, no route, timed out), or null:
   * S3A wraps the HTTP client's exception in one of the same kind whose message repeats the whole chain.
   */
  private static Throwable unreachable(Throwable e) {
    Set<String> named = Set.of("ConnectTimeoutException", "HttpHostConnectException", "AWSApiCallTimeoutException");
    return causes(e)
        .filter(t -> t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
            || named.contains(t.getClass().getSimpleName()))
        .reduce((outer, inner) -> inner).orElse(null);
  }


  private static String what(Throwable unreachable) {
    if (unreachable instanceof UnknownHostException) {
      return "no such host (" + firstLine(unreachable) + ")";
    }
    if (unreachable instanceof ConnectException || unreachable.getClass().getSimpleName().equals("HttpHostConnectException")) {
      return "no server answering (" + firstLine(unreachable) + ")";
    }
    return "no answer in time (" + firstLine(unreachable) + ")";
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(t.getClass().getSimpleName());
  }

  private static Configuration hadoopSettings() {
    return SparkHadoopUtil.get().newConfiguration(new SparkConf(true));
  }
}
