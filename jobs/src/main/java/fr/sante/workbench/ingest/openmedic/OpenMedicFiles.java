package fr.sante.workbench.ingest.openmedic;

import fr.sante.workbench.WorkbenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Open Medic files of the given paths: zips holding {@code OPEN_MEDIC_<yyyy>.CSV} (or {@code NB_<yyyy>…}),
 * plain CSV files named the same way, or folders of them. The year and the base come from the name.
 */
final class OpenMedicFiles {
  static final String MAIN = "OPEN_MEDIC";
  static final String NB = "NB";
  private static final Pattern NAME = Pattern.compile("(?i)^(OPEN_MEDIC|NB)_(\\d{4}).*\\.csv$");

  private OpenMedicFiles() {}

  /**
   * One CSV to read.
   *
   * @param zip the zip holding it, or null for a plain file
   * @param entry the CSV's name (the zip entry, or the file name)
   */
  record Entry(Path zip, Path file, String entry, int year, String base) {
    String label() {
      return zip == null ? file.getFileName().toString() : zip.getFileName() + "!" + entry;
    }
  }

  static List<Entry> resolve(List<String> paths) {
    List<Entry> out = new ArrayList<>();
    for (String given : paths) {
      Path path = Path.of(given);
      if (Files.isDirectory(path)) {
        try (var files = Files.list(path)) {
          for (Path file : files.sorted().toList()) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".zip") || NAME.matcher(file.getFileName().toString()).matches()) {
              out.addAll(of(file));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot list " + path, e);
        }
      } else if (Files.isRegularFile(path)) {
        out.addAll(of(path));
      } else {
        throw new WorkbenchException("Cannot read Open Medic input '" + given + "': no such file or folder");
      }
    }
    if (out.isEmpty()) {
      throw new WorkbenchException("No Open Medic file in " + paths + " (expected OPEN_MEDIC_<yyyy>.CSV or NB_<yyyy>….CSV, alone or in a .zip)");
    }
    return out;
  }

  private static List<Entry> of(Path file) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
      List<Entry> entries = new ArrayList<>();
      try (ZipFile zip = new ZipFile(file.toFile())) {
        for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
          String name = Path.of(entry.getName()).getFileName().toString();
          Matcher m = NAME.matcher(name);
          if (!entry.isDirectory() && m.matches()) {
            entries.add(new Entry(file, file, entry.getName(), Integer.parseInt(m.group(2)), m.group(1).toUpperCase(Locale.ROOT)));
          }
        }
      } catch (IOException e) {
        throw new WorkbenchException("Cannot read zip '" + file + "': " + e.getMessage(), e);
      }
      if (entries.isEmpty()) {
        throw new WorkbenchException("No Open Medic CSV in zip '" + file + "' (expected an entry named OPEN_MEDIC_<yyyy>.CSV or NB_<yyyy>….CSV)");
      }
      return entries;
    }
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new WorkbenchException("Cannot tell the year of Open Medic file '" + file + "' (expected a name like OPEN_MEDIC_2024.CSV or NB_2024….CSV)");
    }
    return List.of(new Entry(null, file, file.getFileName().toString(), Integer.parseInt(m.group(2)), m.group(1).toUpperCase(Locale.ROOT)));
  }
}
