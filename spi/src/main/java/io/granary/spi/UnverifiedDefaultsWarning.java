package io.granary.spi;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * For providers whose defaults no public source confirms ({@link ProviderDescriptor#defaultsVerified()} false):
 * the first time such a provider answers in a way its adapter does not recognise, says once, plainly, that the
 * defaults may be wrong and which settings override them. A wrong guessed URL otherwise shows only as a credential
 * that stays TEMPORARILY_UNAVAILABLE, which an operator cannot tell from an outage.
 *
 * <p>One instance per adapter; thread-safe. Never logs secrets: the URL is logged without its query string.
 */
public final class UnverifiedDefaultsWarning {

    private static final System.Logger LOG = System.getLogger(UnverifiedDefaultsWarning.class.getName());

    private final AtomicBoolean warned = new AtomicBoolean();
    private final Consumer<String> sink;

    public UnverifiedDefaultsWarning() {
        this(message -> LOG.log(System.Logger.Level.WARNING, message));
    }

    /** Sends the warning to {@code sink} instead of the log (for tests). */
    public UnverifiedDefaultsWarning(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Looks at one answer the adapter received from {@code url}; warns if the defaults are unverified and the answer unrecognised. */
    public void answered(ProviderDescriptor descriptor, RefreshContext context, String url, ProviderResponse answer) {
        if (!ProviderAnswers.recognised(answer)) {
            warn(descriptor, context, "answered HTTP " + answer.status() + " from " + withoutQuery(url)
                    + ", an answer Granary's adapter does not recognise");
        }
    }

    /** The adapter judged the answer from {@code url} unrecognisable by its own rules (a provider-specific error format). */
    public void unrecognised(ProviderDescriptor descriptor, RefreshContext context, String url, ProviderResponse answer) {
        warn(descriptor, context, "answered HTTP " + answer.status() + " from " + withoutQuery(url)
                + ", an answer Granary's adapter does not recognise");
    }

    /** The adapter could not read an answer from {@code url} (not JSON, a field missing). */
    public void unreadable(ProviderDescriptor descriptor, RefreshContext context, String url) {
        warn(descriptor, context, "sent an answer Granary's adapter cannot read from " + withoutQuery(url));
    }

    private void warn(ProviderDescriptor descriptor, RefreshContext context, String what) {
        if (descriptor.defaultsVerified() || !warned.compareAndSet(false, true)) {
            return;
        }
        List<String> settings = descriptor.endpoints().stream()
                .filter(endpoint -> endpoint.environment() == context.environment())
                .map(endpoint -> descriptor.endpointSetting(endpoint.kind(), endpoint.environment()))
                .toList();
        sink.accept(descriptor.displayName() + " " + what + ". Its default endpoints are not confirmed by any public source"
                + " and may be wrong (" + descriptor.unverifiedDefaults() + "). Set " + String.join(", ", settings)
                + " to the values " + descriptor.displayName() + " gave you. (Logged once.)");
    }

    private static String withoutQuery(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException notAUri) {
            return "(unparseable URL)";
        }
    }
}
