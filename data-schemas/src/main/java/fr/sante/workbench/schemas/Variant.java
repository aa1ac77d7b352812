package fr.sante.workbench.schemas;

/** The two header variants of Open DAMIR files: regions (A files, 2015+) or ZEAT zones (P files, 2009-2014). */
public enum Variant {
  REG,
  ZEAT
}
