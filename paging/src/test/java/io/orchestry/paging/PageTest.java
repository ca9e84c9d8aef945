package io.orchestry.paging;

import io.orchestry.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTest {
    private static final List<String> NAMES = IntStream.range(0, 25).mapToObj(i -> String.format("n%02d", i)).toList();

    /** What a store does: the rows after the position, in order, at most fetchSize of them. */
    private static List<String> fetch(PageRequest request) {
        return NAMES.stream().filter(n -> n.compareTo(request.after()) > 0).limit(request.fetchSize()).toList();
    }

    @Test
    void walkingEveryPage_seesEveryItemOnce_andEndsWithAnEmptyToken() {
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            PageRequest request = PageRequest.ofGrpc("nodes", 10, token);
            Page<String> page = Page.of(fetch(request), request, s -> s);
            seen.addAll(page.items());
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(NAMES, seen);
        assertEquals(3, pages);
    }

    @Test
    void exactlyAFullLastPage_hasNoNextToken() {
        PageRequest request = PageRequest.ofGrpc("nodes", 25, "");
        Page<String> page = Page.of(fetch(request), request, s -> s);
        assertEquals(25, page.items().size());
        assertFalse(page.hasNext());
    }

    @ParameterizedTest
    @CsvSource({"0, 100", "1, 1", "1000, 1000", "1001, 1000", "2147483647, 1000"})
    void size_zeroIsTheDefault_andAboveTheMaximumIsClipped(int requested, int size) {
        assertEquals(size, PageRequest.ofGrpc("nodes", requested, "").size());
    }

    @Test
    void negativeSize_andForeignToken_areBothReported_underTheCallersFieldNames() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> PageRequest.of("nodes", -1, "garbage!", "limit", "pageToken"));
        assertEquals(List.of("limit", "pageToken"), e.violations().stream().map(v -> v.field()).toList());
    }

    @Test
    void tokenOfAnotherList_isRefused() {
        PageRequest organizations = PageRequest.ofGrpc("organizations", 1, "");
        String token = Page.of(List.of("a", "b"), organizations, s -> s).nextPageToken();
        assertEquals("a", PageRequest.ofGrpc("organizations", 1, token).after());
        assertThrows(InvalidArgumentException.class, () -> PageRequest.ofGrpc("projects", 1, token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2|nodes|a", "1|nodes|", "nodes|a", "1|nodesx|a"})
    void tokenOfAnotherVersionOrShape_isRefused(String raw) {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidArgumentException.class, () -> PageRequest.ofGrpc("nodes", 1, token));
    }

    @Test
    void numericPositions_roundTrip_andATamperedOneIsInvalid() {
        PageRequest request = PageRequest.of("audit", 2, "", "limit", "pageToken");
        String token = Page.of(List.of(30L, 20L, 10L), request, String::valueOf).nextPageToken();
        assertEquals(20L, PageRequest.of("audit", 2, token, "limit", "pageToken").afterAsLong("pageToken"));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("1|audit|x".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidArgumentException.class,
                () -> PageRequest.of("audit", 2, forged, "limit", "pageToken").afterAsLong("pageToken"));
    }

    @Test
    void positionsWithTheSeparator_roundTrip() {
        PageRequest request = PageRequest.ofGrpc("events", 1, "");
        String token = Page.of(List.of("a|b", "c"), request, s -> s).nextPageToken();
        assertEquals("a|b", PageRequest.ofGrpc("events", 1, token).after());
    }

    @Test
    void paddedOrMalformedTokens_areRefused() {
        PageRequest request = PageRequest.ofGrpc("nodes", 1, "");
        String token = Page.of(List.of("ab", "cd"), request, s -> s).nextPageToken();
        assertEquals("ab", PageRequest.ofGrpc("nodes", 1, token).after());
        assertThrows(InvalidArgumentException.class, () -> PageRequest.ofGrpc("nodes", 1, token + "="));
        String notUtf8 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[]{'1', '|', 'n', '|', (byte) 0xC3});
        assertThrows(InvalidArgumentException.class, () -> PageRequest.ofGrpc("n", 1, notUtf8));
    }

    @Test
    void emptyFetch_isAnEmptyLastPage_andListNamesAreChecked() {
        Page<String> page = Page.of(List.of(), PageRequest.first("nodes"), s -> s);
        assertTrue(page.items().isEmpty());
        assertFalse(page.hasNext());
        assertThrows(IllegalArgumentException.class, () -> PageRequest.first("a|b"));
        assertThrows(IllegalArgumentException.class, () -> new PageRequest("nodes", "", 0));
        assertThrows(IllegalArgumentException.class, () -> new PageRequest("nodes", "", PageRequest.MAX_SIZE + 1));
    }
}
