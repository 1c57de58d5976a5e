package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.core.testing.OrganizationsTestProvider;
import io.granary.spi.ProviderOrganization;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leaf's provider organization routes over what a refresh stored (https://docs.withleaf.io/docs/provider_organizations).
 * The test provider reports organizations as the John Deere provider does after paging {@code /organizations}.
 */
final class OrganizationRoutesTest {

    private static final String PROVIDER = OrganizationsTestProvider.ID;
    // Leaf's documented managementUri shapes: connections-dialog once connected, select-organizations before.
    private static final String CONNECTED_URI = "https://connections.deere.com/connections/clientKey/connections-dialog?orgId=";
    private static final String SELECT_URI = "https://connections.deere.com/connections/clientKey/select-organizations";

    private final OrganizationsTestProvider provider = new OrganizationsTestProvider();
    private final TestApi t = TestApi.withProviders(provider);
    private final String token = t.ownerToken("o@farm.io");
    private final String user = t.createUser(token, "Ann", "ann@farm.io");

    @AfterEach
    void stop() {
        t.close();
    }

    /** Attaches a credential and runs its first refresh, which stores what the provider reports. */
    private void attachAndRefresh(String owner, String leafUser) {
        attach(owner, leafUser);
        HttpResponse<String> refreshed = t.send("POST", USERS + "/" + leafUser + "/" + OrganizationsTestProvider.SUFFIX + "/refresh", owner, null);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
    }

    /** Stored PROCESSING: no scheduler runs in these tests, so nothing refreshes it until asked. */
    private void attach(String owner, String leafUser) {
        HttpResponse<String> created = t.send("POST", USERS + "/" + leafUser + "/" + OrganizationsTestProvider.SUFFIX, owner,
                "{\"apiKey\":\"key-0123456789abcdef\"}");
        assertEquals(201, created.statusCode(), created.body());
    }

    private static ProviderOrganization connected(String id, String name) {
        return new ProviderOrganization(id, name, true, CONNECTED_URI + id);
    }

    private String selection() {
        return USERS + "/" + user + "/" + PROVIDER + "/organizations";
    }

    @Test
    void byConnection_splitsConnectedFromNot_inLeafsShape_servedFromStorage() {
        provider.sees(List.of(connected("520674381", "Leaf Farms"), new ProviderOrganization("123321", "Agriculture Farm", false, SELECT_URI)));
        attachAndRefresh(token, user);
        int refreshes = provider.refreshes();

        HttpResponse<String> answer = t.send("GET", USERS + "/" + user + "/organizations/" + PROVIDER, token, null);

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(Map.of(
                "connectedOrganizations", List.of(Map.of("id", "520674381", "name", "Leaf Farms", "managementUri", CONNECTED_URI + "520674381")),
                "notConnectedOrganizations", List.of(Map.of("id", "123321", "name", "Agriculture Farm", "managementUri", SELECT_URI))),
                TestApi.map(answer));
        assertEquals(refreshes, provider.refreshes(), "served from storage, no provider call");
        // Trailing slash, as every route.
        assertEquals(200, t.send("GET", USERS + "/" + user + "/organizations/" + PROVIDER + "/", token, null).statusCode());
    }

