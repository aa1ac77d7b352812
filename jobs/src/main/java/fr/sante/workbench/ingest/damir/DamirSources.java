package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.WorkbenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expands the PATH arguments of {@code ingest damir} into files, in month order. */
final class DamirSources {
  private DamirSources() {}

  static List<DamirSource> resolve(List<String> paths, Configuration conf) {
    if (paths.isEmpty()) {
      throw new WorkbenchException("Cannot ingest: no PATH given (expected Open DAMIR files or folders)");
    }
    List<DamirSource> out = new ArrayList<>();
    for (String raw : paths) {
      Path path = new Path(raw);
      try {
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
          throw new WorkbenchException("Cannot ingest '" + raw + "': no such file or folder");
        }
        FileStatus status = fs.getFileStatus(path);
        if (status.isDirectory()) {
          int before = out.size();
          for (FileStatus child : fs.listStatus(path)) {
            if (child.isFile() && DamirSource.matches(child.getPath().getName())) {
              out.add(DamirSource.of(child.getPath().toString(), child.getPath().getName()));
            }
          }
          if (out.size() == before) {
            throw new WorkbenchException(
                "Expected Open DAMIR files (A<yyyy><mm>.csv[.gz] or P<yyyy><mm>.csv[.gz]) in folder '"
                    + raw
                    + "' but found none");
          }
        } else {
          out.add(DamirSource.of(fs.makeQualified(path).toString(), path.getName()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list '" + raw + "'", e);
      }
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
