package dev.selectftp.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a certificate chain and its private key from PEM, in every form certbot and openssl write: the
 * chain leaf first ({@code fullchain.pem}); the key as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}, with or without the
 * {@code EC PARAMETERS} block {@code openssl ecparam -genkey} puts before it). Writes PEM files atomically.
 * Blocking file I/O: call at start or on the reload thread, never on the loop.
 */
public final class PemFiles {
  /** A chain of a few certificates is under 10 KB; anything this big is not a PEM file we want to parse. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private PemFiles() {}

  /** Reads, parses and checks a chain and key; every problem is one line naming the file. */
  public static ServerIdentity load(Path certFile, Path keyFile) throws TlsMaterialException {
    return parse(certFile, read(certFile, "certificate"), keyFile, read(keyFile, "key"));
  }

  /**
   * Parses a chain and a key already read (the reloader hashes the very bytes it parses), and checks that
   * the key belongs to the chain's first certificate.
   */
  public static ServerIdentity parse(Path certFile, byte[] certPem, Path keyFile, byte[] keyPem)
      throws TlsMaterialException {
    List<X509Certificate> chain = chain(certFile, certPem);
    PrivateKey key = key(keyFile, keyPem);
    if (!matches(key, chain.get(0))) {
      for (X509Certificate other : chain.subList(1, chain.size())) {
        if (matches(key, other)) {
          throw new TlsMaterialException("TLS key " + keyFile + " belongs to a later certificate in " + certFile
              + "; the server's own certificate must come first (as in Let's Encrypt's fullchain.pem)");
        }
      }
      throw new TlsMaterialException("TLS key " + keyFile + " does not match the certificate in " + certFile);
    }
    return new ServerIdentity(chain, key);
  }

  /**
   * The file's bytes, at most {@link #MAX_FILE_BYTES}, following symbolic links (certbot's {@code live/}
   * files are links into {@code archive/}).
   */
  public static byte[] read(Path file, String what) throws TlsMaterialException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new TlsMaterialException("TLS " + what + " file " + file + " is over " + MAX_FILE_BYTES
            + " bytes; give a PEM file");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new TlsMaterialException("TLS " + what + " file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new TlsMaterialException("TLS " + what + " file " + file + " is not readable by this user", e);
    } catch (IOException e) {
      throw new TlsMaterialException("TLS " + what + " file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  static List<X509Certificate> chain(Path file, byte[] pem) throws TlsMaterialException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = parser(pem)) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof X509CertificateHolder holder) chain.add(converter.getCertificate(holder));
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsMaterialException("TLS certificate file " + file + " is not valid PEM: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new TlsMaterialException("TLS certificate file " + file + " holds no BEGIN CERTIFICATE block");
    }
    return chain;
  }

  static PrivateKey key(Path file, byte[] pem) throws TlsMaterialException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = parser(pem)) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
        if (block instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
        if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
          throw new TlsMaterialException("TLS key file " + file + " is encrypted; the server starts unattended, "
              + "so give it an unencrypted key readable only by its user (openssl pkey -in KEY -out PLAIN)");
        }
        // Anything else (EC PARAMETERS, a certificate pasted into the same file) is skipped.
      }
    } catch (PEMException e) {
      throw new TlsMaterialException("TLS key file " + file + " holds a key this JDK cannot use: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TlsMaterialException("TLS key file " + file + " is not valid PEM: " + e.getMessage(), e);
    }
    throw new TlsMaterialException("TLS key file " + file + " holds no private key block");
  }

  /**
   * Whether {@code key} is the private half of the certificate's public key: it signs a random challenge
   * and the certificate's key verifies it, the one test that works the same for RSA, EC and EdDSA keys.
   */
  static boolean matches(PrivateKey key, X509Certificate certificate) {
    if (!key.getAlgorithm().equalsIgnoreCase(certificate.getPublicKey().getAlgorithm())) return false;
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      String algorithm = Certificates.signatureFor(key);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // a key of another curve or kind, or one the JDK cannot sign with, matches nothing
    }
  }

  /**
   * Replaces {@code file} with {@code text} so that a crash leaves the old file or the new one, never half:
   * a temporary file beside it, fsync, rename, fsync of the folder. With {@code secret}, the file is created
   * owner-only (0600) before any byte is written, so the key is never readable by others even briefly.
   */
  public static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (FileChannel out = secret && posix(dir)
        ? FileChannel.open(temp, options, ownerOnly())
        : FileChannel.open(temp, options)) {
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (buffer.hasRemaining()) out.write(buffer);
      out.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(dir);
  }

  static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  static FileAttribute<?> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  }

  /** Makes a rename durable; folders cannot be opened for fsync on every platform, which is then skipped. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows: no folder fsync; the rename itself is still atomic.
    }
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new StringReader(new String(pem, StandardCharsets.ISO_8859_1)));
  }
}
