package io.granary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class JsonTest {

    @Test
    void parse_readsATokenAnswer() {
        Object parsed = Json.parse("{\"access_token\":\"a\\u00e9\\n\",\"expires_in\":3600,\"ok\":true,\"none\":null,\"list\":[1,\"x\"]}");

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) parsed;
        assertEquals("a\u00e9\n", json.get("access_token"));
        assertEquals(3600L, Json.number(json, "expires_in"));
        assertEquals(Boolean.TRUE, json.get("ok"));
        assertEquals(List.of(new BigDecimal("1"), "x"), json.get("list"));
    }

    @Test
    void number_acceptsNumericStrings() {
        assertEquals(120L, Json.number(Map.of("expires_in", "120"), "expires_in"));
        assertEquals(null, Json.number(Map.of("expires_in", "soon"), "expires_in"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "<html>", "{\"a\":\"unterminated}", "nul"})
    void parse_whenMalformed_throwsWithoutEchoingTheText(String text) {
        MalformedAnswerException e = assertThrows(MalformedAnswerException.class, () -> Json.parse(text));
        assertFalse(!text.isEmpty() && text.length() > 3 && e.getMessage().contains(text));
    }

    @Test
    void parse_whenNestedTooDeeply_throws() {
        assertThrows(MalformedAnswerException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
    }

    @Test
    void write_escapesAndRoundTrips() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("session", Map.of("email", "a\"b\\c\u0001"));
        value.put("n", 5);
        assertEquals(value.toString().length() > 0, true);
        String text = Json.write(value);
        assertEquals("{\"session\":{\"email\":\"a\\\"b\\\\c\\u0001\"},\"n\":5}", text);
        assertEquals(Map.of("email", "a\"b\\c\u0001"), ((Map<?, ?>) Json.parse(text)).get("session"));
    }
}
