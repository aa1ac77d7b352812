package fr.sante.workbench.studies.ald;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An age class as the ALD long layout writes it: {@code 40-44}, {@code 90+} (open), or {@code ALL}.
 *
 * @param max last age, empty for an open class
 */
public record AgeRange(int min, Optional<Integer> max) {
  private static final Pattern CLOSED = Pattern.compile("^\\s*(\\d{1,3})\\s*-\\s*(\\d{1,3})\\s*$");
  private static final Pattern OPEN = Pattern.compile("^\\s*(\\d{1,3})\\s*(\\+|-|ans et \\+|and over)\\s*$");

  /** The class, or empty for {@code ALL} and for text that is not an age class. */
  public static Optional<AgeRange> parse(String text) {
    Matcher closed = CLOSED.matcher(text);
    if (closed.matches()) {
      int min = Integer.parseInt(closed.group(1));
      int max = Integer.parseInt(closed.group(2));
      return max >= min ? Optional.of(new AgeRange(min, Optional.of(max))) : Optional.empty();
    }
    Matcher open = OPEN.matcher(text);
    return open.matches() ? Optional.of(new AgeRange(Integer.parseInt(open.group(1)), Optional.empty())) : Optional.empty();
  }

  /** Whether a band {@code [bandMin, bandMax]} (bandMax empty = open) lies inside this class. */
  public boolean contains(int bandMin, Optional<Integer> bandMax) {
    if (bandMin < min) {
      return false;
    }
    if (max.isEmpty()) {
      return true;
    }
    return bandMax.isPresent() && bandMax.get() <= max.get();
  }

  /** Whether a band overlaps this class without lying inside it (the class boundaries cut the band). */
  public boolean cuts(int bandMin, Optional<Integer> bandMax) {
    boolean overlaps = (max.isEmpty() || bandMin <= max.get()) && (bandMax.isEmpty() || bandMax.get() >= min);
    return overlaps && !contains(bandMin, bandMax);
  }
}
