package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production jar, as built ({@code target/gateway-app.jar}, after {@code package}): it holds the
 * gateway and the filter, and no emulated org, no token-minting IdP (NAV's mock-oauth2-server) and
 * no Kotlin, neither as a nested library nor as classes inside any nested library. The demo that
 * needs them is gateway-demo.
 */
class ProductionJarIT {

    /** Packages whose classes must not be anywhere in the production jar. */
    private static final List<String> FORBIDDEN_PACKAGES = List.of(
            "io/sfgateway/emulator/", "io/sfgateway/gateway/demo/", "no/nav/security/mock/", "kotlin/",
            "tools/jackson/module/kotlin/", "com/fasterxml/jackson/module/kotlin/", "okhttp3/");

    /** Names of nested libraries that must not be in BOOT-INF/lib. */
    private static final List<String> FORBIDDEN_LIBRARIES = List.of(
            "salesforce-emulator", "mock-oauth2-server", "kotlin", "okhttp", "okio");

    private static final List<String> entries = new ArrayList<>();
    private static final List<String> libraries = new ArrayList<>();

    @BeforeAll
    static void readTheBuiltJar() throws IOException {
        Path jar = Path.of(System.getProperty("production.jar", "target/gateway-app.jar"));
        assertThat(jar).as("the production jar is built before this test runs").isRegularFile();
        System.out.printf("production jar %s: %,d bytes%n", jar, Files.size(jar));
        try (JarFile file = new JarFile(jar.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                entries.add(entry.getName());
                if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                    libraries.add(entry.getName().substring("BOOT-INF/lib/".length()));
                    try (InputStream in = file.getInputStream(entry)) {
                        entries.addAll(nestedEntries(entry.getName(), in));
                    }
                }
            }
        }
    }

    @Test
    void holdsTheGatewayAndTheFilter() {
        assertThat(entries).contains("BOOT-INF/classes/io/sfgateway/gateway/GatewayApplication.class",
                "BOOT-INF/classes/application.yml");
        assertThat(libraries).anyMatch(name -> name.startsWith("exchange-filter-"));
        assertThat(entries).anyMatch(name -> name.endsWith("!io/sfgateway/tokenexchange/config/TokenExchangeAutoConfiguration.class"));
    }

    @Test
    void holdsTheReactiveRedisClientTheSharedSessionStoreNeeds() {
        assertThat(libraries).anyMatch(name -> name.startsWith("spring-data-redis-"))
                .anyMatch(name -> name.startsWith("lettuce-core-"))
                .anyMatch(name -> name.startsWith("spring-boot-data-redis-"));
        assertThat(entries).contains("BOOT-INF/classes/io/sfgateway/gateway/RedisOnlyForSharedStore.class");
        assertThat(libraries).as("no second Redis client, no connection pool").noneMatch(name -> name.startsWith("jedis-"))
                .noneMatch(name -> name.startsWith("commons-pool2-"));
    }

    @Test
    void holdsNoEmulatorNoMockIdpAndNoKotlinLibrary() {
        assertThat(libraries).isNotEmpty();
        for (String library : libraries) {
            String name = library.toLowerCase(Locale.ROOT);
            assertThat(FORBIDDEN_LIBRARIES).as("BOOT-INF/lib/%s", library).noneMatch(name::startsWith);
            assertThat(name).as("BOOT-INF/lib/%s", library).doesNotContain("kotlin");
        }
    }

    @Test
    void holdsNoEmulatorMockIdpOrKotlinClassAnywhere() {
        List<String> offending = entries.stream()
                .filter(name -> FORBIDDEN_PACKAGES.stream().anyMatch(p -> classPath(name).startsWith(p)))
                .toList();
        assertThat(offending).isEmpty();
    }

    /** The path of a class inside the jar or a nested jar, without BOOT-INF/classes/ or the nested jar's name. */
    private static String classPath(String entry) {
        int nested = entry.indexOf('!');
        String path = nested >= 0 ? entry.substring(nested + 1) : entry;
        return path.startsWith("BOOT-INF/classes/") ? path.substring("BOOT-INF/classes/".length()) : path;
    }

    private static List<String> nestedEntries(String jarName, InputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            names.add(jarName + "!" + entry.getName());
        }
        return names;
    }
}
