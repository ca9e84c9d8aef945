package io.orchestry.names;

import io.orchestry.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSelectorTest {
    private static final Map<String, String> LABELS = Map.of("disk", "ssd", "zone", "a", "example.com/gpu", "true");

    @Test
    void everyTermMustHold() {
        assertTrue(LabelSelector.parse("disk=ssd,zone!=b", "s").matches(LABELS));
        assertTrue(LabelSelector.parse("disk==ssd, example.com/gpu, !spot", "s").matches(LABELS));
        assertFalse(LabelSelector.parse("disk=ssd,zone=b", "s").matches(LABELS));
        assertFalse(LabelSelector.parse("spot", "s").matches(LABELS));
        assertFalse(LabelSelector.parse("!disk", "s").matches(LABELS));
        assertTrue(LabelSelector.parse("spot!=true", "s").matches(LABELS), "!= also matches an absent label");
    }

    @Test
    void emptySelector_selectsEverything() {
        assertEquals(LabelSelector.EVERYTHING, LabelSelector.parse("  ", "s"));
        assertTrue(LabelSelector.parse("", "s").matches(Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"=ssd", "disk in (a,b)", "a=b=c", "!disk=ssd", "disk=ss d", ",", "disk=ssd,", "x'; drop"})
    void malformedSelector_isInvalidArgumentNamingTheField(String selector) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> LabelSelector.parse(selector, "label_selector"));
        assertEquals("label_selector", e.violations().get(0).field());
    }
}
