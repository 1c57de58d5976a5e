package io.granary.core.service;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether Granary may POST to a webhook URL, so that an API owner cannot aim alerts at loopback, the
 * private network or a cloud metadata service (SSRF). The host is resolved and every address it resolves to must
 * be public; one non-public address refuses the whole URL, since the HTTP client may connect to any of them.
 * Asked at registration, and again before every delivery attempt, because DNS may point elsewhere by then.
 * <p>
 * Default-deny: an IPv4 address is public unless it lies in a special-purpose range (IANA registry), an IPv6
 * address only if it is global unicast (2000::/3) and outside the special ranges there. Addresses that carry an
 * IPv4 address inside (IPv4-mapped, NAT64, 6to4) are judged by that IPv4 address.
 */
public final class WebhookDestinationGuard {

    /** All addresses of a host name or IP literal; the JDK's resolver in production, a fake in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<Range> NON_PUBLIC_IPV4 = List.of(
            Range.of("0.0.0.0/8", "unspecified"), // "this network"; 0.0.0.0 reaches the local host on Linux
            Range.of("10.0.0.0/8", "private"),
            Range.of("100.64.0.0/10", "carrier-grade NAT"),
            Range.of("127.0.0.0/8", "loopback"),
            Range.of("169.254.0.0/16", "link-local"), // holds the cloud metadata service, 169.254.169.254
            Range.of("172.16.0.0/12", "private"),
            Range.of("192.0.0.0/24", "reserved"), // IETF protocol assignments
            Range.of("192.0.2.0/24", "reserved"), // documentation
            Range.of("192.88.99.0/24", "reserved"), // deprecated 6to4 relays
            Range.of("192.168.0.0/16", "private"),
            Range.of("198.18.0.0/15", "reserved"), // benchmarking
            Range.of("198.51.100.0/24", "reserved"), // documentation
            Range.of("203.0.113.0/24", "reserved"), // documentation
            Range.of("224.0.0.0/4", "multicast"),
            Range.of("240.0.0.0/4", "reserved")); // incl. broadcast 255.255.255.255

    // Checked in order; anything outside 2000::/3 that none of these names is "reserved".
    private static final List<Range> NON_PUBLIC_IPV6 = List.of(
            Range.of("::/128", "unspecified"),
            Range.of("::1/128", "loopback"),
            Range.of("fc00::/7", "private"), // unique local
            Range.of("fec0::/10", "private"), // deprecated site-local
            Range.of("fe80::/10", "link-local"),
            Range.of("ff00::/8", "multicast"),
            Range.of("2001::/23", "reserved"), // IETF protocol assignments, incl. Teredo 2001::/32
            Range.of("2001:db8::/32", "reserved"), // documentation
            Range.of("3fff::/20", "reserved")); // documentation
    private static final Range GLOBAL_UNICAST_IPV6 = Range.of("2000::/3", "global");
    private static final Range IPV4_MAPPED = Range.of("::ffff:0:0/96", "IPv4-mapped");
    private static final Range NAT64 = Range.of("64:ff9b::/96", "NAT64");
    private static final Range SIX_TO_FOUR = Range.of("2002::/16", "6to4");

    private final Resolver resolver; // null when private destinations are allowed: nothing to resolve

    private WebhookDestinationGuard(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The default: public destinations only, resolved with the JDK's resolver (the one the HTTP client uses). */
    public static WebhookDestinationGuard publicOnly() {
        return new WebhookDestinationGuard(InetAddress::getAllByName);
    }

    /** Public destinations only, resolved by {@code resolver} (tests fake DNS with it, rebinding included). */
    public static WebhookDestinationGuard publicOnly(Resolver resolver) {
        return new WebhookDestinationGuard(resolver);
    }

    /** No check at all: for receivers on the operator's own network, and for local development. */
    public static WebhookDestinationGuard allowingPrivate() {
        return new WebhookDestinationGuard(null);
    }

    /**
     * Why Granary must not call {@code url}, or empty if it may. The reason names neither the host nor its
     * addresses: it is shown to API owners and stored in failed calls.
     */
    public Optional<String> refusal(URI url) {
        if (resolver == null) {
            return Optional.empty();
        }
        String host = url.getHost();
        if (host == null) {
            return Optional.of("the URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("its host could not be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            return Optional.of("its host could not be resolved");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = nonPublicKind(address);
            if (kind.isPresent()) {
                return Optional.of("its host resolves to a non-public address (" + kind.get() + ")");
            }
        }
        return Optional.empty();
    }

    /** The kind of range that makes {@code address} non-public ("loopback", "private", ...), or empty if it is public. */
    static Optional<String> nonPublicKind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return kindOf(bytes, NON_PUBLIC_IPV4);
        }
        // The JDK turns most IPv4-mapped forms into Inet4Address, but not all (Inet6Address.getByAddress keeps them).
        if (IPV4_MAPPED.contains(bytes) || NAT64.contains(bytes)) {
            return kindOf(Arrays.copyOfRange(bytes, 12, 16), NON_PUBLIC_IPV4);
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return kindOf(Arrays.copyOfRange(bytes, 2, 6), NON_PUBLIC_IPV4);
        }
        Optional<String> kind = kindOf(bytes, NON_PUBLIC_IPV6);
        if (kind.isPresent() || GLOBAL_UNICAST_IPV6.contains(bytes)) {
            return kind;
        }
        return Optional.of("reserved");
    }

    private static Optional<String> kindOf(byte[] address, List<Range> ranges) {
        return ranges.stream().filter(r -> r.contains(address)).map(Range::kind).findFirst();
    }

    /** A CIDR block. */
    private record Range(byte[] prefix, int bits, String kind) {

        /** Parses "address/bits"; the address is a literal, so no DNS is asked. */
        static Range of(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            String literal = cidr.substring(0, slash);
            byte[] prefix;
            try {
                prefix = InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP literal: " + literal, e);
            }
            if (prefix.length == 4 && literal.contains(":")) {
                // "::ffff:0:0" comes back as an IPv4 address; rebuild its 16 bytes.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(prefix, 0, mapped, 12, 4);
                prefix = mapped;
            }
            return new Range(prefix, Integer.parseInt(cidr.substring(slash + 1)), kind);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
