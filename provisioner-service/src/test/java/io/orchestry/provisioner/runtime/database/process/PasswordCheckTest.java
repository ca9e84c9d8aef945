package io.orchestry.provisioner.runtime.database.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordCheckTest {
    @Test
    void matches_theSamePasswordOnly_saltedEachTime_neverHoldingIt() {
        String check = PasswordCheck.of("s3cret-é");

        assertTrue(PasswordCheck.matches(check, "s3cret-é"));
        assertFalse(PasswordCheck.matches(check, "s3cret-e"));
        assertFalse(check.contains("s3cret"));
        assertNotEquals(check, PasswordCheck.of("s3cret-é"));
    }

    @Test
    void matches_anEmptyPassword_andRefusesMalformedChecks() {
        assertTrue(PasswordCheck.matches(PasswordCheck.of(""), ""));
        assertFalse(PasswordCheck.matches("", "x"));
        assertFalse(PasswordCheck.matches(null, "x"));
        assertFalse(PasswordCheck.matches("pbkdf2-sha256:4096:!!:!!", "x"));
    }
}
