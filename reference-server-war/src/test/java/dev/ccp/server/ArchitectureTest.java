package dev.ccp.server;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.ccp.server.identity.entity.TokenFamily;
import dev.ccp.server.license.entity.LicenseEvent;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How the server's code is laid out, checked on its classes: features that build on each other in
 * one direction, a platform that knows no feature, one writer for each kind of state, and
 * boundaries that ask their control layer rather than the database.
 */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ccp.server");

    /**
     * One instance of a resource serves every request: Weld making and injecting one per request
     * was most of what a short request cost. What belongs to the request comes as a parameter; a
     * field holding it would be shared by every request. The pages that keep the request in fields
     * stay request-scoped.
     */
    @Test
    void resourcesAreApplicationScopedAndHoldNothingOfARequestInAField() {
        classes().that().areAnnotatedWith(Path.class).and().areNotAnnotatedWith(RequestScoped.class)
                .should().beAnnotatedWith(ApplicationScoped.class)
                .check(SERVER);
        classes().that().areAnnotatedWith(Path.class).and().areAnnotatedWith(ApplicationScoped.class)
                .should(new ArchCondition<JavaClass>("have no @Context field, declared or inherited") {
                    @Override
                    public void check(JavaClass resource, ConditionEvents events) {
                        resource.getAllFields().stream().filter(field -> field.isAnnotatedWith(Context.class))
                                .forEach(field -> events.add(SimpleConditionEvent.violated(resource,
                                        resource.getName() + " serves every request but holds " + field.getFullName())));
                    }
                })
                .check(SERVER);
    }

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        slices().matching("dev.ccp.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void thePlatformKnowsNoFeature() {
        noClasses().that().resideInAPackage("dev.ccp.server.platform..")
                .should().dependOnClassesThat(resideInAPackage("dev.ccp.server..").and(resideOutsideOfPackage("dev.ccp.server.platform..")))
                .check(SERVER);
    }

    @Test
    void onlyTheLicenseFeatureChangesAPlanOrRecordsALicenseEvent() {
        noClasses().that().resideOutsideOfPackage("dev.ccp.server.license.control..")
                .should().callMethod(Org.class, "putOnPlan", String.class, Integer.class, Instant.class, String.class,
                        Instant.class)
                .orShould().callConstructorWhere(constructing(LicenseEvent.class))
                .check(SERVER);
    }

    @Test
    void onlyTheOrgFeatureMakesMemberships() {
        noClasses().that().resideOutsideOfPackage("dev.ccp.server.org.control..")
                .should().callConstructorWhere(constructing(Membership.class))
                .check(SERVER);
    }

    @Test
    void onlyTheIdentityFeatureRevokesSessions() {
        noClasses().that().resideOutsideOfPackage("dev.ccp.server.identity.control..")
                .should().callMethod(TokenFamily.class, "revoke", Instant.class, String.class)
                .check(SERVER);
    }

    @Test
    void boundariesAskTheirControlLayerNotTheDatabase() {
        noClasses().that().resideInAPackage("..boundary..")
                .should().callMethodWhere(target(owner(assignableTo(EntityManager.class))))
                .check(SERVER);
    }

    private static DescribedPredicate<JavaConstructorCall> constructing(Class<?> type) {
        return target(owner(equivalentTo(type))).forSubtype();
    }
}
