package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.Violations;
import io.orchestry.gateway.config.AuthConfig;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues, lists, revokes and verifies API tokens. A secret is {@code orch_} and 43 random
 * characters; only its SHA-256 is stored (a secret this long needs no slow hash). Verified tokens
 * are remembered for {@link AuthConfig#cacheTtl()} so that most requests never reach the database;
 * that TTL is measured on the injected {@link Clock}, so a test moves it instead of waiting.
 */
@Singleton
public class TokenService {
    /** The id the configured bootstrap token acts under. */
    public static final String BOOTSTRAP_ID = "bootstrap";
    private static final String SECRET_PREFIX = "orch_";
    private static final int MAX_CACHED = 10_000;

    private final TokenRepository store;
    private final Clock clock;
    private final long cacheTtlNanos;
    private final byte[] bootstrapHash;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    /** Hashes that named no active token, and when that was found ({@link #nanos()}). */
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();
    /** Ids revoked through this gateway since it started. */
    private final java.util.Set<String> revoked = ConcurrentHashMap.newKeySet();
    /** Token ids the database last said were active, and when ({@link #nanos()}). */
    private final Map<String, Long> confirmedActive = new ConcurrentHashMap<>();
    private final reactor.core.publisher.Sinks.Many<String> revocations = reactor.core.publisher.Sinks.many().multicast().directBestEffort();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenService.class);

    public TokenService(TokenRepository store, Clock clock, AuthConfig config) {
        this.store = store;
        this.clock = clock;
        this.cacheTtlNanos = config.cacheTtl().toNanos();
        this.bootstrapHash = config.bootstrapToken() == null ? null : hash(config.bootstrapToken());
    }

    /** A new token and its secret, which is never shown again. */
    public record Issued(ApiToken token, String secret) {
    }

    /**
     * A bearer secret as it was presented, hashed once: every check below reads the hash, never the secret.
     *
     * @param key the hash in lower-case hex
     */
    public record Presented(String key) {
        /** A fresh copy of the hash's bytes. */
        public byte[] hash() {
            return HexFormat.of().parseHex(key);
        }
    }

    public Presented present(String secret) {
        byte[] hash = hash(secret);
        return new Presented(HexFormat.of().formatHex(hash));
    }

    /**
     * The caller a secret stands for when that is known without the database (the bootstrap
     * token, or a token verified less than the cache TTL ago); null when the database must say.
     */
    public @Nullable Caller verifiedRecently(Presented secret) {
        if (bootstrapHash != null && MessageDigest.isEqual(secret.hash(), bootstrapHash)) {
            return new Caller(BOOTSTRAP_ID, Role.ADMIN, null);
        }
        Verified cached = verified.get(secret.key());
        if (cached != null && fresh(cached.at) && cached.token.activeAt(clock.instant())
                && !revoked.contains(cached.token.id())) {
            return cached.token.caller();
        }
        return null;
    }

    /**
     * True when a secret was found to name no active token less than the cache TTL ago: it is
     * refused without reading the database again.
     */
    public boolean refusedRecently(Presented secret) {
        Long at = unknown.get(secret.key());
        return at != null && fresh(at);
    }

    /**
     * The caller a secret stands for according to the database, for a secret that neither
     * {@link #verifiedRecently} nor {@link #refusedRecently} could answer; the answer is remembered
     * for the cache TTL either way.
     */
    public Optional<Caller> authenticate(Presented secret) {
        String key = secret.key();
        long now = nanos();
        Optional<ApiToken> token = store.findBySecretHash(secret.hash())
                .filter(t -> t.activeAt(clock.instant()) && !revoked.contains(t.id()));
        if (token.isPresent()) {
            recordUse(token.get());
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
            verified.put(key, new Verified(token.get(), now));
            unknown.remove(key);
        } else {
            verified.remove(key);
            if (unknown.size() >= MAX_CACHED) {
                unknown.clear();
            }
            unknown.put(key, now);
        }
        return token.map(ApiToken::caller);
    }

    /** Best effort: a last-use time that cannot be written must not fail the request that used the token. */
    private void recordUse(ApiToken token) {
        try {
            store.used(token.id(), clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("could not record the use of token {}: {}", token.id(), e.toString());
        }
    }

    /** Ids of tokens revoked through this gateway, as they are revoked (open streams end on them at once). */
    public reactor.core.publisher.Flux<String> revocations() {
        return revocations.asFlux();
    }

    /**
     * Makes a token of {@code organization} (null: cluster-wide) as it is given: whether the caller
     * may, and whether the organization exists, is {@link TokenIssuance}'s to say.
     */
    public Issued create(Caller by, String name, Role role, @Nullable String organization, @Nullable Instant expiresAt) {
        Instant now = clock.instant();
        Violations violations = new Violations();
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            violations.add("name", "required: 1 to 100 printable characters");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            violations.add("expireTime", "must be in the future");
        }
        violations.throwIfAny();
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        String id = "tok_" + String.format("%012x", now.toEpochMilli()) + HexFormat.of().formatHex(randomBytes(4));
        ApiToken token = new ApiToken(id, name.strip(), role, organization, by.tokenId(), now, expiresAt, null, null);
        store.insert(token, hash(secret));
        return new Issued(token, secret);
    }

    /** One page of the active tokens, all of them or one organization's, in creation order. */
    public Page<ApiToken> list(@Nullable String organization, PageRequest page) {
        return Page.of(store.active(organization, page.after(), clock.instant(), page.fetchSize()), page, ApiToken::id);
    }

    /** The active token {@code id} as {@code caller} may see it. */
    public ApiToken get(Caller caller, String id) {
        return store.find(id)
                .filter(t -> t.activeAt(clock.instant()) && caller.sees(t.organization()))
                .orElseThrow(() -> new NotFoundException("token", id));
    }

    /**
     * Revokes a token the caller can see; it stops working at once on this gateway (a login that
     * read it just before cannot put it back: revoked ids are remembered), within the cache TTL on
     * others.
     */
    public ApiToken revoke(Caller caller, String id) {
        ApiToken token = get(caller, id);
        revoked.add(token.id());
        if (!store.revoke(token.id(), clock.instant())) {
            throw new NotFoundException("token", id);
        }
        verified.values().removeIf(v -> v.token.id().equals(id));
        revocations.tryEmitNext(token.id());
        return token;
    }

    /** Revokes every token of a deleted organization, so that one made later with its name starts clean. */
    public void revokeOrganization(String organization) {
        forgetRevoked(revokeStoredTokensOf(organization));
    }

    /**
     * Marks every active token of {@code organization} revoked in the database, joining the
     * transaction it is called in; returns their ids, for {@link #forgetRevoked} once it commits.
     */
    public List<String> revokeStoredTokensOf(String organization) {
        return store.revokeOrganization(organization, clock.instant());
    }

    /** Tokens just revoked in the database stop working on this gateway at once, and their open streams end. */
    public void forgetRevoked(Collection<String> ids) {
        java.util.Set<String> gone = java.util.Set.copyOf(ids);
        revoked.addAll(gone);
        verified.values().removeIf(v -> gone.contains(v.token.id()));
        ids.forEach(revocations::tryEmitNext);
    }

    /**
     * Whether {@code caller}'s token is still active (long-lived streams ask every
     * {@link #recheckInterval()}). An answer from the database is trusted for the cache TTL, so
     * many streams of one token cost one read per TTL, not one each.
     */
    public boolean stillActive(Caller caller) {
        if (caller.tokenId().equals(BOOTSTRAP_ID)) {
            return bootstrapHash != null;
        }
        if (revoked.contains(caller.tokenId())) {
            return false;
        }
        Long confirmed = confirmedActive.get(caller.tokenId());
        long now = nanos();
        if (confirmed != null && fresh(confirmed)) {
            return true;
        }
        boolean active = store.find(caller.tokenId()).filter(t -> t.activeAt(clock.instant())).isPresent();
        if (active) {
            if (confirmedActive.size() >= MAX_CACHED) {
                confirmedActive.clear();
            }
            confirmedActive.put(caller.tokenId(), now);
        }
        return active;
    }

    /** How often long-lived streams ask {@link #stillActive}: the cache TTL, at least once a second. */
    public java.time.Duration recheckInterval() {
        return java.time.Duration.ofNanos(Math.max(cacheTtlNanos, 1_000_000_000L));
    }

    /** Now on the injected clock, in nanoseconds: what the cache's times are measured in. */
    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Whether something remembered at {@code at} is younger than the cache TTL. A clock that went
     * back makes it stale, never trusted for longer.
     */
    private boolean fresh(long at) {
        long age = nanos() - at;
        return age >= 0 && age < cacheTtlNanos;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record Verified(ApiToken token, long at) {
    }
}
