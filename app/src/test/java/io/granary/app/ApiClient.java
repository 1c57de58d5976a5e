package io.granary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A Leaf-style API client: what existing client code does, with only the base URL changed. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private String token;

    ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String body() {
            return raw.body();
        }
    }

    ApiClient login(String username, String password) throws Exception {
        Answer answer = post("/api/authenticate", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"rememberMe\":\"true\"}");
        if (answer.status() != 200) {
            throw new AssertionError("login failed: " + answer.status() + " " + answer.body());
        }
        token = answer.json().get("id_token").asText();
        return this;
    }

    String token() {
        return token;
    }

    Answer get(String path) throws Exception {
        return send("GET", path, null, "application/json");
    }

    Answer post(String path, String json) throws Exception {
        return send("POST", path, json, "application/json");
    }

    Answer put(String path, String json) throws Exception {
        return send("PUT", path, json, "application/json");
    }

    Answer patch(String path, String json) throws Exception {
        return send("PATCH", path, json, "application/json");
    }

    Answer delete(String path) throws Exception {
        return send("DELETE", path, null, "application/json");
    }

    Answer send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response);
    }
}
