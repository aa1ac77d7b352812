/**
 * The export gate: the only way a study result leaves the lake. The public API is small: {@link
 * fr.sante.workbench.anonymisation.Exports} (publish a table or records under a policy, refused or audited),
 * {@link fr.sante.workbench.anonymisation.ReadOnlyQuery} (what an analyst's SQL may do), the policies, the
 * publication contract ({@link fr.sante.workbench.anonymisation.PublishedTable}, {@link
 * fr.sante.workbench.anonymisation.Manifests}), the audit trail ({@link fr.sante.workbench.anonymisation.AuditLog})
 * and what a DPO runs to sign off ({@link fr.sante.workbench.anonymisation.ExportVerification}). The algorithms
 * (cell suppression, hypercubes, the LP verifier, the generalisation lattice) live in {@code internal}, behind
 * it. This module must never depend on {@code jobs}.
 */
package fr.sante.workbench.anonymisation;
