package io.orchestry.provisioner.domain;

import io.orchestry.error.NotFoundException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** GetDatabase, ListDatabases, DatabaseExists and the one read that opens the password: GetDatabaseCredentials. */
@Singleton
public class DatabaseQueries {
    public static final String DATABASES = "databases";

    private final DatabaseRepository databases;
    private final DatabaseSecrets secrets;

    public DatabaseQueries(DatabaseRepository databases, DatabaseSecrets secrets) {
        this.databases = databases;
        this.secrets = secrets;
    }

    public Database get(String project) {
        return databases.find(project).orElseThrow(() -> new NotFoundException("database", project));
    }

    public boolean exists(String project) {
        return databases.find(project).isPresent();
    }

    public Page<Database> list(Set<DatabaseState> states, PageRequest page) {
        return Page.of(databases.list(states, page), page, Database::project);
    }

    public Credentials credentials(String project) {
        Database d = get(project);
        String password = secrets.password(d);
        String uri = "postgresql://" + enc(d.username()) + ":" + enc(password) + "@" + d.status().host() + ":" + d.port()
                + "/" + d.databaseName();
        return new Credentials(d.status().host(), d.port(), d.databaseName(), d.username(), password, uri);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** How to connect, password included; never logged. */
    public record Credentials(String host, int port, String databaseName, String username, String password,
                              String connectionUri) {
        @Override
        public String toString() {
            return "Credentials[" + username + "@" + host + ":" + port + "/" + databaseName + "]";
        }
    }
}
