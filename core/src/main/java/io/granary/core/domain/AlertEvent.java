package io.granary.core.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a webhook can subscribe to, named as Leaf names them. Granary emits the credential events; it accepts and
 * stores Leaf's data events too (so client code that registers them keeps working) but never emits them, because
 * it syncs no farm data. Source of the names: https://docs.withleaf.io/api-reference/alerts ("Available events")
 * and the webhook page of Leaf's docs repository ("The allowed keys to be filled in events are: ...").
 * Leaf's implement, irrigation, satellite-subscription and batch-upload events are not listed: their wire names
 * are not published in the material we have (unverified), so they are refused rather than guessed.
 */
public enum AlertEvent {
    /** The credential moved to INVALID. */
    CREDENTIALS_UNAUTHENTICATED("credentialsUnauthenticated", true),
    /** The credential moved to MISSING_PERMISSION. */
    CREDENTIALS_LIMITED_PERMISSION("credentialsLimitedPermission", true),
    /** The credential is VALID again after being INVALID or MISSING_PERMISSION (Granary's own, not Leaf's). */
    CREDENTIALS_RECOVERED("credentialsRecovered", true),

    FIELD_CREATED("fieldCreated", false),
    FIELD_UPDATED("fieldUpdated", false),
    FIELD_BOUNDARY_CREATED("fieldBoundaryCreated", false),
    FIELD_BOUNDARY_UPDATED("fieldBoundaryUpdated", false),
    FIELD_BOUNDARY_DELETED("fieldBoundaryDeleted", false),
    MERGED_FIELD_CREATED("mergedFieldCreated", false),
    MERGED_FIELD_UPDATED("mergedFieldUpdated", false),
    UPLOADED_FILE_PROCESSING_FINISHED("uploadedFileProcessingFinished", false),
    UPLOADED_FILE_PROCESSING_FAILED("uploadedFileProcessingFailed", false),
    PROVIDER_FILE_PROCESSING_FINISHED("providerFileProcessingFinished", false),
    PROVIDER_FILE_PROCESSING_FAILED("providerFileProcessingFailed", false),
    MERGED_FILE_PROCESSING_FINISHED("mergedFileProcessingFinished", false),
    MERGED_FILE_PROCESSING_FAILED("mergedFileProcessingFailed", false),
    AUTOMERGED_FILE_PROCESSING_FINISHED("automergedFileProcessingFinished", false),
    AUTOMERGED_FILE_PROCESSING_FAILED("automergedFileProcessingFailed", false),
    OPERATION_CREATED("operationCreated", false),
    OPERATION_UPDATED("operationUpdated", false),
    OPERATION_PROCESSING_FINISHED("operationProcessingFinished", false),
    NEW_SATELLITE_IMAGE("newSatelliteImage", false),
    MACHINE_CREATED("machineCreated", false),
    MACHINE_UPDATED("machineUpdated", false),
    MACHINE_DELETED("machineDeleted", false);

    private final String wireName;
    private final boolean emitted;

    AlertEvent(String wireName, boolean emitted) {
        this.wireName = wireName;
        this.emitted = emitted;
    }

    /** The name in the API and in payloads. */
    public String wireName() {
        return wireName;
    }

    /** False for Leaf's data events: accepted and stored, never sent by Granary. */
    public boolean emittedByGranary() {
        return emitted;
    }

    public static Optional<AlertEvent> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
    }
}
