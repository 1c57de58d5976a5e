package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal addresses only: this machine has no internet, and a test must not depend on public DNS anyway. */
final class WebhookDestinationGuardTest {

    private final WebhookDestinationGuard guard = WebhookDestinationGuard.publicOnly();

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // an IP literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "0.0.0.0, unspecified",
            "0.1.2.3, unspecified",
            "10.0.0.1, private",
            "10.255.255.255, private",
            "100.64.0.1, carrier-grade NAT",
            "100.127.255.254, carrier-grade NAT",
            "127.0.0.1, loopback",
            "127.255.255.254, loopback",
            "169.254.169.254, link-local",
            "169.254.0.1, link-local",
            "172.16.0.1, private",
            "172.31.255.255, private",
            "192.168.1.1, private",
            "192.0.0.8, reserved",
            "192.0.2.1, reserved",
            "198.18.0.1, reserved",
            "198.51.100.7, reserved",
            "203.0.113.9, reserved",
            "224.0.0.1, multicast",
            "239.255.255.250, multicast",
            "240.0.0.1, reserved",
            "255.255.255.255, reserved",
            "::, unspecified",
            "::1, loopback",
            "fc00::1, private",
            "fd12:3456:789a::1, private",
            "fec0::1, private",
            "fe80::1, link-local",
            "febf:ffff::1, link-local",
            "ff02::1, multicast",
            "ff0e::1, multicast",
            "2001:db8::1, reserved",
            "2001:0:4136:e378::1, reserved", // Teredo
            "100::1, reserved", // discard-only
            "::127.0.0.1, reserved", // deprecated IPv4-compatible
            "64:ff9b:1::1, reserved", // local-use NAT64
            "::ffff:127.0.0.1, loopback", // IPv4-mapped: the JDK hands these back as IPv4 addresses
            "::ffff:169.254.169.254, link-local",
            "::ffff:10.1.2.3, private",
            "::ffff:0.0.0.0, unspecified",
            "64:ff9b::7f00:1, loopback", // NAT64 of 127.0.0.1
            "64:ff9b::a9fe:a9fe, link-local", // NAT64 of 169.254.169.254
            "2002:c0a8:0101::1, private", // 6to4 of 192.168.1.1
            "2002:7f00:1::1, loopback", // 6to4 of 127.0.0.1
    })
    void nonPublicKind_ofSpecialPurposeAddress_namesItsRange(String ip, String kind) {
        assertEquals(Optional.of(kind), WebhookDestinationGuard.nonPublicKind(literal(ip)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "93.184.216.34", "8.8.8.8", "9.255.255.255", "11.0.0.1", "100.63.255.255",
            "100.128.0.1", "126.255.255.255", "128.0.0.1", "169.253.255.255", "172.15.255.255", "172.32.0.1",
            "192.167.255.255", "192.169.0.1", "223.255.255.255",
            "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2001:4860:4860::8888",
            "::ffff:1.1.1.1", "64:ff9b::101:101", "2002:0101:0101::1"})
    void nonPublicKind_ofGlobalUnicastAddress_isEmpty(String ip) {
        assertEquals(Optional.empty(), WebhookDestinationGuard.nonPublicKind(literal(ip)), ip);
    }

    @Test
    void nonPublicKind_ofIpv4MappedAddressKeptAsIpv6_judgesTheIpv4Inside() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
        InetAddress kept = Inet6Address.getByAddress(null, mapped, -1);

        assertTrue(kept instanceof Inet6Address, "this factory does not turn it into an IPv4 address");
        assertEquals(Optional.of("link-local"), WebhookDestinationGuard.nonPublicKind(kept));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "https://localhost/hook", "http://LOCALHOST:9/x",
            "http://[::1]/hook", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:7f00:1]:80/", "http://0.0.0.0:8080/", "http://10.0.0.5/hook", "http://192.168.0.10/",
            "http://172.20.1.1/", "http://100.64.1.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://224.0.0.1/",
            "http://2130706433/" /* 127.0.0.1 as one number, which the resolver accepts */})
    void refusal_whenUrlReachesANonPublicAddress_givesAReasonWithoutTheHost(String url) {
        Optional<String> refusal = guard.refusal(URI.create(url));

        assertTrue(refusal.isPresent(), url);
        assertTrue(refusal.get().startsWith("its host resolves to a non-public address ("), refusal.get());
        String host = URI.create(url).getHost();
        assertFalse(refusal.get().contains(host.replace("[", "").replace("]", "")), "the reason does not echo the host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://1.1.1.1/hook", "http://93.184.216.34:8443/x", "https://[2606:4700:4700::1111]/"})
    void refusal_whenUrlIsAPublicLiteral_isEmpty(String url) {
        assertEquals(Optional.empty(), guard.refusal(URI.create(url)));
    }

    @Test
    void refusal_whenAnyOfTheHostsAddressesIsPrivate_refusesTheWholeUrl() {
        WebhookDestinationGuard split = WebhookDestinationGuard.publicOnly(
                host -> new InetAddress[] {literal("93.184.216.34"), literal("10.0.0.7")});

        assertEquals(Optional.of("its host resolves to a non-public address (private)"),
                split.refusal(URI.create("https://hooks.example.test/x")));
    }

    @Test
    void refusal_whenEveryAddressOfTheHostIsPublic_isEmpty() {
        WebhookDestinationGuard public2 = WebhookDestinationGuard.publicOnly(
                host -> new InetAddress[] {literal("93.184.216.34"), literal("2606:2800:220:1:248:1893:25c8:1946")});

        assertEquals(Optional.empty(), public2.refusal(URI.create("https://hooks.example.test/x")));
    }

    @Test
    void refusal_whenHostDoesNotResolve_refuses() {
        WebhookDestinationGuard unknown = WebhookDestinationGuard.publicOnly(host -> {
            throw new UnknownHostException(host);
        });

        assertEquals(Optional.of("its host could not be resolved"), unknown.refusal(URI.create("https://nowhere.test/")));
        assertEquals(Optional.of("its host could not be resolved"),
                WebhookDestinationGuard.publicOnly(host -> new InetAddress[0]).refusal(URI.create("https://nowhere.test/")));
    }

    @Test
    void refusal_whenPrivateAllowed_neverRefusesNorResolves() {
        WebhookDestinationGuard allowing = WebhookDestinationGuard.allowingPrivate();

        assertEquals(Optional.empty(), allowing.refusal(URI.create("http://127.0.0.1:1/")));
        assertEquals(Optional.empty(), allowing.refusal(URI.create("http://169.254.169.254/")));
        assertEquals(Optional.empty(), allowing.refusal(URI.create("http://does-not-resolve.invalid/")));
    }
}
