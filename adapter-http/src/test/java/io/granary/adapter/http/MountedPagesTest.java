package io.granary.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A part outside the adapter (the Sandbox's server, in production) served through {@link MountedPages}. */
final class MountedPagesTest {

    /** Answers by path, and remembers the last request it was handed. */
    private static final class Recorder implements MountedPages {
        final AtomicReference<Request> last = new AtomicReference<>();

        @Override
        public List<String> routes() {
            return List.of("GET /mounted/page", "POST /mounted/json", "GET /mounted/away", "GET /mounted/refused");
        }

        @Override
        public Answer handle(Request request) {
            last.set(request);
            return switch (request.path()) {
                case "/mounted/page" -> new Page(200, "A <title>", "<main>hello " + request.query().get("name") + "</main>");
                case "/mounted/json" -> new JsonAnswer(201, Map.of("got", request.form().get("a")));
                case "/mounted/away" -> new Redirect("/mounted/page?name=x");
                default -> new Refusal(400, "no, thanks");
            };
        }
    }

    private final Recorder pages = new Recorder();

    @Test
    void page_isRenderedInTheAdaptersLayout_withItsSecurityHeaders() {
        try (TestApi t = TestApi.configured(b -> b.mount(pages))) {
            HttpResponse<String> answer = t.send("GET", "/mounted/page?name=Ada", null, null);

            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().contains("<title>A &lt;title&gt;</title>") && answer.body().contains("<main>hello Ada</main>"), answer.body());
            assertTrue(answer.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
            assertEquals(Map.of("name", "Ada"), pages.last.get().query());
        }
    }

    @Test
    void json_formAndAuthorization_reachThePart() {
        try (TestApi t = TestApi.configured(b -> b.mount(pages))) {
            HttpResponse<String> answer = t.send(t.request("POST", "/mounted/json", null, "a=1%202&b=c")
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic eDp5"));

            assertEquals(201, answer.statusCode());
            assertEquals(Map.of("got", "1 2"), TestApi.map(answer));
            assertEquals(Map.of("a", "1 2", "b", "c"), pages.last.get().form());
            assertEquals("Basic eDp5", pages.last.get().authorization());
        }
    }

    @Test
    void redirect_isASeeOther_andARefusalIsAProblem() {
        try (TestApi t = TestApi.configured(b -> b.mount(pages))) {
            HttpResponse<String> away = t.send("GET", "/mounted/away", null, null);
            assertEquals(303, away.statusCode());
            assertEquals("/mounted/page?name=x", away.headers().firstValue("Location").orElseThrow());

            assertEquals("no, thanks", TestApi.problem(t.send("GET", "/mounted/refused", null, null), 400).get("detail"));
        }
    }

    @Test
    void withoutAMount_theRoutesDoNotExist() {
        try (TestApi t = TestApi.start()) {
            TestApi.problem(t.send("GET", "/mounted/page", null, null), 404);
        }
    }

}
