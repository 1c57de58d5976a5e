package io.granary.core.port.in;

import io.granary.core.domain.OrganizationStatus;

/** A provider organization as the routes show it, its status resolved (chosen, default, or BLOCKED). */
public record OrganizationView(String id, String name, boolean connected, String managementUri, OrganizationStatus status) {
}
