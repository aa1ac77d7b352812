package fr.sante.workbench.schemas;

import java.util.Objects;

/**
 * A French département and the regions it belongs to.
 *
 * @param code INSEE code: {@code 01}..{@code 95}, {@code 2A}/{@code 2B}, {@code 971}..{@code 976}
 * @param region INSEE region code (2016 regions)
 * @param damirRegion the Open DAMIR region code ({@code 5} for every overseas département, {@code 93} for
 *     PACA and Corse)
 */
public record Departement(String code, String label, String region, String damirRegion) {
  public Departement {
    Objects.requireNonNull(code, "code is null");
    Objects.requireNonNull(label, "label is null");
    Objects.requireNonNull(region, "region is null");
    Objects.requireNonNull(damirRegion, "damirRegion is null");
  }
}
