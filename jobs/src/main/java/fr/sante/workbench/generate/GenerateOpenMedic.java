package fr.sante.workbench.generate;

import fr.sante.workbench.schemas.CodeLists;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Synthetic Open Medic in the real dialect (reference §3.3): a zip holding {@code OPEN_MEDIC_<yyyy>.CSV},
 * cp1252, CRLF, {@code ;}, French decimals with {@code .} thousands separators, the header's mixed case
 * ({@code l_ATC1;L_ATC2…}). A small catalogue of real ATC substances (statins, an ACE inhibitor, metformin,
 * paracetamol, amoxicillin) with invented presentations (CIP13 {@code 34009…} codes that are not real) ×
 * age class × sex × region × prescriber speciality; boxes, base = boxes × unit price, reimbursed = 65 % of it.
 */
public final class GenerateOpenMedic {
  static final String HEADER = "ATC1;l_ATC1;ATC2;L_ATC2;ATC3;L_ATC3;ATC4;L_ATC4;ATC5;L_ATC5;CIP13;l_cip13;TOP_GEN;GEN_NUM;age;sexe;BEN_REG;PSP_SPE;BOITES;REM;BSE";
  private static final String[][] SUBSTANCES = {
    {"C", "SYSTEME CARDIOVASCULAIRE", "C10", "HYPOLIPIDEMIANTS", "C10A", "HYPOLIPIDEMIANTS SEULS", "C10AA", "INHIBITEURS DE LA HMG COA REDUCTASE", "C10AA05", "ATORVASTATINE", "21"},
    {"C", "SYSTEME CARDIOVASCULAIRE", "C10", "HYPOLIPIDEMIANTS", "C10A", "HYPOLIPIDEMIANTS SEULS", "C10AA", "INHIBITEURS DE LA HMG COA REDUCTASE", "C10AA07", "ROSUVASTATINE", "19"},
    {"C", "SYSTEME CARDIOVASCULAIRE", "C09", "MEDICAMENTS AGISSANT SUR LE SYSTEME RENINE-ANGIOTENSINE", "C09A", "INHIBITEURS DE L'ENZYME DE CONVERSION NON ASSOCIES", "C09AA", "INHIBITEURS DE L'ENZYME DE CONVERSION NON ASSOCIES", "C09AA05", "RAMIPRIL", "7"},
    {"A", "VOIES DIGESTIVES ET METABOLISME", "A10", "MEDICAMENTS DU DIABETE", "A10B", "HYPOGLYCEMIANTS, INSULINES EXCLUES", "A10BA", "BIGUANIDES", "A10BA02", "METFORMINE", "4"},
    {"N", "SYSTEME NERVEUX", "N02", "ANALGESIQUES", "N02B", "AUTRES ANALGESIQUES ET ANTIPYRETIQUES", "N02BE", "ANILIDES", "N02BE01", "PARACETAMOL", "2"},
    {"J", "ANTIINFECTIEUX GENERAUX A USAGE SYSTEMIQUE", "J01", "ANTIBACTERIENS A USAGE SYSTEMIQUE", "J01C", "BETALACTAMINES, PENICILLINES", "J01CA", "PENICILLINES A LARGE SPECTRE", "J01CA04", "AMOXICILLINE", "3"},
  };
  private static final String[] AGES = {"0", "20", "60", "99"};
  private static final String[] SEXES = {"1", "2", "9"};
  private static final String[] REGIONS = {"5", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "99"};

  private GenerateOpenMedic() {}

  /** Writes {@code <dir>/OPEN_MEDIC_<year>.zip} with {@code rows} distinct lines (at most every combination); returns the zip. */
  public static Path write(Path dir, int year, long rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> specialities = new ArrayList<>(CodeLists.load("openmedic_psp_spe").codes());
    Path zip = dir.resolve("OPEN_MEDIC_" + year + ".zip");
    try {
      Files.createDirectories(dir);
      try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
          Writer csv = new OutputStreamWriter(out, Charset.forName("windows-1252"))) {
        out.putNextEntry(new ZipEntry("OPEN_MEDIC_" + year + ".CSV"));
        csv.write(HEADER + "\r\n");
        long written = 0;
        long combinations = SUBSTANCES.length * 2L * AGES.length * SEXES.length * REGIONS.length * specialities.size();
        long seen = 0; // selection sampling (Knuth's algorithm S): exactly min(rows, combinations) lines, uniformly
        for (int s = 0; s < SUBSTANCES.length; s++) {
          for (int generic = 0; generic <= 1; generic++) {
            String[] sub = SUBSTANCES[s];
            String cip = String.format("34009%08d", 10_000_000 + s * 1000 + generic * 7 + (int) (seed % 97));
            String label = sub[9] + (generic == 1 ? " GÉNÉRIQUE" : " PRINCEPS") + " CPR 30";
            long unitCents = Long.parseLong(sub[10]) * 100 + (generic == 1 ? 0 : 150);
            for (String age : AGES) {
              for (String sex : SEXES) {
                for (String region : REGIONS) {
                  for (String speciality : specialities) {
                    long remaining = combinations - seen++;
                    if (written >= rows || random.nextDouble() * remaining >= rows - written) {
                      continue;
                    }
                    long boxes = 1 + random.nextLong(age.equals("60") ? 4000 : 1500);
                    long baseCents = boxes * unitCents;
                    long reimbursedCents = Math.round(baseCents * 0.65);
                    csv.write(String.join(";", sub[0], sub[1], sub[2], sub[3], sub[4], sub[5], sub[6], sub[7], sub[8], sub[9], cip, label,
                        String.valueOf(generic), generic == 1 ? String.valueOf(100 + s) : "0", age, sex, region, speciality, french(boxes, 0), french(reimbursedCents, 2),
                        french(baseCents, 2)));
                    csv.write("\r\n");
                    written++;
                  }
                }
              }
            }
          }
        }
        csv.flush();
        out.closeEntry();
      }
      return zip;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write synthetic Open Medic to " + dir, e);
    }
  }

  /** A number as Open Medic writes it: {@code 1.234,56} (scale 2) or {@code 1.234} (scale 0). */
  static String french(long units, int scale) {
    String plain = BigDecimal.valueOf(units, scale).toPlainString();
    String whole = scale == 0 ? plain : plain.substring(0, plain.indexOf('.'));
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        grouped.append('.');
      }
      grouped.append(whole.charAt(i));
    }
    return scale == 0 ? grouped.toString() : grouped + "," + plain.substring(plain.indexOf('.') + 1);
  }
}
