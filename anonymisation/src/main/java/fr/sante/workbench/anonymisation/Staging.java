package fr.sante.workbench.anonymisation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An export's files are written in a hidden folder beside its output folder, {@code .<name>.partial-<pid>-<random>},
 * and renamed into place in one step once they are checked and their audit entry appended. Whatever stops an export
 * (a refusal, an exception, an {@link OutOfMemoryError}, a killed process) never leaves a partial file under the
 * output folder's name: the hidden folder is deleted on the way out, and one left by a killed process is deleted by
 * the next export to the same parent folder once its process is gone.
 */
final class Staging {
  private static final Pattern PARTIAL = Pattern.compile("\\.(.+)\\.partial-(\\d+)-[0-9a-f]{8}");

  private Staging() {}

  /** Creates the hidden folder for {@code outDir}'s files, after removing those of dead processes beside it. */
  static Path open(Path outDir) {
    Path target = outDir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    try {
      Files.createDirectories(parent);
      removeAbandoned(parent);
      Path dir = parent.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
      return Files.createDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the folder where the export is written before it is moved to " + outDir + " (in " + parent + ")", e);
    }
  }

  /**
   * Moves the written files into place: {@code outDir} must not exist or be an empty folder (replaced), otherwise
   * nothing moves and the error says what is there.
   */
  static void publish(Path dir, Path outDir) throws IOException {
    Path target = outDir.toAbsolutePath().normalize();
    try {
      // rename(2): one step, and it replaces an empty folder; a folder someone filled meanwhile is refused
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      if (Files.isDirectory(target) && isEmpty(target)) {
        Files.delete(target);
      }
      Files.move(dir, target);
    } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
      throw new IOException(target + " is no longer an empty folder (something was written there while the export ran)", e);
    } catch (FileSystemException e) {
      // Linux reports a rename onto a folder that is not empty as a plain ENOTEMPTY
      if (Files.exists(target) && !(Files.isDirectory(target) && isEmpty(target))) {
        throw new IOException(target + " is no longer an empty folder (something was written there while the export ran)", e);
      }
      throw e;
    }
  }

  /** Deletes the hidden folder and what is in it, if it is still there; never throws (it runs on the way out of a failure). */
  static void discard(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("Warning: cannot remove the unfinished export folder " + dir + " (" + e.getMessage() + "): delete it by hand");
    }
  }

  /** The process that writes (or wrote) the hidden folder {@code name}, if the name is one of ours. */
  static Optional<Long> owner(String name) {
    Matcher m = PARTIAL.matcher(name);
    return m.matches() ? Optional.of(Long.parseLong(m.group(2))) : Optional.empty();
  }

  private static void removeAbandoned(Path parent) throws IOException {
    try (Stream<Path> entries = Files.list(parent)) {
      for (Path entry : entries.toList()) {
        Optional<Long> pid = owner(entry.getFileName().toString());
        if (pid.isPresent() && Files.isDirectory(entry) && !ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
          discard(entry);
        }
      }
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
