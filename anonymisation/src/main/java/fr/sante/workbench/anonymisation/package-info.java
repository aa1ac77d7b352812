/**
 * The export gate: the only way a study result leaves the lake. Built so far: aggregated tables of 1-4
 * dimensions with all margins ({@link fr.sante.workbench.anonymisation.FrequencyTable}), primary and
 * secondary cell suppression ({@link fr.sante.workbench.anonymisation.CellSuppression}) and the
 * linear-programming verifier of what an attacker can deduce
 * ({@link fr.sante.workbench.anonymisation.IntervalVerifier}). Still to come (issue 5): policy files,
 * dominance rules, the published CSV and manifest, k-anonymity, the hash-chained audit log and the DPO
 * commands. This module must never depend on {@code jobs}.
 */
package fr.sante.workbench.anonymisation;
