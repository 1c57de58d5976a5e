package io.granary.core.service;

import io.granary.spi.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is stored or logged, in two layers: by name (JSON members, form
 * parameters and headers whose names say token, secret, key, password, signature, session or authorization)
 * and by value (every secret value the credential is known to hold, wherever it appears).
 */
public final class SecretRedactor {

    public static final String REDACTED = "[REDACTED]";

    private static final String SECRET_NAME = "[A-Za-z0-9_-]*(?:token|secret|password|passwd|key|signature|session|authorization|cookie|code)[A-Za-z0-9_-]*";
    private static final Pattern JSON_MEMBER = Pattern.compile("(\"(?i:" + SECRET_NAME + ")\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    // A form value is URL-encoded, so it never holds a quote or backslash: stopping there keeps JSON around it intact.
    private static final Pattern FORM_PARAM = Pattern.compile("((?:^|[&?])(?i:" + SECRET_NAME + ")=)[^&\\s\"\\\\]*");
    /**
     * HTTP credentials wherever they appear (a provider echoing our request, a header dump in an error body). Basic
     * carries the client secret, merely base64-encoded. Credentials need 8+ characters and one that is not a
     * lower-case letter, so prose such as "Basic authentication" survives.
     */
    private static final Pattern AUTH_SCHEME = Pattern.compile(
            "(?i:\\b(basic|bearer|digest)(\\s+))(?=[A-Za-z0-9._~+/-]*[A-Z0-9._~+/-])[A-Za-z0-9._~+/-]{8,}=*");
    private static final Pattern NAME = Pattern.compile("(?i:" + SECRET_NAME + ")|(?i:x-ss-.*)|(?i:ocp-apim-.*)");
    private static final int MIN_VALUE_LENGTH = 4;

    private final List<String> knownValues;

    private SecretRedactor(Collection<String> knownValues) {
        this.knownValues = knownValues.stream()
                .filter(v -> v != null && v.length() >= MIN_VALUE_LENGTH)
                // Also as a form body, a JSON string or an escaped-slash JSON string would carry it.
                .flatMap(v -> java.util.stream.Stream.of(v, URLEncoder.encode(v, StandardCharsets.UTF_8), jsonEscaped(v),
                        jsonEscaped(v).replace("/", "\\/")))
                .distinct()
                // Longest first, so a secret containing another is removed whole.
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public static SecretRedactor knowing(Collection<String> secretValues) {
        return new SecretRedactor(secretValues);
    }

    public SecretRedactor alsoKnowing(Collection<String> moreValues) {
        List<String> all = new java.util.ArrayList<>(knownValues);
        all.addAll(moreValues);
        return new SecretRedactor(all);
    }

    /** True if a header (or parameter) of this name carries a secret. */
    public static boolean isSecretName(String name) {
        return NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String value : knownValues) {
            out = out.replace(value, REDACTED);
        }
        out = JSON_MEMBER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"" + REDACTED + "\""));
        out = FORM_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        out = AUTH_SCHEME.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + REDACTED));
        return out;
    }

    /** The value as it appears inside a JSON string, without the quotes: {@link Json}'s own escaping. */
    private static String jsonEscaped(String value) {
        String quoted = Json.write(value);
        return quoted.substring(1, quoted.length() - 1);
    }

    public String redactHeader(String name, String value) {
        return isSecretName(name) ? REDACTED : redact(value);
    }
}
