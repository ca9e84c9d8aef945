package io.orchestry.provisioner.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetentionTest {

    /**
     * Backups newest first as letters (V verified, F failed, R running), named b1, b2, … in that order; the expected
     * deletions as their numbers.
     */
    @ParameterizedTest(name = "{0} keep {1} -> delete [{2}]")
    @CsvSource(delimiter = '|', textBlock = """
            # backups          | keep | deleted
            VVV                | 3    | ''
            VVVV               | 3    | 4
            VVVVVV             | 2    | 3 4 5 6
            FVVV               | 3    | ''
            FFFFFVVV           | 3    | ''
            FFFFFVVVV          | 3    | 9
            VFFFFFV            | 2    | 5 6
            VFVFVFVF           | 2    | 5 7 8
            VVFFFFF            | 1    | 2 6 7
            FFFFFF             | 1    | ''
            RVVV               | 2    | 4
            RFVFFF             | 1    | 6
            ''                 | 1    | ''
            """)
    void toDelete_keepsNewestVerified_failedNeverPushVerifiedOut(String backups, int keep, String deleted) {
        List<Retention.Entry> entries = new ArrayList<>();
        for (int i = 0; i < backups.length(); i++) {
            BackupState state = switch (backups.charAt(i)) {
                case 'V' -> BackupState.VERIFIED;
                case 'F' -> BackupState.FAILED;
                default -> BackupState.DUMPING;
            };
            Instant finish = state.finished() ? Instant.parse("2026-12-02T00:00:00Z").minusSeconds(3600L * i) : null;
            entries.add(new Retention.Entry("b" + (i + 1), state, finish));
        }
        List<String> expected = deleted.isBlank() ? List.of()
                : Arrays.stream(deleted.split(" ")).map(n -> "b" + n).toList();
        assertEquals(expected, Retention.toDelete(entries, keep));
    }

    @Test
    void toDelete_keepBelowOne_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Retention.toDelete(List.of(), 0));
        assertEquals("keepBackups 0 must be at least 1", e.getMessage());
    }
}
