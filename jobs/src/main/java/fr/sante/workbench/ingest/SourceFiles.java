package fr.sante.workbench.ingest;

import fr.sante.workbench.WorkbenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expands PATH arguments (files or folders) into the files with accepted extensions, sorted by name. */
public final class SourceFiles {
  private SourceFiles() {}

  /** Files whose name ends with one of {@code extensions} (case-insensitive). */
  public static List<Path> resolve(List<String> paths, Set<String> extensions, String what, Configuration conf) {
    return resolve(paths, name -> accepted(name, extensions), extensions.toString(), what, conf);
  }

  /**
   * Files whose name {@code accept}s, from files or folders, each folder's files sorted by name.
   *
   * @param expected how accepted names look, for messages
   * @param what the kind of files, for messages (e.g. "Open DAMIR")
   */
  public static List<Path> resolve(List<String> paths, Predicate<String> accept, String expected, String what, Configuration conf) {
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
            if (child.isFile() && accept.test(child.getPath().getName())) {
              found.add(child.getPath());
            }
          }
          if (found.isEmpty()) {
            throw new WorkbenchException("Expected " + what + " files (" + expected + ") in folder '" + raw + "' but found none");
          }
          found.sort(null);
          out.addAll(found);
        } else if (accept.test(path.getName())) {
          out.add(fs.makeQualified(path));
        } else {
          throw new WorkbenchException("Invalid " + what + " file name: '" + path.getName() + "' (must be " + expected + ")");
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