    @Test
    void selection_listsPaged_getsOne_choosesStatus_blockedOnlyFromConnection() {
        provider.sees(List.of(connected("1", "One"), connected("2", "Two"), new ProviderOrganization("3", "Three", false, SELECT_URI)));
        attachAndRefresh(token, user);

        HttpResponse<String> page = t.send("GET", selection() + "?page=0&size=2", token, null);
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("3", page.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(List.of(
                Map.of("providerOrgId", "1", "providerOrgName", "One", "status", "SELECTED", "managementUri", CONNECTED_URI + "1"),
                Map.of("providerOrgId", "2", "providerOrgName", "Two", "status", "SELECTED", "managementUri", CONNECTED_URI + "2")),
                TestApi.list(page));
        assertEquals("BLOCKED", TestApi.list(t.send("GET", selection() + "?page=1&size=2", token, null)).get(0).get("status"));

        HttpResponse<String> chosen = t.send("PATCH", selection() + "/2/PREVIEW", token, null);
        assertEquals(200, chosen.statusCode(), chosen.body());
        assertEquals("PREVIEW", TestApi.map(chosen).get("status"));
        assertEquals("PREVIEW", TestApi.map(t.send("GET", selection() + "/2", token, null)).get("status"));

        assertEquals("status", TestApi.problem(t.send("PATCH", selection() + "/2/BLOCKED", token, null), 400).get("field"));
        TestApi.problem(t.send("PATCH", selection() + "/2/selected", token, null), 400);
        TestApi.problem(t.send("PATCH", selection() + "/3/SELECTED", token, null), 409);
        TestApi.problem(t.send("GET", selection() + "/99", token, null), 404);
        TestApi.problem(t.send("PATCH", selection() + "/99/SELECTED", token, null), 404);
        TestApi.problem(t.send("GET", selection() + "?size=0", token, null), 400);
        assertEquals("PREVIEW", TestApi.map(t.send("GET", selection() + "/2", token, null)).get("status"), "nothing stored by refusals");
        assertEquals("BLOCKED", TestApi.map(t.send("GET", selection() + "/3", token, null)).get("status"));
    }

    @Test
    void sync_refreshesNow_newListKeepsChoices_connectingUnblocks() {
        provider.sees(List.of(connected("1", "One"), new ProviderOrganization("2", "Two", false, SELECT_URI)));
        attachAndRefresh(token, user);
        assertEquals(200, t.send("PATCH", selection() + "/1/PREVIEW", token, null).statusCode());
        int before = provider.refreshes();

        // The grower connects "Two" at John Deere; "Three" appears.
        provider.sees(List.of(connected("1", "One"), connected("2", "Two"), connected("3", "Three")));
        HttpResponse<String> synced = t.send("POST", selection() + "/sync", token, null);

        assertEquals(200, synced.statusCode(), synced.body());
        assertEquals(before + 1, provider.refreshes());
        assertEquals(List.of("PREVIEW", "SELECTED", "SELECTED"), TestApi.list(synced).stream().map(o -> o.get("status")).toList());

        provider.sees(List.of(connected("3", "Three")));
        t.send("POST", selection() + "/sync", token, null);
        assertEquals(List.of("3"), TestApi.list(t.send("GET", selection(), token, null)).stream().map(o -> o.get("providerOrgId")).toList());
    }

    @Test
    void foreignOwnersIds_unknownProvider_noCredential_answer404() {
        provider.sees(List.of(connected("1", "One")));
        attachAndRefresh(token, user);
        String other = t.ownerToken("other@farm.io");
        for (String path : List.of(USERS + "/" + user + "/organizations/" + PROVIDER, selection(), selection() + "/1")) {
            TestApi.problem(t.send("GET", path, other, null), 404);
        }
        TestApi.problem(t.send("PATCH", selection() + "/1/PREVIEW", other, null), 404);
        TestApi.problem(t.send("POST", selection() + "/sync", other, null), 404);
        assertEquals("SELECTED", TestApi.map(t.send("GET", selection() + "/1", token, null)).get("status"));

        TestApi.problem(t.send("GET", USERS + "/" + user + "/organizations/Nobody", token, null), 404);
        String bob = t.createUser(token, "Bob", "bob@farm.io");
        TestApi.problem(t.send("GET", USERS + "/" + bob + "/organizations/" + PROVIDER, token, null), 404);
        TestApi.problem(t.send("GET", USERS + "/" + UUID.randomUUID() + "/" + PROVIDER + "/organizations", token, null), 404);
        TestApi.problem(t.send("GET", USERS + "/not-a-uuid/" + PROVIDER + "/organizations", token, null), 400);
    }

    @Test
    void deletingTheCredential_dropsItsOrganizations() {
        provider.sees(List.of(connected("1", "One")));
        attachAndRefresh(token, user);
        assertEquals(1, TestApi.list(t.send("GET", selection(), token, null)).size());
        assertEquals(204, t.send("DELETE", USERS + "/" + user + "/" + OrganizationsTestProvider.SUFFIX, token, null).statusCode());
        TestApi.problem(t.send("GET", selection(), token, null), 404);

        attach(token, user); // not refreshed yet: it has seen nothing, and inherits nothing from the deleted one
        assertEquals(List.of(), TestApi.list(t.send("GET", selection(), token, null)));
    }
}
