/**
 * The export gate: the only way a study result leaves the lake (primary and secondary cell suppression,
 * k-anonymity, the LP verifier and the hash-chained audit trail). Not built yet: see issue 5. This module
 * must never depend on {@code jobs}.
 */
package fr.sante.workbench.anonymisation;
