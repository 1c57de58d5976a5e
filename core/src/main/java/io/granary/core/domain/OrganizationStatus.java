package io.granary.core.domain;

/**
 * Leaf's status of a provider organization (https://docs.withleaf.io/docs/provider_organizations, "Organizations
 * Sync", Resource): SELECTED, all its data is to be processed; PREVIEW, only the organization itself;
 * BLOCKED, the grant lacks the connection or permission. Granary syncs no data: the status tells an app which
 * organizations the grower connected and which the app chose to process.
 */
public enum OrganizationStatus {
    SELECTED, PREVIEW, BLOCKED
}
