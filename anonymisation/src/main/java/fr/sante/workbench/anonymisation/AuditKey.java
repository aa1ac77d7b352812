package fr.sante.workbench.anonymisation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The DPO's key that signs every audit entry (HMAC-SHA256 of the entry's hash), kept outside the lake: the
 * file named by {@code WORKBENCH_AUDIT_KEY}, or {@code ~/.workbench/audit.key}, created by {@code workbench
 * audit init}. Whoever can write the lake but cannot read this file cannot rewrite or cut the chain without
 * {@code audit verify} noticing; the account that runs exports and the DPO who verifies need to read it.
 */
public final class AuditKey {
  /** Environment variable naming the key file. */
  public static final String ENV = "WORKBENCH_AUDIT_KEY";
  private static final int BYTES = 32;

  private final Path file;
  private final byte[] secret;

  private AuditKey(Path file, byte[] secret) {
    this.file = file;
    this.secret = secret.clone();
  }

  /** Where the key is looked for: {@code $WORKBENCH_AUDIT_KEY}, else {@code ~/.workbench/audit.key}. */
  public static Path location(Map<String, String> environment) {
    String named = environment.get(ENV);
    if (named != null && !named.isBlank()) {
      return Path.of(named).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".workbench", "audit.key");
  }

  /** The key at {@link #location}, if there is one; a key file that cannot be read or parsed is an error. */
  public static Optional<AuditKey> find() {
    Path path = location(System.getenv());
    if (!Files.exists(path)) {
      if (System.getenv(ENV) != null && !System.getenv(ENV).isBlank()) {
        throw new AnonymisationException("Cannot read the audit key: " + ENV + " names '" + path + "', which does not exist (run 'workbench audit init')");
      }
      return Optional.empty();
    }
    return Optional.of(read(path));
  }

  /** Reads a key file written by {@link #create}. */
  public static AuditKey read(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
      if (!text.matches("[0-9a-f]{" + 2 * BYTES + "}")) {
        throw new AnonymisationException("Invalid audit key file '" + path + "': expected " + 2 * BYTES + " lower-case hex digits");
      }
      return new AuditKey(path, HexFormat.of().parseHex(text));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the audit key '" + path + "'", e);
    }
  }

  /** Creates a new random key at {@code path}, readable by its owner only; never overwrites one. */
  public static AuditKey create(Path path) {
    byte[] secret = new byte[BYTES];
    new SecureRandom().nextBytes(secret);
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Path created;
      try {
        created = Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        created = Files.createFile(path);
      }
      Files.writeString(created, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
      return new AuditKey(path.toAbsolutePath(), secret);
    } catch (FileAlreadyExistsException e) {
      throw new AnonymisationException("Cannot create the audit key: '" + path + "' already exists (a key is never overwritten: entries it signed would no longer verify)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the audit key '" + path + "'", e);
    }
  }

  public Path file() {
    return file;
  }

  /** HMAC-SHA256 of {@code text}, in hex. */
  public String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM has no HmacSHA256", e);
    }
  }

  /** Whether {@code signature} is this key's signature of {@code text} (constant-time comparison). */
  public boolean verifies(String text, String signature) {
    return signature != null
        && java.security.MessageDigest.isEqual(sign(text).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
  }

  /** A short public name of the key (never the key): the first 16 hex digits of its signature of "workbench". */
  public String fingerprint() {
    return sign("workbench").substring(0, 16);
  }
}
