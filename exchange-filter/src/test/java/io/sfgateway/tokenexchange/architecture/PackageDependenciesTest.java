package io.sfgateway.tokenexchange.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.sfgateway.tokenexchange.architecture.MainClasses.MAIN;
import static io.sfgateway.tokenexchange.architecture.MainClasses.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;

/**
 * Which package of the library may know which, checked on the compiled main classes, in the
 * request's order: the root vocabulary knows no sub-package; the token exchange ({@code exchange},
 * with its guard) and the sessions ({@code session}) know only the root; forwarding
 * ({@code routing}) knows the root and the sessions; and no two packages know each other.
 */
class PackageDependenciesTest {

    @Test
    void theMainClassesAreImported() {
        // Guards the rules below against passing on an empty import.
        assertThat(MAIN.containPackage(ROOT + ".exchange")).isTrue();
        assertThat(MAIN.contain(ROOT + ".Subject")).isTrue();
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theRootVocabularyDependsOnNoSubPackage() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat(inASubPackageOtherThan())
                .check(MAIN);
    }

    @Test
    void theExchangeDependsOnNoOtherSubPackage() {
        noClasses().that().resideInAPackage(ROOT + ".exchange..")
                .should().dependOnClassesThat(inASubPackageOtherThan("exchange"))
                .check(MAIN);
    }

    @Test
    void sessionsDependOnTheRootVocabularyOnly() {
        noClasses().that().resideInAPackage(ROOT + ".session..")
                .should().dependOnClassesThat(inASubPackageOtherThan("session"))
                .check(MAIN);
    }

    @Test
    void routingDependsOnTheRootAndSessionsOnly() {
        noClasses().that().resideInAPackage(ROOT + ".routing..")
                .should().dependOnClassesThat(inASubPackageOtherThan("routing", "session"))
                .check(MAIN);
    }

    /** Classes in a sub-package of the root other than {@code allowed} (and its own sub-packages). */
    private static DescribedPredicate<JavaClass> inASubPackageOtherThan(String... allowed) {
        String description = allowed.length == 0 ? "a sub-package of " + ROOT
                : "a sub-package of " + ROOT + " but " + String.join(", ", allowed);
        return DescribedPredicate.describe(description, type -> {
            String name = type.getPackageName();
            if (!name.startsWith(ROOT + ".")) {
                return false;
            }
            String sub = name.substring(ROOT.length() + 1);
            for (String permitted : allowed) {
                if (sub.equals(permitted) || sub.startsWith(permitted + ".")) {
                    return false;
                }
            }
            return true;
        });
    }
}
