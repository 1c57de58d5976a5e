package io.granary.spi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the host needs to know about a provider to route, validate and store its credentials.
 * Build one with {@link #builder(String)}; {@link #validate()} runs at start-up and names what is wrong.
 *
 * <p>{@code unverifiedDefaults} is null when a public source confirms the provider's default endpoints and wire
 * format; otherwise it says, for operators, what no source confirms (the host lists it and warns once when such a
 * provider answers in a way its adapter does not recognise).
 */
public record ProviderDescriptor(
        String id,
        String displayName,
        String endpointSuffix,
        AuthType authType,
        Set<Environment> environments,
        Environment defaultEnvironment,
        List<CredentialField> fields,
        List<ProviderEndpoint> endpoints,
        String unverifiedDefaults) {

    /** The body field that selects the environment; every provider accepts it. */
    public static final String ENVIRONMENT_FIELD = "clientEnvironment";

    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9]{1,39}");
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*-credentials");

    public ProviderDescriptor {
        environments = environments == null ? Set.of() : Set.copyOf(environments);
        fields = fields == null ? List.of() : List.copyOf(fields);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** A descriptor whose defaults are verified (kept so that code written before {@code unverifiedDefaults} compiles). */
    public ProviderDescriptor(String id, String displayName, String endpointSuffix, AuthType authType,
                              Set<Environment> environments, Environment defaultEnvironment,
                              List<CredentialField> fields, List<ProviderEndpoint> endpoints) {
        this(id, displayName, endpointSuffix, authType, environments, defaultEnvironment, fields, endpoints, null);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * Checks the descriptor and returns it.
     *
     * @throws IllegalArgumentException naming the provider and the problem
     */
    public ProviderDescriptor validate() {
        List<String> problems = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("id must be 2-40 letters or digits, starting with a letter");
        }
        if (displayName == null || displayName.isBlank()) {
            problems.add("displayName is missing");
        }
        if (endpointSuffix == null || !SUFFIX.matcher(endpointSuffix).matches()) {
            problems.add("endpointSuffix must look like 'name-credentials' in lower-case kebab case, was '" + endpointSuffix + "'");
        }
        if (authType == null) {
            problems.add("authType is missing");
        }
        if (environments.isEmpty()) {
            problems.add("no supported environments");
        }
        if (defaultEnvironment == null || !environments.contains(defaultEnvironment)) {
            problems.add("defaultEnvironment " + defaultEnvironment + " is not among " + environments);
        }
        if (fields.isEmpty()) {
            problems.add("no credential fields");
        }
        for (CredentialField.Role role : List.of(CredentialField.Role.CLIENT_ID, CredentialField.Role.CLIENT_SECRET)) {
            if (fields.stream().filter(f -> f.role() == role).count() > 1) {
                problems.add("more than one field is marked " + role);
            }
        }
        Set<String> names = new HashSet<>();
        for (CredentialField field : fields) {
            if (!names.add(field.name())) {
                problems.add("field '" + field.name() + "' is declared twice");
            }
            if (field.name().equals(ENVIRONMENT_FIELD)) {
                problems.add("'" + ENVIRONMENT_FIELD + "' is handled by the host and must not be declared as a field");
            }
        }
        Set<String> endpointKeys = new HashSet<>();
        for (ProviderEndpoint endpoint : endpoints) {
            if (!environments.contains(endpoint.environment())) {
                problems.add(endpoint.kind() + " given for unsupported environment " + endpoint.environment());
            }
            if (!endpointKeys.add(endpoint.kind() + "/" + endpoint.environment())) {
                problems.add(endpoint.kind() + " for " + endpoint.environment() + " is declared twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("provider '" + id + "' has an invalid descriptor: " + String.join("; ", problems));
        }
        return this;
    }

    /** True when public sources confirm the default endpoints; false for providers whose defaults are guesses. */
    public boolean defaultsVerified() {
        return unverifiedDefaults == null;
    }

    public Optional<CredentialField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The field holding the OAuth client id, as the provider marked it ({@link CredentialField#asClientId()}). */
    public Optional<String> clientIdField() {
        return fieldFor(CredentialField.Role.CLIENT_ID);
    }

    /** The field holding the OAuth client secret, if the client has one ({@link CredentialField#asClientSecret()}). */
    public Optional<String> clientSecretField() {
        return fieldFor(CredentialField.Role.CLIENT_SECRET);
    }

    private Optional<String> fieldFor(CredentialField.Role role) {
        return fields.stream().filter(f -> f.role() == role).map(CredentialField::name).findFirst();
    }

    public Optional<ProviderEndpoint> endpoint(EndpointKind kind, Environment environment) {
        return endpoints.stream().filter(e -> e.kind() == kind && e.environment() == environment).findFirst();
    }

    /** The suffix without {@code -credentials}, in upper snake case: {@code ag-leader-credentials} -> {@code AG_LEADER}. */
    public String configKey() {
        return endpointSuffix.substring(0, endpointSuffix.length() - "-credentials".length())
                .replace('-', '_')
                .toUpperCase(Locale.ROOT);
    }

    /** The suffix without {@code -credentials}: {@code john-deere}, the path segment of per-provider helper routes. */
    public String slug() {
        return endpointSuffix.substring(0, endpointSuffix.length() - "-credentials".length());
    }

    /** The environment variable that overrides one endpoint. */
    public String endpointSetting(EndpointKind kind, Environment environment) {
        return "GRANARY_PROVIDER_" + configKey() + "_" + environment + "_" + kind;
    }

    public static final class Builder {
        private final String id;
        private String displayName;
        private String endpointSuffix;
        private AuthType authType;
        private final Set<Environment> environments = EnumSet.noneOf(Environment.class);
        private Environment defaultEnvironment;
        private final List<CredentialField> fields = new ArrayList<>();
        private final List<ProviderEndpoint> endpoints = new ArrayList<>();
        private String unverifiedDefaults;

        private Builder(String id) {
            this.id = id;
        }

        public Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        public Builder endpointSuffix(String suffix) {
            this.endpointSuffix = suffix;
            return this;
        }

        public Builder authType(AuthType type) {
            this.authType = type;
            return this;
        }

        /** Supported environments; the first one is the default unless {@link #defaultEnvironment} says otherwise. */
        public Builder environments(Environment first, Environment... more) {
            environments.add(first);
            environments.addAll(List.of(more));
            if (defaultEnvironment == null) {
                defaultEnvironment = first;
            }
            return this;
        }

        public Builder defaultEnvironment(Environment environment) {
            this.defaultEnvironment = environment;
            return this;
        }

        public Builder fields(CredentialField... credentialFields) {
            fields.addAll(List.of(credentialFields));
            return this;
        }

        public Builder endpoint(EndpointKind kind, Environment environment, String defaultUrl) {
            endpoints.add(new ProviderEndpoint(kind, environment, defaultUrl));
            return this;
        }

        /** Marks the defaults as unconfirmed by any public source, saying what is assumed. */
        public Builder unverifiedDefaults(String whatIsAssumed) {
            this.unverifiedDefaults = whatIsAssumed;
            return this;
        }

        public ProviderDescriptor build() {
            return new ProviderDescriptor(id, displayName, endpointSuffix, authType, environments,
                    defaultEnvironment, fields, endpoints, unverifiedDefaults).validate();
        }
    }
}
