package cairn.store.targets;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;

/**
 * Serves the key factory name "ECDSA", which sshj asks for whenever it reads an ECDSA key (an identity,
 * a host key, a known_hosts line), with the JDK's own "EC" key factory. Only Bouncy Castle spells it
 * "ECDSA"; registering all of Bouncy Castle for that one name would cost a few hundred milliseconds at
 * every start and let it serve other algorithms the JDK lacks. This provider serves nothing else, and
 * it comes last, so it never stands in front of the JDK's providers.
 */
final class EcdsaKeyFactoryProvider extends Provider {
    private static final String NAME = "cairn-ecdsa-keyfactory";

    private EcdsaKeyFactoryProvider() {
        super(NAME, "1", "the key factory name ECDSA, served by the JDK's EC key factory");
        putService(new Service(this, "KeyFactory", "ECDSA", JdkEcKeyFactory.class.getName(), null, null) {
            // Created here rather than by reflection, so the class need not be public.
            @Override
            public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                return new JdkEcKeyFactory(KeyFactory.getInstance("EC"));
            }
        });
    }

    /** Adds the provider at the end of the list, once per JVM. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.addProvider(new EcdsaKeyFactoryProvider());
        }
    }

    private static final class JdkEcKeyFactory extends KeyFactorySpi {
        private final KeyFactory ec;

        JdkEcKeyFactory(KeyFactory ec) {
            this.ec = ec;
        }

        @Override
        protected PublicKey engineGeneratePublic(KeySpec spec) throws InvalidKeySpecException {
            return ec.generatePublic(spec);
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec spec) throws InvalidKeySpecException {
            return ec.generatePrivate(spec);
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> type) throws InvalidKeySpecException {
            return ec.getKeySpec(key, type);
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            return ec.translateKey(key);
        }
    }
}
