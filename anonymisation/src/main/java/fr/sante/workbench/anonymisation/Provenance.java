package fr.sante.workbench.anonymisation;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What every manifest states about where a published file comes from.
 *
 * @param description the query or study exported
 * @param inputs the lake tables read, with the Delta version read
 * @param workbenchVersion the version that published it
 * @param user the OS user who exported
 * @param time when (UTC, ISO-8601)
 */
public record Provenance(String description, Map<String, Long> inputs, String workbenchVersion, String user, String time) {
  public Provenance {
    Objects.requireNonNull(description, "description is null");
    inputs = Collections.unmodifiableMap(new TreeMap<>(inputs));
  }
}
