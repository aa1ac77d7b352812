package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.ingest.SourceFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Expands the PATH arguments of {@code ingest damir} into files, in month order. */
final class DamirSources {
  static final String EXPECTED_NAMES = "A<yyyy><mm>.csv[.gz] or P<yyyy><mm>.csv[.gz], e.g. A202501.csv.gz";

  private DamirSources() {}

  static List<DamirSource> resolve(List<String> paths, Configuration conf) {
    List<DamirSource> out = new ArrayList<>();
    for (Path file : SourceFiles.resolve(paths, DamirSource::matches, EXPECTED_NAMES, "Open DAMIR", conf)) {
      out.add(DamirSource.of(file.toString(), file.getName()));
    }
    out.sort(Comparator.comparingInt(DamirSource::month).thenComparing(DamirSource::name));
    Map<Integer, DamirSource> byMonth = new HashMap<>();
    for (DamirSource source : out) {
      DamirSource previous = byMonth.put(source.month(), source);
      if (previous != null) {
        throw new WorkbenchException(
            "Cannot ingest two files for processing month "
                + source.month()
                + ": '"
                + previous.path()
                + "' and '"
                + source.path()
                + "' (one file per month; remove one of them)");
      }
    }
    return out;
  }
}
