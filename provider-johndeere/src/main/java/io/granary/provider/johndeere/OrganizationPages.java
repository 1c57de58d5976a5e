package io.granary.provider.johndeere;

import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderOrganization;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads John Deere's paged {@code /organizations} answers: {@code values} holds the organizations, the page's own
 * {@code links} may carry a {@code nextPage} link, and an organization that carries a {@code connections} link has
 * not yet been shared with the app (the link is where the grower shares it).
 *
 * <p>Sources: the axiom list shape {@code {"total","values":[...],"links":[{"rel":"nextPage","uri"}]}} and
 * "always use links to discover URLs" (CoreyFransen08/acreblitz-open
 * {@code packages/platform-integrations/docs/jd-api-reference/README.md}, a public wrapper's notes on the JD API);
 * the {@code connections} link meaning "organization access not granted yet": John Deere's developer documentation
 * as the project's provider reference records it (developer.deere.com, not in a stored copy we could read).
 */
final class OrganizationPages {

    /** An organizations list far beyond any grower's (100 per page by default); stops a provider loop. */
    static final int MAX_PAGES = 50;

    private OrganizationPages() {
    }

    /** The organizations listed on one page. */
    static List<ProviderOrganization> organizations(Map<String, Object> page) {
        List<ProviderOrganization> found = new ArrayList<>();
        if (!(page.get("values") instanceof List<?> values)) {
            throw new MalformedAnswerException("John Deere organizations page has no values array");
        }
        for (Object value : values) {
            if (value instanceof Map<?, ?> organization && organization.get("id") != null) {
                String id = String.valueOf(organization.get("id"));
                String name = organization.get("name") instanceof String n ? n : null;
                String connect = link(organization, "connections");
                found.add(new ProviderOrganization(id, name, connect == null, connect));
            }
        }
        return found;
    }

    /**
     * The page's {@code nextPage} link, or null on the last page. The link must stay on the API's scheme, host and
     * port: the bearer token is sent to it, and a link elsewhere is not an answer we trust.
     */
    static String nextPage(Map<String, Object> page, String apiUrl) {
        String next = link(page, "nextPage");
        if (next == null) {
            return null;
        }
        URI api = URI.create(apiUrl);
        URI uri;
        try {
            uri = URI.create(next);
        } catch (IllegalArgumentException e) {
            throw new MalformedAnswerException("John Deere nextPage link is not a URI");
        }
        if (!api.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                || !api.getHost().equalsIgnoreCase(String.valueOf(uri.getHost())) || api.getPort() != uri.getPort()) {
            throw new MalformedAnswerException("John Deere nextPage link leaves the API host");
        }
        return next;
    }

    private static String link(Map<?, ?> object, String rel) {
        if (object.get("links") instanceof List<?> links) {
            for (Object link : links) {
                if (link instanceof Map<?, ?> l && rel.equals(l.get("rel")) && l.get("uri") instanceof String uri && !uri.isBlank()) {
                    return uri;
                }
            }
        }
        return null;
    }
}
