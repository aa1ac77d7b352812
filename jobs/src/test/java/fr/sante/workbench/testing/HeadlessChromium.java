package fr.sante.workbench.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium} in headless mode: lays out a page at a given width, measures it with a script injected
 * into a copy of the page ({@code browser/layout-check.js}, read back through {@code --dump-dom}), and screenshots
 * the page itself, unchanged, at its full height.
 */
public final class HeadlessChromium {
  /** The property that skips the browser tests on purpose ({@code -Dworkbench.noBrowserTests}). */
  public static final String SKIP_PROPERTY = "workbench.noBrowserTests";

  private static final int WINDOW_HEIGHT = 900;
  /** Screenshots stop there (the longest report is a few thousand pixels). */
  private static final int MAX_SCREENSHOT_HEIGHT = 12_000;
  private static final Pattern CHECK = Pattern.compile("<html[^>]*\\sdata-layout-check=\"([^\"]*)\"");

  private final Path executable;
  private final Path scratch;

  private HeadlessChromium(Path executable, Path scratch) {
    this.executable = executable;
    this.scratch = scratch;
  }

  /**
   * What the browser laid out: widths in CSS pixels, what is wrong with it, and the blocks wider than their scrolling
   * box (the reports' wide tables, which scroll inside their box rather than the page).
   */
  public record Layout(int viewport, int width, int height, int images, List<String> problems, List<Scrolled> scrolled) {}

  /** A block {@code by} pixels wider than the box that scrolls it; {@code columns} when it is a table. */
  public record Scrolled(String what, int columns, int by) {
    @Override
    public String toString() {
      return what + (columns > 0 ? ", " + columns + " columns," : "") + " scrolls inside its box (" + by + " px wider)";
    }
  }

  /** One page rendered at one width: its layout and its screenshot. */
  public record Rendering(Path page, int width, Layout layout, Path screenshot) {}

  /** True when {@code -Dworkbench.noBrowserTests} (any value but {@code false}) was given. */
  public static boolean skippedOnPurpose() {
    String value = System.getProperty(SKIP_PROPERTY);
    return value != null && !value.startsWith("${") && !value.equals("false");
  }

  /** The {@code chromium} on the PATH (Debian's name for it), if any; its copies and profiles go under {@code scratch}. */
  public static Optional<HeadlessChromium> find(Path scratch) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(new HeadlessChromium(candidate, scratch));
        }
      }
    }
    return Optional.empty();
  }

  public Path executable() {
    return executable;
  }

  /**
   * Lays {@code page} out in a window {@code width} pixels wide and measures it, then writes the page's screenshot,
   * as tall as the page, to {@code screenshot}.
   */
  public Rendering render(Path page, int width, Path screenshot) throws IOException, InterruptedException {
    String name = page.getParent().getFileName() + "-" + page.getFileName() + "-" + width;
    Path copy = Files.createDirectories(scratch).resolve(name + ".check.html");
    Files.writeString(copy, withCheck(Files.readString(page, StandardCharsets.UTF_8), page.toAbsolutePath().getParent()), StandardCharsets.UTF_8);
    String dom = run(name + "-dom", List.of("--window-size=" + width + "," + WINDOW_HEIGHT, "--dump-dom", copy.toUri().toString()));
    Matcher found = CHECK.matcher(dom);
    if (!found.find()) {
      throw new AssertionError("Expected the layout check's result in the DOM chromium dumped for " + page + " but found none; the DOM starts with: "
          + dom.substring(0, Math.min(400, dom.length())));
    }
    JsonNode json = new ObjectMapper().readTree(unescape(found.group(1)));
    Layout layout = new Layout(json.get("viewport").asInt(), json.get("width").asInt(), json.get("height").asInt(), json.get("images").asInt(),
        strings(json.get("problems")), scrolled(json.get("scrolled")));
    int height = Math.max(WINDOW_HEIGHT, Math.min(MAX_SCREENSHOT_HEIGHT, layout.height()));
    Files.createDirectories(screenshot.toAbsolutePath().getParent());
    Files.deleteIfExists(screenshot);
    run(name + "-png", List.of("--window-size=" + width + "," + height, "--screenshot=" + screenshot.toAbsolutePath(), page.toUri().toString()));
    return new Rendering(page, width, layout, screenshot);
  }

  /** The page with a {@code <base>} pointing at its folder (its images and links resolve there) and the check script. */
  private static String withCheck(String html, Path folder) throws IOException {
    String script;
    try (InputStream in = HeadlessChromium.class.getResourceAsStream("/browser/layout-check.js")) {
      if (in == null) {
        throw new IllegalStateException("Expected browser/layout-check.js on the test class path but found none");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String base = "<base href=\"" + folder.toUri() + "\">";
    int head = html.indexOf("<head>");
    int body = html.lastIndexOf("</body>");
    if (head < 0 || body < 0) {
      throw new IllegalArgumentException("Expected a page with <head> and </body> but found neither in its " + html.length() + " characters");
    }
    return html.substring(0, head + 6) + base + html.substring(head + 6, body) + "<script>" + script + "</script>" + html.substring(body);
  }

  private String run(String name, List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--force-device-scale-factor=1", "--allow-file-access-from-files", "--virtual-time-budget=5000", "--user-data-dir=" + scratch.resolve("profile-" + name)));
    command.addAll(arguments);
    Path log = scratch.resolve(name + ".log");
    Path out = scratch.resolve(name + ".out");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Expected chromium to finish within 120 s but it did not: " + command);
    }
    deleteRecursively(scratch.resolve("profile-" + name)); // a fresh profile each time, tens of MB
    if (process.exitValue() != 0) {
      throw new AssertionError("Expected chromium to exit with 0 but it exited with " + process.exitValue() + ": " + command + "\n" + Files.readString(log));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static List<Scrolled> scrolled(JsonNode array) {
    List<Scrolled> list = new ArrayList<>();
    array.forEach(n -> list.add(new Scrolled(n.get("what").asText(), n.get("columns").asInt(), n.get("by").asInt())));
    return list;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static String unescape(String attribute) {
    return attribute.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&");
  }
}
