package io.granary.adapter.http;

import java.util.List;
import java.util.Map;

/**
 * Routes served for a part of Granary that must not depend on this adapter, such as the simulated Sandbox
 * provider's authorization server: it sees a plain {@link Request} and answers a page (rendered in the adapter's
 * layout, stylesheet and security headers), JSON, a redirect or a refusal (problem+json). The app adapts the part's
 * own types to these, so the dependency points from the app to both, never from this adapter to a provider.
 */
public interface MountedPages {

    /** Each route as {@code "METHOD /path"}, e.g. {@code "GET /sandbox/authorize"}. */
    List<String> routes();

    Answer handle(Request request);

    /**
     * @param form          the form body of a POST (at most 8 KiB), or empty
     * @param authorization the {@code Authorization} header, or null
     */
    record Request(String method, String path, Map<String, String> query, Map<String, String> form, String authorization) {
    }

    sealed interface Answer permits Page, JsonAnswer, Redirect, Refusal {
    }

    /** {@code html} is the page body, placed inside the adapter's layout. */
    record Page(int status, String title, String html) implements Answer {
    }

    record JsonAnswer(int status, Map<String, Object> body) implements Answer {
    }

    /** A 303 See Other. */
    record Redirect(String location) implements Answer {
    }

    /** Answered as {@code application/problem+json}. */
    record Refusal(int status, String detail) implements Answer {
    }
}
