package fr.sante.workbench.anonymisation;

import java.util.Map;

/**
 * The public {@code manifest.json} of a published folder: what was published, under which policy, how it was
 * protected in aggregate, from which snapshot, and every file's SHA-256. It holds nothing that singles out
 * which hidden cell is small (that detail stays in the lake's audit entry: {@link ProtectionDetail}).
 * Written and read by {@link Manifests} only.
 */
public sealed interface Manifest permits TableManifest, RecordsManifest, ModelManifest {
  Provenance provenance();

  /** File name to SHA-256 of every published file but the manifest itself. */
  Map<String, String> sha256();
}
