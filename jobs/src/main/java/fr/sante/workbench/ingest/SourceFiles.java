package fr.sante.workbench.ingest;

import fr.sante.workbench.WorkbenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expands PATH arguments (files or folders) into the files with accepted extensions, sorted by name. */
public final class SourceFiles {
  private SourceFiles() {}

  public static List<Path> resolve(List<String> paths, Set<String> extensions, String what, Configuration conf) {
    if (paths.isEmpty()) {
      throw new WorkbenchException("Cannot ingest: no PATH given (expected " + what + " files or folders)");
    }
    List<Path> out = new ArrayList<>();
    for (String raw : paths) {
      Path path = new Path(raw);
      try {
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
          throw new WorkbenchException("Cannot ingest '" + raw + "': no such file or folder");
        }
        if (fs.getFileStatus(path).isDirectory()) {
          List<Path> found = new ArrayList<>();
          for (FileStatus child : fs.listStatus(path)) {
            if (child.isFile() && accepted(child.getPath().getName(), extensions)) {
              found.add(child.getPath());
            }
          }
          if (found.isEmpty()) {
            throw new WorkbenchException("Expected " + what + " files (" + extensions + ") in folder '" + raw + "' but found none");
          }
          found.sort(null);
          out.addAll(found);
        } else if (accepted(path.getName(), extensions)) {
          out.add(fs.makeQualified(path));
        } else {
          throw new WorkbenchException("Invalid " + what + " file: '" + raw + "' (expected one of " + extensions + ")");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list '" + raw + "'", e);
      }
    }
    return out;
  }

  private static boolean accepted(String name, Set<String> extensions) {
    String lower = name.toLowerCase(Locale.ROOT);
    return extensions.stream().anyMatch(lower::endsWith);
  }
}
