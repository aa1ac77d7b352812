package fr.sante.workbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Version and JVM flags recorded at build time (from the root pom). */
public final class BuildInfo {
  private static final Properties PROPERTIES = load();

  private BuildInfo() {}

  public static String version() {
    return PROPERTIES.getProperty("version", "unknown");
  }

  /** The JVM flags Spark 4 needs on Java 17, as one space-separated string. */
  public static String jvmFlags() {
    return PROPERTIES.getProperty("jvm.flags", "");
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read build.properties from the workbench jar", e);
    }
    return properties;
  }
}
