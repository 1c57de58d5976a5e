package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.granary.core.testing.OrganizationsTestProvider;
import io.granary.spi.ProviderOrganization;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leaf's configuration service and its inheritance rules (https://docs.withleaf.io/configuration/overview). */
final class ConfigurationRoutesTest {

    private static final String CONFIGS = "/services/config/api/configs";

    private final OrganizationsTestProvider provider = new OrganizationsTestProvider();
    private final TestApi t = TestApi.withProviders(provider);
    private final String token = t.ownerToken("o@farm.io");
    private final String user = t.createUser(token, "Ann", "ann@farm.io");

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void owner_startsWithLeafsDefaults_patchChangesThem_cannotBeNulledOrDeleted() {
        Map<String, Object> owner = TestApi.map(t.send("GET", CONFIGS, token, null));
        assertEquals("o@farm.io", owner.get("apiOwnerUsername"));
        assertEquals("", owner.get("leafUserId"));
        assertEquals("ALL", owner.get("organizationDataSync"));
        assertEquals(true, owner.get("fieldsAutoSync"));
        assertEquals(0.01, owner.get("fieldsMergeIntersection"));

        HttpResponse<String> patched = t.send("PATCH", CONFIGS, token, "{\"fieldsAutoSync\":false,\"unitMeasurement\":\"IMPERIAL\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals(false, TestApi.map(patched).get("fieldsAutoSync"));
        assertEquals("IMPERIAL", TestApi.map(t.send("GET", CONFIGS + "/", token, null)).get("unitMeasurement"));

        assertEquals("fieldsAutoSync", TestApi.problem(t.send("PATCH", CONFIGS, token, "{\"fieldsAutoSync\":null}"), 400).get("field"));
        assertEquals("fieldsAutoSync", TestApi.problem(t.send("PATCH", CONFIGS, token, "{\"fieldsAutoSync\":\"yes\"}"), 400).get("field"));
        TestApi.problem(t.send("PATCH", CONFIGS, token, "{\"organizationDataSync\":\"SOME\"}"), 400);
        TestApi.problem(t.send("PATCH", CONFIGS, token, "{\"fieldsMergeIntersection\":-1}"), 400);
        TestApi.problem(t.send("PATCH", CONFIGS, token, "{\"noSuchConfig\":true,\"customDataSync\":false}"), 400);
        TestApi.problem(t.send("DELETE", CONFIGS, token, null), 405);
        Map<String, Object> after = TestApi.map(t.send("GET", CONFIGS, token, null));
        assertEquals(false, after.get("fieldsAutoSync"));
        assertEquals(true, after.get("customDataSync"), "a refused PATCH stores nothing, not even its valid members");
        // Each owner has its own defaults.
        assertEquals(true, TestApi.map(t.send("GET", CONFIGS, t.ownerToken("other@farm.io"), null)).get("fieldsAutoSync"));
    }

    @Test
    void user_overridesFieldByField_staysFrozenWhenOwnerChanges_404WithoutOverrides() {
        String path = CONFIGS + "/" + user;
        TestApi.problem(t.send("GET", path, token, null), 404);

        HttpResponse<String> created = t.send("POST", path, token, "{\"fieldsAutoSync\":false}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(Map.of("apiOwnerUsername", "o@farm.io", "leafUserId", user, "fieldsAutoSync", false), TestApi.map(created));
        TestApi.problem(t.send("POST", path, token, "{\"customDataSync\":false}"), 409);

        t.send("PATCH", CONFIGS, token, "{\"fieldsAutoSync\":true,\"customDataSync\":false}");
        assertEquals(false, TestApi.map(t.send("GET", path, token, null)).get("fieldsAutoSync"), "frozen");
        assertFalse(TestApi.map(t.send("GET", path, token, null)).containsKey("customDataSync"), "only its own values");

        HttpResponse<String> patched = t.send("PATCH", path, token, "{\"organizationDataSync\":\"SELECTED_ONLY\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("SELECTED_ONLY", TestApi.map(patched).get("organizationDataSync"));
        assertEquals(false, TestApi.map(patched).get("fieldsAutoSync"));

        // null hands a field back to the owner; with none left the user has no configuration.
        assertEquals(204, t.send("PATCH", path, token, "{\"organizationDataSync\":null,\"fieldsAutoSync\":null}").statusCode());
        TestApi.problem(t.send("GET", path, token, null), 404);
        TestApi.problem(t.send("PATCH", path, token, "{\"fieldsAutoSync\":true}"), 404);
        TestApi.problem(t.send("DELETE", path, token, null), 404);

        assertEquals(201, t.send("POST", path, token, "{\"cleanupRules\":{\"wetMass\":[{\"operator\":\"GT\",\"value\":0.0}]}}").statusCode());
        assertEquals(204, t.send("DELETE", path, token, null).statusCode());
        TestApi.problem(t.send("GET", path, token, null), 404);
    }

    @Test
    void user_badInput_isProblemAndStoresNothing_foreignIdsAre404() {
        String path = CONFIGS + "/" + user;
        TestApi.problem(t.send("POST", path, token, "{}"), 400);
        TestApi.problem(t.send("POST", path, token, "{\"fieldsAutoSync\":null}"), 400);
        TestApi.problem(t.send("POST", path, token, "{\"fieldsAutoSync\":true,\"cleanupRules\":[1]}"), 400);
        TestApi.problem(t.send("POST", CONFIGS + "/not-a-uuid", token, "{\"fieldsAutoSync\":true}"), 400);
        TestApi.problem(t.send("GET", path, token, null), 404);

        String other = t.ownerToken("other@farm.io");
        TestApi.problem(t.send("POST", path, other, "{\"fieldsAutoSync\":true}"), 404);
        assertEquals(201, t.send("POST", path, token, "{\"fieldsAutoSync\":true}").statusCode());
        for (String method : List.of("GET", "DELETE")) {
            TestApi.problem(t.send(method, path, other, null), 404);
        }
        TestApi.problem(t.send("PATCH", path, other, "{\"fieldsAutoSync\":false}"), 404);
        TestApi.problem(t.send("GET", CONFIGS + "/" + UUID.randomUUID(), token, null), 404);
        assertEquals(true, TestApi.map(t.send("GET", path, token, null)).get("fieldsAutoSync"));
    }

    /** The one field Granary acts on: the default status of a connected organization. */
    @Test
    void organizationDataSync_selectedOnly_previewsConnectedOrganizations_perUserOverOwner() {
        provider.sees(List.of(new ProviderOrganization("1", "One", true, null)));
        assertEquals(201, t.send("POST", USERS + "/" + user + "/" + OrganizationsTestProvider.SUFFIX, token,
                "{\"apiKey\":\"key-0123456789abcdef\"}").statusCode());
        t.send("POST", USERS + "/" + user + "/" + OrganizationsTestProvider.SUFFIX + "/refresh", token, null);
        String org = USERS + "/" + user + "/" + OrganizationsTestProvider.ID + "/organizations/1";
        assertEquals("SELECTED", TestApi.map(t.send("GET", org, token, null)).get("status"));

        t.send("PATCH", CONFIGS, token, "{\"organizationDataSync\":\"SELECTED_ONLY\"}");
        assertEquals("PREVIEW", TestApi.map(t.send("GET", org, token, null)).get("status"));

        t.send("POST", CONFIGS + "/" + user, token, "{\"organizationDataSync\":\"ALL\"}");
        assertEquals("SELECTED", TestApi.map(t.send("GET", org, token, null)).get("status"), "the user's value wins");
    }
}
