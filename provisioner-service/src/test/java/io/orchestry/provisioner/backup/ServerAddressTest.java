package io.orchestry.provisioner.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerAddressTest {

    @Test
    void toString_neverShowsThePassword() {
        ServerAddress a = new ServerAddress("127.0.0.1", 5432, "shop", "app", "s3cret-pw");
        assertEquals("ServerAddress[app@127.0.0.1:5432/shop]", a.toString());
        assertFalse(a.withDatabase("other").toString().contains("s3cret-pw"));
    }

    @Test
    void scrub_passwordInText_replaced() {
        ServerAddress a = new ServerAddress("db", 5432, "shop", "app", "s3cret-pw");
        assertEquals("auth failed for ******** twice ********", a.scrub("auth failed for s3cret-pw twice s3cret-pw"));
    }

    @ParameterizedTest(name = "{0}:{1}/{2} as {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            ''        | 5432  | shop          | app   | host  is not a host name or address
            'a b'     | 5432  | shop          | app   | host a b is not a host name or address
            db        | 0     | shop          | app   | port 0 out of range 1-65535
            db        | 65536 | shop          | app   | port 65536 out of range 1-65535
            db        | 5432  | 'dbname=x'    | app   | database name dbname=x must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,62}
            db        | 5432  | '-x'          | app   | database name -x must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,62}
            db        | 5432  | shop          | 'a;b' | user name a;b must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,62}
            """)
    void new_badField_namesIt(String host, int port, String database, String user, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> new ServerAddress(host, port, database, user, "pw")).getMessage());
    }
}
