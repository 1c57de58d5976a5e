package io.granary.core.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of Leaf's configuration service, by name (https://docs.withleaf.io/configuration/reference, "Quick
 * reference"), with the owner default where Leaf's docs state one (same page and
 * https://docs.withleaf.io/guides/planning/data-sync-customization). Fields whose type or default we found no
 * source for accept any non-null JSON value and have no default until the owner sets one (unverified).
 * Only {@link #ORGANIZATION_DATA_SYNC} has an effect in Granary: the default status of John Deere organizations.
 */
public final class LeafConfiguration {

    public static final String ORGANIZATION_DATA_SYNC = "organizationDataSync";

    /** What a field's value may be. */
    public enum Kind { BOOLEAN, NUMBER, ORGANIZATION_SYNC, OBJECT, ANY }

    /**
     * @param ownerDefault the value every owner starts with (a JSON value: Boolean, BigDecimal, String), or null
     * @param acted        true if Granary acts on it
     */
    public record Field(String name, Kind kind, Object ownerDefault, boolean acted) {
    }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        // Data synchronization
        add("fieldsAutoSync", Kind.BOOLEAN, true);
        add("operationsAutoSync", Kind.BOOLEAN, true);
        add("customDataSync", Kind.BOOLEAN, true);
        FIELDS.put(ORGANIZATION_DATA_SYNC, new Field(ORGANIZATION_DATA_SYNC, Kind.ORGANIZATION_SYNC, "ALL", true));
        for (String name : List.of("syncPartnerData", "machinesAutoSync", "implementsAutoSync", "operatorsAutoSync",
                "productsAutoSync", "zonesAutoSync")) {
            add(name, Kind.ANY, null);
        }
        // Field boundary management
        add("automaticFixBoundary", Kind.ANY, null);
        add("fieldsAttachIntersection", Kind.NUMBER, new BigDecimal("0.01"));
        add("fieldsAutoMerge", Kind.BOOLEAN, false);
        add("fieldsMergeIntersection", Kind.NUMBER, new BigDecimal("0.01"));
        // Machine file conversion
        add("cleanupStandardGeojson", Kind.BOOLEAN, true);
        add("cleanupRules", Kind.OBJECT, null);
        for (String name : List.of("originalOperationData", "unitMeasurement", "enableOutsideFieldGeojson",
                "enableGeoparquetOutput", "enablePolygonOutput", "cropOptional", "seedRateOptional",
                // Field operations
                "fieldOperationCreation", "operationsFilteredGeojson", "operationsRemoveOutliers", "operationsOutliersLimit",
                "operationsMergeRange", "operationsMergeRangeHarvested", "operationsProcessingRange", "splitOperationsByField",
                "splitOperationsByProvider", "splitOperationsByTillType", "summarizeByProductEntry", "outOfStandardOperations",
                "enableOperationsSession",
                // Image generation (operationsImageCreation's default: the api-reference example answer)
                "operationsImageAsGeoTiff", "operationsImageAttributeCreation",
                // Irrigation
                "irrigationProcessingRange")) {
            add(name, Kind.ANY, null);
        }
        add("operationsImageCreation", Kind.BOOLEAN, true);
    }

    private LeafConfiguration() {
    }

    private static void add(String name, Kind kind, Object ownerDefault) {
        FIELDS.put(name, new Field(name, kind, ownerDefault, false));
    }

    public static Optional<Field> field(String name) {
        return Optional.ofNullable(FIELDS.get(name));
    }

    public static List<Field> fields() {
        return List.copyOf(FIELDS.values());
    }
}
