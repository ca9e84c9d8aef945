package io.orchestry.provisioner.backup;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CronScheduleTest {

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression       | after                    | next
            * * * * *          | 2026-12-02T06:00:00Z     | 2026-12-02T06:01:00Z
            * * * * *          | 2026-12-02T06:00:59.999Z | 2026-12-02T06:01:00Z
            0 3 * * *          | 2026-12-02T06:00:00Z     | 2026-12-03T03:00:00Z
            0 3 * * *          | 2026-12-02T02:59:59Z     | 2026-12-02T03:00:00Z
            0 3 * * *          | 2026-12-02T03:00:00Z     | 2026-12-03T03:00:00Z
            */15 * * * *       | 2026-12-02T06:14:00Z     | 2026-12-02T06:15:00Z
            */15 * * * *       | 2026-12-02T06:45:00Z     | 2026-12-02T07:00:00Z
            10-40/10 * * * *   | 2026-12-02T06:40:00Z     | 2026-12-02T07:10:00Z
            5,35 8-9 * * *     | 2026-12-02T09:35:00Z     | 2026-12-03T08:05:00Z
            0 0 1 * *          | 2026-12-02T00:00:00Z     | 2027-01-01T00:00:00Z
            0 0 31 * *         | 2027-02-01T00:00:00Z     | 2027-03-31T00:00:00Z
            0 0 29 2 *         | 2026-12-02T00:00:00Z     | 2028-02-29T00:00:00Z
            0 12 * 6 *         | 2026-12-02T00:00:00Z     | 2027-06-01T12:00:00Z
            # 2026-12-02 is a Wednesday; 0 and 7 are both Sunday
            0 0 * * 0          | 2026-12-02T00:00:00Z     | 2026-12-06T00:00:00Z
            0 0 * * 7          | 2026-12-02T00:00:00Z     | 2026-12-06T00:00:00Z
            0 0 * * 1-5        | 2026-12-04T00:00:00Z     | 2026-12-07T00:00:00Z
            0 0 * * 5-7        | 2026-12-02T00:00:00Z     | 2026-12-04T00:00:00Z
            # both day fields restricted: either matches (the 15th or a Monday)
            0 0 15 * 1         | 2026-12-02T00:00:00Z     | 2026-12-07T00:00:00Z
            0 0 15 * 1         | 2026-12-07T00:00:00Z     | 2026-12-14T00:00:00Z
            0 0 15 * 1         | 2026-12-14T00:00:00Z     | 2026-12-15T00:00:00Z
            # a * day-of-month with a restricted day-of-week: only the day-of-week counts
            0 0 */2 * 1        | 2026-12-02T00:00:00Z     | 2026-12-07T00:00:00Z
            @hourly            | 2026-12-02T06:30:00Z     | 2026-12-02T07:00:00Z
            @daily             | 2026-12-02T06:30:00Z     | 2026-12-03T00:00:00Z
            @midnight          | 2026-12-31T23:59:00Z     | 2027-01-01T00:00:00Z
            @weekly            | 2026-12-02T06:30:00Z     | 2026-12-06T00:00:00Z
            '  0   3 * * *  '  | 2026-12-02T06:00:00Z     | 2026-12-03T03:00:00Z
            """)
    void next_validExpression_firstMatchingMinuteAfter(String expression, Instant after, Instant expected) {
        assertEquals(expected, CronSchedule.parse(expression).next(after));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            61 * * * *         | minute 61 out of range 0-59
            * 24 * * *         | hour 24 out of range 0-23
            * * 0 * *          | day-of-month 0 out of range 1-31
            * * * 13 *         | month 13 out of range 1-12
            * * * * 8          | day-of-week 8 out of range 0-7
            */0 * * * *        | minute step 0 must be at least 1
            5/10 * * * *       | minute step needs a range or * before it, got '5/10'
            30-10 * * * *      | minute range 30-10 runs backwards
            a * * * *          | minute value 'a' is not a number
            -1 * * * *         | minute value '' is not a number
            '1,,2 * * * *'     | minute has an empty list item in ''
            * * * *            | schedule needs 5 fields (minute hour day-of-month month day-of-week), got 4
            * * * * * *        | schedule needs 5 fields (minute hour day-of-month month day-of-week), got 6
            @yearly            | unknown schedule @yearly (known: @hourly, @daily, @midnight, @weekly)
            ''                 | schedule is empty
            0 0 30 2 *         | day-of-month 30 never occurs in month 2
            0 0 31 4,6 *       | day-of-month 31 never occurs in month 4,6
            """)
    void parse_invalidExpression_saysWhatIsWrong(String expression, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(expression));
        assertEquals(message, e.getMessage());
    }
}
