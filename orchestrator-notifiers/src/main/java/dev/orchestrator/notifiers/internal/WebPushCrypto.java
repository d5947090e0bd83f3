package dev.orchestrator.notifiers.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Push with the JDK's cryptography only: message encryption by RFC 8291 (ECDH on P-256, HKDF-SHA-256, one
 * {@code aes128gcm} record of RFC 8188) and the VAPID {@code Authorization} header by RFC 8292 (an ES256 JWT for the
 * push service's origin). Stateless and thread-safe.
 */
public final class WebPushCrypto {
  private static final int RECORD_SIZE = 4096;
  private static final ECParameterSpec P256 = p256();

  private WebPushCrypto() {}

  /**
   * Encrypts {@code plaintext} for a subscription with a fresh sender key pair and salt.
   *
   * @param uaPublic the subscription's {@code p256dh}: an uncompressed P-256 point, 65 bytes
   * @param authSecret the subscription's {@code auth}: 16 bytes
   */
  public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair sender = g.generateKeyPair();
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      return encrypt(plaintext, uaPublic, authSecret, salt, (ECPrivateKey) sender.getPrivate(),
          (ECPublicKey) sender.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is not available in this Java runtime", e);
    }
  }

  /** As {@link #encrypt(byte[], byte[], byte[])} with the salt and the sender's keys given (test vectors). */
  public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, byte[] salt,
      ECPrivateKey asPrivate, ECPublicKey asPublicKey) {
    if (uaPublic.length != 65 || uaPublic[0] != 4) {
      throw new IllegalArgumentException("p256dh must be an uncompressed P-256 point of 65 bytes (had "
          + uaPublic.length + "): copy keys.p256dh of the browser's subscription");
    }
    if (authSecret.length != 16) {
      throw new IllegalArgumentException("auth must be 16 bytes (had " + authSecret.length + "): copy keys.auth of "
          + "the browser's subscription");
    }
    try {
      byte[] asPublic = point(asPublicKey);
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(asPrivate);
      ka.doPhase(publicKey(uaPublic), true);
      byte[] ecdh = ka.generateSecret();
      byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
      byte[] ikm = hkdf(authSecret, ecdh, keyInfo, 32);
      byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
      byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
      byte[] record = c.doFinal(concat(plaintext, new byte[] {2}));
      if (record.length + 86 > RECORD_SIZE) {
        throw new IllegalArgumentException("the push message is too long (" + plaintext.length + " bytes): keep it "
            + "under about 3,900 bytes");
      }
      ByteBuffer header = ByteBuffer.allocate(16 + 4 + 1 + asPublic.length);
      header.put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic);
      return concat(header.array(), record);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Web Push encryption failed: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code Authorization} header of RFC 8292: {@code vapid t=<ES256 JWT>, k=<public key>}, the JWT naming the
   * push service's origin ({@code aud}), an expiry ({@code exp}, at most 24 hours ahead) and a contact ({@code sub}).
   */
  public static String vapid(String audience, String subject, Instant expires, ECPrivateKey key, byte[] publicKey) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"aud\":\"" + json(audience) + "\",\"exp\":" + expires.getEpochSecond()
        + ",\"sub\":\"" + json(subject) + "\"}").getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key);
      s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
      String jwt = header + "." + claims + "." + b64.encodeToString(s.sign());
      return "vapid t=" + jwt + ", k=" + b64.encodeToString(publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
    }
  }

  /** A P-256 private key from its 32-byte scalar. */
  public static ECPrivateKey privateKey(byte[] d) {
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), P256));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 private key: give the 32-byte scalar, base64url", e);
    }
  }

  /** A P-256 public key from its uncompressed point. */
  public static ECPublicKey publicKey(byte[] point) {
    if (point.length != 65 || point[0] != 4) {
      throw new IllegalArgumentException("not an uncompressed P-256 point (65 bytes starting with 0x04)");
    }
    try {
      ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
          new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 public key: " + e.getMessage(), e);
    }
  }

  /** The uncompressed point of a public key: 0x04, x and y in 32 bytes each. */
  public static byte[] point(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    fixed(key.getW().getAffineX(), out, 1);
    fixed(key.getW().getAffineY(), out, 33);
    return out;
  }

  private static void fixed(BigInteger v, byte[] out, int at) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, at + 32 - len, len);
  }

  /** HKDF-SHA-256 (RFC 5869) for one block of output at most. */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
    byte[] prk = hmac(salt, ikm);
    return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is not available in this Java runtime", e);
    }
  }
}
