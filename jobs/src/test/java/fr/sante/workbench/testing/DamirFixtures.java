package fr.sante.workbench.testing;

import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.Variant;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small Open DAMIR files of our own that reproduce the real format's quirks: trailing {@code ;},
 * decimals without a leading zero, negative amounts, empty {@code *_ACT_NBR}, care-date placeholders.
 * The values are invented (plausible codes), not copied from any CNAM file.
 */
public final class DamirFixtures {
  private DamirFixtures() {}

  /** A plausible line for processing month {@code month}, as column to value, in file order. */
  public static Map<String, String> baseLine(int month) {
    Map<String, String> v = new LinkedHashMap<>();
    for (String name : Schemas.openDamir().headerNames(Variant.REG)) {
      v.put(name, "0");
    }
    v.put("FLX_ANN_MOI", String.valueOf(month));
    v.put("ORG_CLE_REG", "84");
    v.put("AGE_BEN_SNDS", "50");
    v.put("BEN_RES_REG", "84");
    v.put("BEN_QLT_COD", "1");
    v.put("BEN_SEX_COD", "2");
    v.put("DDP_SPE_COD", "121");
    v.put("ETE_CAT_SNDS", "9999");
    v.put("ETE_REG_COD", "99");
    v.put("ETE_TYP_SNDS", "99");
    v.put("ETP_REG_COD", "99");
    v.put("ETP_CAT_SNDS", "9999");
    v.put("MDT_TYP_COD", "9");
    v.put("MFT_COD", "99");
    v.put("PRS_ACT_COG", "1");
    v.put("PRS_ACT_NBR", "1");
    v.put("PRS_ACT_QTE", "1");
    v.put("PRS_DEP_MNT", "0");
    v.put("PRS_PAI_MNT", "30");
    v.put("PRS_REM_BSE", "30");
    v.put("PRS_REM_MNT", "21");
    v.put("FLT_ACT_COG", "1");
    v.put("FLT_ACT_NBR", "1");
    v.put("FLT_ACT_QTE", "1");
    v.put("FLT_PAI_MNT", "30");
    v.put("FLT_DEP_MNT", "0");
    v.put("FLT_REM_MNT", "21");
    v.put("SOI_ANN", String.valueOf(month / 100));
    v.put("SOI_MOI", String.format("%02d", month % 100));
    v.put("ASU_NAT", "10");
    v.put("CPT_ENV_TYP", "1");
    v.put("DRG_AFF_NAT", "35");
    v.put("ETE_IND_TAA", "9");
    v.put("PRS_NAT", "1110");
    v.put("PRS_PPU_SEC", "2");
    v.put("PRS_REM_TAU", "70");
    v.put("PRS_PDS_QCP", "1");
    v.put("EXE_INS_REG", "84");
    v.put("PSE_ACT_CAT", "1");
    v.put("PSE_SPE_SNDS", "1");
    v.put("PSE_STJ_SNDS", "1");
    v.put("PRE_INS_REG", "99");
    v.put("PSP_ACT_CAT", "99");
    v.put("PSP_STJ_SNDS", "9");
    v.put("TOP_PS5_TRG", "1");
    v.put("ETB_DCS_MCO", "Z");
    return v;
  }

  /** A copy of {@code line} with some values replaced. */
  public static Map<String, String> with(Map<String, String> line, String... columnValuePairs) {
    Map<String, String> copy = new LinkedHashMap<>(line);
    for (int i = 0; i < columnValuePairs.length; i += 2) {
      if (!copy.containsKey(columnValuePairs[i])) {
        throw new IllegalArgumentException("No column " + columnValuePairs[i]);
      }
      copy.put(columnValuePairs[i], columnValuePairs[i + 1]);
    }
    return copy;
  }

  /** The line as the real files write it: values joined by {@code ;} plus the trailing {@code ;}. */
  public static String render(Map<String, String> line) {
    return String.join(";", line.values()) + ";";
  }

  public static String header(Variant variant) {
    return String.join(";", Schemas.openDamir().headerNames(variant)) + ";";
  }

  /** {@code n} varied valid lines, deterministic for a seed, with every quirk of the real files. */
  public static List<String> randomLines(int month, int n, long seed) {
    Random random = new Random(seed);
    String[] regions = {"5", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "99"};
    String[] natures = {"1110", "1111", "3313", "3311", "2111", "1972", "1951", "3111", "3211", "4214"};
    List<String> out = new ArrayList<>(n);
    Map<String, String> base = baseLine(month);
    for (int i = 0; i < n; i++) {
      long base100 = random.nextInt(100_000);
      String amount = cents(base100);
      String rem = cents(-50 + random.nextInt(50_000));
      String careMonth = random.nextInt(50) == 0 ? "00" : String.format("%02d", 1 + random.nextInt(12));
      String careYear = careMonth.equals("00") ? "0000" : String.valueOf(month / 100 - random.nextInt(2));
      String count = random.nextInt(10) == 0 ? "" : String.valueOf(1 + random.nextInt(4));
      out.add(
          render(
              with(
                  base,
                  "BEN_RES_REG", regions[random.nextInt(regions.length)],
                  "AGE_BEN_SNDS", String.valueOf(10 * random.nextInt(9)).replace("10", "0"),
                  "PRS_NAT", natures[random.nextInt(natures.length)],
                  "PRS_PAI_MNT", amount,
                  "FLT_PAI_MNT", amount,
                  "PRS_REM_MNT", rem,
                  "FLT_REM_MNT", rem,
                  "PRS_ACT_NBR", count,
                  "FLT_ACT_NBR", count,
                  "SOI_ANN", careYear,
                  "SOI_MOI", careMonth,
                  "PRS_REM_TAU", random.nextBoolean() ? "65.33" : "100")));
    }
    return out;
  }

  /** Cents as the real files write euros: no leading zero ({@code .61}, {@code -.57}), no trailing zeros. */
  public static String cents(long cents) {
    String sign = cents < 0 ? "-" : "";
    long abs = Math.abs(cents);
    long euros = abs / 100;
    long rest = abs % 100;
    String whole = euros == 0 && rest != 0 ? "" : String.valueOf(euros);
    if (rest == 0) {
      return sign + whole;
    }
    String fraction = rest % 10 == 0 ? String.valueOf(rest / 10) : String.format("%02d", rest);
    return sign + whole + "." + fraction;
  }

  /** Writes a header and lines (LF-terminated) to {@code file}, gzip-compressed when the name ends in .gz. */
  public static Path write(Path file, String header, List<String> lines) {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      out.write((header + "\n").getBytes(StandardCharsets.US_ASCII));
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
