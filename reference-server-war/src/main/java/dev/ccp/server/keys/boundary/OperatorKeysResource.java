package dev.ccp.server.keys.boundary;

import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.keys.control.Rotations;
import dev.ccp.server.platform.http.OperatorOnly;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.license.Ed25519Key;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Key rotation for the vendor's staff: a new key signs from now on; old keys verify until retired. */
@ApplicationScoped
@OperatorOnly
@Path("v1/operator/keys")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorKeysResource {

    @Inject
    Rotations keys;


    @POST
    @Path("{purpose}/rotate")
    public Map<String, String> rotate(@PathParam("purpose") String purpose) {
        KeyPurpose parsed;
        try {
            parsed = KeyPurpose.parse(purpose);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        Ed25519Key fresh = keys.rotate(parsed);
        return Map.of("kid", fresh.kid(), "fingerprint", fresh.fingerprint());
    }

    @DELETE
    @Path("{kid}")
    public Response retire(@PathParam("kid") String kid) {
        try {
            if (!keys.retire(kid)) {
                throw ProblemException.notFound("no key " + kid);
            }
        } catch (IllegalStateException e) {
            throw ProblemException.conflict("key-in-use", "Key in use", e.getMessage());
        }
        return Response.noContent().build();
    }
}
