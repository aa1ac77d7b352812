package fr.sante.workbench.anonymisation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts of HTML pages in one language, looked up by key in a UTF-8 properties file per language
 * ({@code <bundle>_en.properties}, {@code <bundle>_fr.properties}, beside the class that owns the page), with the
 * language's typography for numbers, money and dates. Placeholders are {@code {0}}, {@code {1}}...: a number argument
 * is a quantity written in the language's typography (pass ids and years as strings), any other is written as it is.
 * A missing key is an error, never a fallback. No MessageFormat: an apostrophe is an apostrophe.
 */
public final class ReportText {
  /** French thousands separator: the narrow no-break space. */
  public static final char NARROW_NBSP = '\u202F';
  private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

  private final ReportLanguage language;
  private final Properties texts;
  private final String source;

  private ReportText(ReportLanguage language, Properties texts, String source) {
    this.language = language;
    this.texts = texts;
    this.source = source;
  }

  /**
   * The texts of {@code bundle} (a resource path without language and extension, e.g. {@code
   * /fr/sante/workbench/anonymisation/audit-report}) in {@code language}, read through {@code owner}'s class loader.
   */
  public static ReportText load(Class<?> owner, String bundle, ReportLanguage language) {
    Objects.requireNonNull(language, "language is null");
    String path = bundle + "_" + language.code() + ".properties";
    Properties texts = new Properties();
    try (InputStream in = owner.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Expected the report texts " + path + " on the class path but found none");
      }
      texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the report texts " + path, e);
    }
    return new ReportText(language, texts, path);
  }

  public ReportLanguage language() {
    return language;
  }

  /** Every key of this language's file (tests compare the languages). */
  public Set<String> keys() {
    return texts.stringPropertyNames();
  }

  /** The text of {@code key} with its placeholders filled. */
  public String msg(String key, Object... args) {
    String text = texts.getProperty(key);
    if (text == null) {
      throw new IllegalStateException("Expected the report text '" + key + "' in " + source + " but found none");
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      if (index >= args.length) {
        throw new IllegalArgumentException("Report text '" + key + "' in " + source + " uses {" + index + "} but was given " + args.length + " values");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(format(args[index])));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The text of {@code key} when this language's file has it (keys built from data, such as column names). */
  public Optional<String> find(String key) {
    return Optional.ofNullable(texts.getProperty(key));
  }

  private String format(Object arg) {
    if (arg instanceof BigDecimal d) {
      return number(d.toPlainString());
    }
    if (arg instanceof Long || arg instanceof Integer) {
      return integer(((Number) arg).longValue());
    }
    if (arg instanceof Double || arg instanceof Float) {
      return number(BigDecimal.valueOf(((Number) arg).doubleValue()).stripTrailingZeros().toPlainString());
    }
    return String.valueOf(arg);
  }

  /** A whole number with thousands separators ({@code 1,234} or {@code 1 234}). */
  public String integer(long value) {
    return number(Long.toString(value));
  }

  /**
   * A plain decimal as written in the CSV files ({@code -1234.56}) in this language's typography: English {@code
   * -1,234.56}, French {@code -1 234,56} (narrow no-break space, decimal comma); the digits are never rounded. Any
   * other text (empty, {@code Total}, a code) is returned as it is.
   */
  public String number(String plain) {
    if (!PLAIN_NUMBER.matcher(plain).matches()) {
      return plain;
    }
    boolean negative = plain.startsWith("-");
    String digits = negative ? plain.substring(1) : plain;
    int dot = digits.indexOf('.');
    String whole = dot < 0 ? digits : digits.substring(0, dot);
    String fraction = dot < 0 ? "" : digits.substring(dot + 1);
    char group = language == ReportLanguage.FR ? NARROW_NBSP : ',';
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        grouped.append(group);
      }
      grouped.append(whole.charAt(i));
    }
    String sign = negative ? "-" : "";
    return sign + grouped + (fraction.isEmpty() ? "" : (language == ReportLanguage.FR ? "," : ".") + fraction);
  }

  /** A figure rounded to {@code decimals} places, in this language's typography. */
  public String decimal(double value, int decimals) {
    return number(BigDecimal.valueOf(value).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString());
  }

  /** An ISO-8601 instant to the second in UTC ({@code 2026-12-03 15:31:14 UTC}, {@code 3 décembre 2026 à 15:31:14 UTC}); any other text as it is. */
  public String time(String iso) {
    try {
      Instant instant = Instant.parse(iso);
      String pattern = language == ReportLanguage.FR ? "d MMMM yyyy 'à' HH:mm:ss 'UTC'" : "yyyy-MM-dd HH:mm:ss 'UTC'";
      return DateTimeFormatter.ofPattern(pattern, language.locale()).withZone(ZoneOffset.UTC).format(instant);
    } catch (DateTimeParseException e) {
      return iso;
    }
  }
}
