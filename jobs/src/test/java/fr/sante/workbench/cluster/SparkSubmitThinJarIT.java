package fr.sante.workbench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin jar built for {@code spark-submit} (Spark, Scala and Hadoop provided) runs an ingest through
 * Spark's own {@code SparkSubmit}, with Spark taken from elsewhere: nothing of ours comes from anywhere but
 * the jar.
 */
class SparkSubmitThinJarIT {
  @TempDir Path dir;

  @Test
  void thinJarIngestsThroughSparkSubmit() throws Exception {
    Path jar = Path.of(System.getProperty("workbench.thin.jar"));
    assertThat(jar).as("built by mvn package").exists();
    Path file = DamirFixtures.write(dir.resolve("A202406.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202406, 2000, 8));
    String lake = dir.resolve("lake").toString();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags").trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-cp", sparkOnlyClasspath(), "org.apache.spark.deploy.SparkSubmit"));
    command.addAll(List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false"));
    command.addAll(List.of("--class", "fr.sante.workbench.cli.Workbench", jar.toString()));
    command.addAll(List.of("ingest", "damir", file.toString(), "--lake", lake));
    Path log = dir.resolve("submit.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    try {
      assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("spark-submit finished").isTrue();
    } finally {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("A202406.csv.gz\\s+202406\\s+2,000\\s+2,000\\s+0");
    assertThat(new Lake(lake).read(TestSpark.session(), Lake.DAMIR).count()).isEqualTo(2000);
  }

  /** The test classpath minus anything built from this project, what the thin jar carries (Delta, picocli, POI) and the S3A connector. */
  static String sparkOnlyClasspath() {
    String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String root = Path.of(System.getProperty("workbench.root", "..")).toAbsolutePath().normalize().toString();
    return Arrays.stream(full.split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().startsWith(root))
        .filter(entry -> !entry.contains("fr/sante/workbench"))
        .filter(entry -> !entry.contains("/io/delta/") && !entry.contains("/info/picocli/") && !entry.contains("/org/apache/poi/"))
        .filter(entry -> !entry.contains("SparseBitSet") && !entry.contains("/org/knowm/xchart/") && !entry.contains("VectorGraphics2D"))
        // nor the S3A connector of the S3 test (a cluster adds it with --packages when it needs it)
        .filter(entry -> !entry.contains("/org/apache/hadoop/hadoop-aws/") && !entry.contains("/software/amazon/awssdk/") && !entry.contains("/org/wildfly/openssl/"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
